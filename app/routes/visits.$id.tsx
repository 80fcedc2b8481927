import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireRole } from "~/auth/guards.server";
import { inspectionIdForVisit } from "~/inspections/workspace.server";
import { maySeeVisit, recordScheduleViewed, visitView } from "~/scheduling/schedule.server";
import { TeamList, VisitStatusTag } from "~/scheduling/visit-display";
import { formatCalendarDate, formatCalendarDateWithWeekday, formatDateTime } from "~/ui/dates";
import { SummaryRow } from "~/ui/summary-list";
import { WarningText } from "~/ui/warning-text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Visit to ${data?.visit.trustName ?? "a trust"} – Deep Dive` }];

/**
 * One visit. Programme leads see any; an inspector sees an accepted or completed visit they are on. Everyone else,
 * and an inspector who is not on the team, gets 404 (audited), so a visit's existence does not leak. Every view is
 * audited.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "inspector"]);
  const visit = visitView(args.params.id ?? "");
  if (!visit) throw notFound();
  if (!maySeeVisit(user, visit)) refuse(args, user, "a visit the user is not on");
  recordScheduleViewed({ visitId: visit.id, page: "visit" }, actorFor(user, args.context));
  const canStart = user.role === "programme_lead" || visit.team.some((m) => m.id === user.id && m.role === "lead");
  const isLead = user.role === "programme_lead";
  // The planner's reasons and the round are for programme leads: an inspector's page is sent only what it shows.
  const shown = isLead ? visit : { ...visit, reasons: [], roundId: "", roundName: "", periodStart: "", periodEnd: "" };
  return { visit: shown, isLead, inspectionId: inspectionIdForVisit(visit.id), canStart };
}

export default function VisitPage() {
  const { visit, isLead, inspectionId, canStart } = useLoaderData<typeof loader>();
  const address = [...visit.address.split(/\n|,\s*/).filter(Boolean), visit.postcode].filter(Boolean);
  return (
    <>
      <Link to={isLead ? `/selection/${visit.roundId}/schedule` : "/my-visits"} className="govuk-back-link">
        {isLead ? "Back to the round's visits" : "Back to my visits"}
      </Link>
      <span className="govuk-caption-l">Unannounced visit</span>
      <h1 className="govuk-heading-l">{visit.trustName}</h1>
      <WarningText>Confidential: the trust must not learn of this visit before the team arrives.</WarningText>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <SummaryRow label="Date">{formatCalendarDateWithWeekday(visit.date)}</SummaryRow>
            <SummaryRow label="Status">
              <VisitStatusTag status={visit.status} />
            </SummaryRow>
            <SummaryRow label="Trust">{`${visit.trustName} (${visit.trustCode}), ${visit.regionName}`}</SummaryRow>
            <SummaryRow label="Address">
              {address.map((line) => (
                <span key={line} className="govuk-!-display-block">
                  {line}
                </span>
              ))}
            </SummaryRow>
            <SummaryRow label="Team">
              <TeamList team={visit.team} />
            </SummaryRow>
            {isLead ? (
              <>
                <SummaryRow label="Round">
                  <Link className="govuk-link" to={`/selection/${visit.roundId}`}>
                    {visit.roundName}
                  </Link>
                  {` (${formatCalendarDate(visit.periodStart)} to ${formatCalendarDate(visit.periodEnd)})`}
                </SummaryRow>
                <SummaryRow label="Why this date and team">
                  <ul className="govuk-list govuk-!-margin-0">
                    {visit.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </SummaryRow>
                {visit.updatedAt ? <SummaryRow label="Last changed">{formatDateTime(visit.updatedAt)}</SummaryRow> : null}
              </>
            ) : null}
          </dl>
          <h2 className="govuk-heading-m">Inspection</h2>
          {inspectionId ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={`/inspections/${inspectionId}`}>
                Open the inspection
              </Link>
            </p>
          ) : visit.status === "scheduled" && canStart ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={`/inspections/new?visit=${visit.id}`}>
                Start the inspection
              </Link>
              : choose the frameworks and profiles it is assessed against.
            </p>
          ) : (
            <p className="govuk-body">Not started yet. The lead inspector or a programme lead starts it.</p>
          )}
          {isLead && (visit.status === "proposed" || visit.status === "scheduled") ? (
            <Link to={`/visits/${visit.id}/change`} role="button" draggable="false" className="govuk-button" data-module="govuk-button">
              Change the date or team
            </Link>
          ) : null}
        </div>
      </div>
    </>
  );
}
