import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { InspectionStatusTag } from "~/inspections/inspection-display";
import { listInspections } from "~/inspections/workspace.server";
import { formatCalendarDate } from "~/ui/dates";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Inspections – Deep Dive" }];

/**
 * Programme leads and admins see every inspection; an inspector sees those of visits they are on and those they
 * review. Submitted findings waiting for a reviewer are listed first for programme leads and for every inspector not
 * on the visit's team.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  return { inspections: listInspections(user), role: user.role };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["inspections"][number];

function InspectionsTable({ rows, caption }: { rows: Row[]; caption: string }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet">
        <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">{caption}</caption>
        <TableHead headings={["Visit", "Trust", "Status", "Reviewer"]} />
        <tbody className="govuk-table__body">
          {rows.map((i) => (
            <tr className="govuk-table__row" key={i.id}>
              <td className="govuk-table__cell">{i.visitDate ? formatCalendarDate(i.visitDate) : ""}</td>
              <th scope="row" className="govuk-table__header">
                <Link className="govuk-link" to={`/inspections/${i.id}`}>
                  {`${i.trustName} (${i.trustCode})`}
                </Link>
              </th>
              <td className="govuk-table__cell">
                <InspectionStatusTag status={i.status} />
              </td>
              <td className="govuk-table__cell">{i.reviewerName ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Inspections() {
  const { inspections, role } = useLoaderData<typeof loader>();
  const awaiting = inspections.filter((i) => i.awaitingMyReview);
  const others = role === "inspector" ? inspections.filter((i) => !i.awaitingMyReview) : inspections;
  return (
    <>
      <h1 className="govuk-heading-l">Inspections</h1>
      {awaiting.length > 0 ? (
        <section aria-labelledby="awaiting-review">
          <h2 className="govuk-heading-m" id="awaiting-review">
            Awaiting review
          </h2>
          <p className="govuk-body">
            Submitted findings waiting for a reviewer. A programme lead or an inspector who was not on the visit reviews them: open one and start the review.
          </p>
          <InspectionsTable rows={awaiting} caption="Inspections awaiting review" />
        </section>
      ) : null}
      {awaiting.length > 0 ? <h2 className="govuk-heading-m">{role === "inspector" ? "Your inspections" : "Every inspection"}</h2> : null}
      <p className="govuk-body">
        {role === "inspector" ? "The inspections of visits you are on, and those you review." : "Every inspection."} An inspection is started from its visit&apos;s page.
      </p>
      {others.length === 0 ? <p className="govuk-body">There are no inspections yet.</p> : <InspectionsTable rows={others} caption="Inspections, newest visit first" />}
    </>
  );
}
