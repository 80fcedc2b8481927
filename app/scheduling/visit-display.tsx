/** How a visit's status and team are shown, the same on every page. */

export type VisitStatus = "proposed" | "scheduled" | "completed" | "cancelled";

const STATUS_TAGS: Record<VisitStatus, { text: string; className: string }> = {
  proposed: { text: "Proposed", className: "govuk-tag--yellow" },
  scheduled: { text: "Scheduled", className: "govuk-tag--blue" },
  completed: { text: "Completed", className: "govuk-tag--green" },
  cancelled: { text: "Cancelled", className: "govuk-tag--grey" },
};

export function VisitStatusTag({ status }: { status: VisitStatus }) {
  const tag = STATUS_TAGS[status];
  return <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>;
}

export function TeamList({ team }: { team: readonly { id: string; name: string; role: "lead" | "member" }[] }) {
  return (
    <ul className="govuk-list govuk-!-margin-0">
      {team.map((m) => (
        <li key={m.id}>
          {m.name}
          {m.role === "lead" ? " (lead)" : ""}
        </li>
      ))}
    </ul>
  );
}
