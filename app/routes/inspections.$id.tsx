import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { ratingLabel, SEVERITY_LABELS } from "~/baseline/rating";
import { InspectionError, recordArrival } from "~/inspections/inspections.server";
import { inspectionAccess, inspectionHeader, inspectionOverview, recordInspectionViewed } from "~/inspections/workspace.server";
import { InspectionStatusTag } from "~/inspections/inspection-display";
import { formatCalendarDateWithWeekday, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Inspection of ${data?.overview.inspection.trustName ?? "a trust"} – Deep Dive` }];

/** The team, programme leads and admins see an inspection before publication; anyone else gets 404 (audited). */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const overview = inspectionOverview(args.params.id ?? "");
  if (!overview) throw notFound();
  const access = inspectionAccess(user, overview.inspection) ?? refuse(args, user, "an inspection the user is not on");
  recordInspectionViewed(overview.inspection.id, "overview", actorFor(user, args.context));
  const isVisitLead = overview.inspection.team.some((m) => m.id === user.id && m.role === "lead");
  return { overview, access, isVisitLead, arrived: new URL(args.request.url).searchParams.get("done") === "arrived" };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "an inspection the user is not on");
  const form = await args.request.formData();
  if (form.get("intent") !== "arrive") return data({ error: "Choose what to do" }, { status: 400 });
  try {
    recordArrival(inspection.id, actorFor(user, args.context));
    return redirect(`/inspections/${inspection.id}?done=arrived`);
  } catch (error) {
    if (error instanceof InspectionError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function InspectionPage() {
  const { overview, isVisitLead, arrived } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { inspection, summary } = overview;
  const recording = inspection.status === "on_site" || inspection.status === "draft";
  return (
    <>
      {arrived && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Arrival recorded: the trust has been given notice now. Record findings below.</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={{ arrive: result?.error }} />
      <span className="govuk-caption-l">Inspection</span>
      <h1 className="govuk-heading-l">{inspection.trustName}</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <SummaryRow label="Status">
              <InspectionStatusTag status={inspection.status} />
            </SummaryRow>
            <SummaryRow label="Visit">{inspection.visitDate ? formatCalendarDateWithWeekday(inspection.visitDate) : "No visit"}</SummaryRow>
            <SummaryRow label="Team">{inspection.team.map((m) => `${m.name}${m.role === "lead" ? " (lead)" : ""}`).join(", ")}</SummaryRow>
            <SummaryRow label="Arrived">{inspection.arrivedAt ? formatDateTime(inspection.arrivedAt) : "Not yet"}</SummaryRow>
            <SummaryRow label="Progress">{`${summary.assessed} of ${summary.total} criteria assessed, ${summary.gaps} ${summary.gaps === 1 ? "gap" : "gaps"} against the profile`}</SummaryRow>
          </dl>
        </div>
      </div>

      {inspection.status === "planned" && isVisitLead ? (
        <div id="arrive" tabIndex={-1}>
          <h2 className="govuk-heading-m">Arrival</h2>
          <p className="govuk-body">Record the team&apos;s arrival when you give the trust notice of the inspection. Findings can be recorded from then on.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="arrive" />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Record our arrival
            </button>
          </Form>
        </div>
      ) : inspection.status === "planned" ? (
        <p className="govuk-body">Findings can be recorded once the visit&apos;s lead inspector records the team&apos;s arrival.</p>
      ) : null}

      {overview.frameworks.map((framework) => (
        <section key={framework.frameworkVersionId} aria-labelledby={`framework-${framework.frameworkVersionId}`}>
          <h2 className="govuk-heading-m" id={`framework-${framework.frameworkVersionId}`}>
            {framework.title}
          </h2>
          <p className="govuk-body">{`Profile: ${framework.profileName}. ${framework.summary.assessed} of ${framework.summary.total} assessed, ${framework.summary.gaps} ${framework.summary.gaps === 1 ? "gap" : "gaps"}.`}</p>
          {framework.sections.map((section) =>
            section.criteria.length === 0 ? (
              <h3 key={section.code} className="govuk-heading-s">
                {`${section.code} ${section.title}`}
                <span className="govuk-caption-s">{`${section.summary.assessed} of ${section.summary.total} assessed, ${section.summary.gaps} ${section.summary.gaps === 1 ? "gap" : "gaps"}`}</span>
              </h3>
            ) : (
              <div className="app-table-wrapper" key={section.code}>
                <table className="govuk-table govuk-table--small-text-until-tablet">
                  <caption className="govuk-table__caption govuk-table__caption--s">
                    {`${section.code} ${section.title}`}
                    <span className="govuk-caption-s">{`${section.summary.assessed} of ${section.summary.total} assessed, ${section.summary.gaps} ${section.summary.gaps === 1 ? "gap" : "gaps"}`}</span>
                  </caption>
                  <TableHead headings={["Criterion", "Rating", "Against the profile"]} />
                  <tbody className="govuk-table__body">
                    {section.criteria.map((c) => (
                      <tr className="govuk-table__row" key={c.criterionId}>
                        <th scope="row" className="govuk-table__header">
                          {recording ? (
                            <Link className="govuk-link" to={`/inspections/${inspection.id}/criteria/${c.criterionId}`}>
                              {`${c.code} ${c.title}`}
                            </Link>
                          ) : (
                            `${c.code} ${c.title}`
                          )}
                        </th>
                        <td className="govuk-table__cell">{ratingLabel(c.rating, c.scale)}</td>
                        <td className="govuk-table__cell">
                          {c.gap === "gap" ? (
                            <strong className="govuk-tag govuk-tag--red">{c.severity ? `Gap: ${SEVERITY_LABELS[c.severity]}` : "Gap: severity needed"}</strong>
                          ) : c.gap === "meets" ? (
                            "Meets the profile"
                          ) : c.gap === "not-assessed" ? (
                            "Not assessed yet"
                          ) : c.gap === "not-applicable" ? (
                            "Not applicable"
                          ) : (
                            "No minimum"
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ),
          )}
        </section>
      ))}
    </>
  );
}
