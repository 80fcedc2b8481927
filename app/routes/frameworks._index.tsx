import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { listFrameworkVersions } from "~/baseline/frameworks.server";
import { formatDateTime } from "~/ui/dates";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Baseline frameworks – Deep Dive" }];

/** The loaded framework versions and their profiles. Admins load new versions on the admin page. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  return { versions: listFrameworkVersions(), canLoad: user.role === "admin" };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

export default function Frameworks() {
  const { versions, canLoad } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Baseline frameworks</h1>
      <p className="govuk-body">
        Inspections rate trusts against these frameworks. A framework version never changes once loaded: new wording is a new version. A
        profile sets the minimum rating each criterion needs for a trust to be good.
      </p>
      {canLoad ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/admin/frameworks">
            Load a framework file
          </Link>
        </p>
      ) : null}
      {versions.length === 0 ? (
        <p className="govuk-body">No framework has been loaded yet.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet" id="framework-versions">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Framework versions</caption>
            <TableHead headings={["Framework", "Version", "Criteria", "Profiles", "Loaded"]} />
            <tbody className="govuk-table__body">
              {versions.map((v) => (
                <tr className="govuk-table__row" key={v.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/frameworks/${v.id}`}>
                      {v.title}
                    </Link>
                    <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">{v.framework}</span>
                  </th>
                  <td className="govuk-table__cell">{v.version}</td>
                  <td className="govuk-table__cell">{plural(v.criteria, "criterion", "criteria")}</td>
                  <td className="govuk-table__cell">
                    {v.profiles.length === 0 ? (
                      "None"
                    ) : (
                      <ul className="govuk-list govuk-!-margin-bottom-0">
                        {v.profiles.map((p) => (
                          <li key={p.id}>
                            {p.name} (version {p.version}): minimums for {plural(p.minimums, "criterion", "criteria")}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="govuk-table__cell">{formatDateTime(v.loadedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
