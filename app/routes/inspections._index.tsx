import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { InspectionStatusTag } from "~/inspections/inspection-display";
import { listInspections } from "~/inspections/workspace.server";
import { formatCalendarDate } from "~/ui/dates";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Inspections – Deep Dive" }];

/** Programme leads and admins see every inspection; an inspector sees those of visits they are on. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  return { inspections: listInspections(user), role: user.role };
}

export default function Inspections() {
  const { inspections, role } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Inspections</h1>
      <p className="govuk-body">
        {role === "inspector" ? "The inspections of visits you are on." : "Every inspection."} An inspection is started from its visit&apos;s page.
      </p>
      {inspections.length === 0 ? (
        <p className="govuk-body">There are no inspections yet.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Inspections, newest visit first</caption>
            <TableHead headings={["Visit", "Trust", "Status"]} />
            <tbody className="govuk-table__body">
              {inspections.map((i) => (
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
