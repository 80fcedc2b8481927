import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { listModelVersions } from "~/risk/models.server";
import { formatDateTime } from "~/ui/dates";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? "Risk model versions – Deep Dive" : "Page not found – Deep Dive" }];

/** The versions of the risk model, newest first, the current one marked. Programme leads can create one. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  return { versions: listModelVersions(), canCreate: user.role === "programme_lead" };
}

export default function RiskModels() {
  const { versions, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <Link to="/risk" className="govuk-back-link">
        Back to the risk ranking
      </Link>
      <h1 className="govuk-heading-l">Risk model versions</h1>
      <p className="govuk-body">
        A version is a named set of weights and rules. Versions are never changed once saved: a change is a new version. The
        current version scores the ranking.
      </p>
      {canCreate ? (
        <Link to="/risk/models/new" className="govuk-button" data-module="govuk-button">
          Create a new version
        </Link>
      ) : null}
      <div className="app-table-wrapper">
        <table className="govuk-table" id="versions-table">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Risk model versions, newest first</caption>
          <TableHead headings={["Name", "Status", "Created", "Created by"]} />
          <tbody className="govuk-table__body">
            {versions.map((v) => (
              <tr className="govuk-table__row" key={v.id}>
                <th scope="row" className="govuk-table__header">
                  <Link className="govuk-link" to={`/risk/models/${v.id}`}>
                    {v.name}
                  </Link>
                  {v.description ? <span className="govuk-!-display-block govuk-body-s govuk-!-margin-bottom-0">{v.description}</span> : null}
                </th>
                <td className="govuk-table__cell">
                  {v.isCurrent ? <strong className="govuk-tag govuk-tag--green">Current</strong> : <strong className="govuk-tag govuk-tag--grey">Not current</strong>}
                </td>
                <td className="govuk-table__cell">{formatDateTime(v.createdAt)}</td>
                <td className="govuk-table__cell">{v.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
