/** How an inspection's status is shown, the same on every page. */
export type InspectionStatus = "planned" | "on_site" | "draft" | "submitted" | "in_review" | "approved" | "factual_accuracy" | "published";

const TAGS: Record<InspectionStatus, { text: string; className: string }> = {
  planned: { text: "Planned", className: "govuk-tag--grey" },
  on_site: { text: "On site", className: "govuk-tag--blue" },
  draft: { text: "Findings in draft", className: "govuk-tag--light-blue" },
  submitted: { text: "Submitted", className: "govuk-tag--yellow" },
  in_review: { text: "In review", className: "govuk-tag--orange" },
  approved: { text: "Approved", className: "govuk-tag--green" },
  factual_accuracy: { text: "Factual accuracy check", className: "govuk-tag--purple" },
  published: { text: "Published", className: "govuk-tag--turquoise" },
};

export function InspectionStatusTag({ status }: { status: InspectionStatus }) {
  const tag = TAGS[status];
  return <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>;
}
