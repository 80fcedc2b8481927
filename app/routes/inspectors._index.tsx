import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { WEEKDAY_LABELS } from "~/scheduling/inspector-fields";
import { listInspectors } from "~/scheduling/inspectors.server";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Inspectors – Deep Dive" }];

/** Programme leads plan the inspections, so they see every inspector; everyone else gets 404. */
export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  return { inspectors: listInspectors() };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export default function Inspectors() {
  const { inspectors } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Inspectors</h1>
      <p className="govuk-body">
        Visits are planned from each inspector&apos;s profile, leave and conflicts of interest. Open an inspector to change them. Inspectors can also keep
        their own up to date.
      </p>
      {inspectors.length === 0 ? (
        <p className="govuk-body">There are no active inspector accounts.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--m">{plural(inspectors.length, "inspector", "inspectors")}</caption>
            <TableHead headings={["Name", "Home region", "Skills", "Most visits a week", "Days not worked", "Periods of leave ahead", "Conflicts of interest"]} />
            <tbody className="govuk-table__body">
              {inspectors.map((inspector) => {
                const profile = inspector.profile;
                return (
                  <tr className="govuk-table__row" key={inspector.id}>
                    <th scope="row" className="govuk-table__header">
                      <Link to={`/inspectors/${inspector.id}`} className="govuk-link">
                        {inspector.name}
                      </Link>
                    </th>
                    {profile ? (
                      <>
                        <td className="govuk-table__cell">{profile.homeRegionName}</td>
                        <td className="govuk-table__cell">{profile.skillLabels.join(", ")}</td>
                        <td className="govuk-table__cell govuk-table__cell--numeric">{profile.maxVisitsPerWeek}</td>
                        <td className="govuk-table__cell">
                          {profile.nonWorkingWeekdays.length === 0 ? "None" : profile.nonWorkingWeekdays.map((d) => WEEKDAY_LABELS[d]).join(", ")}
                        </td>
                      </>
                    ) : (
                      <td className="govuk-table__cell" colSpan={4}>
                        <strong className="govuk-tag govuk-tag--yellow">No profile yet</strong>
                      </td>
                    )}
                    <td className="govuk-table__cell govuk-table__cell--numeric">{inspector.leaveAhead}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{inspector.activeConflicts}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
