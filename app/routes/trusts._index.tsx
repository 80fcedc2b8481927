import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { BROAD_TYPE_LABELS, listTrusts, parseTrustFilters, trustFilterChoices } from "~/trusts/register.server";
import { formatCalendarDate } from "~/ui/dates";
import { Select, TextInput } from "~/ui/form";
import { TableHead } from "~/ui/table";
import { FilterPanel } from "~/ui/filter-panel";

export const meta: MetaFunction = () => [{ title: "NHS trusts – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireStaff(args);
  const filters = parseTrustFilters(new URL(args.request.url).searchParams);
  const rows = listTrusts(filters).map((row) => ({ ...row, typeLabel: BROAD_TYPE_LABELS[row.broadType] }));
  return { filters, choices: trustFilterChoices(), rows };
}

const ANY = { value: "", text: "Any" };

function statusText(row: { closedOn: string | null; isClosed: boolean }) {
  if (!row.closedOn) return "Open";
  return row.isClosed ? `Closed on ${formatCalendarDate(row.closedOn)}` : `Open (closes on ${formatCalendarDate(row.closedOn)})`;
}

export default function Trusts() {
  const { filters, choices, rows } = useLoaderData<typeof loader>();
  const count = `${rows.length} ${rows.length === 1 ? "trust" : "trusts"}`;
  return (
    <>
      <h1 className="govuk-heading-l">NHS trusts</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-quarter">
          <FilterPanel action="/trusts" label="Filter trusts">
            <TextInput name="q" label="Name or ODS code" type="search" defaultValue={filters.q} spellCheck={false} />
            <Select
              name="type"
              label="Type"
              defaultValue={filters.broadType ?? ""}
              options={[ANY, ...choices.types]}
            />
            <Select
              name="region"
              label="Region"
              defaultValue={filters.regionCode ?? ""}
              options={[ANY, ...choices.regions.map((r) => ({ value: r.code, text: r.name }))]}
            />
            <Select
              name="mtc"
              label="Major trauma centre"
              defaultValue={filters.mtc ?? ""}
              options={[ANY, { value: "yes", text: "Runs a major trauma centre" }, { value: "no", text: "Does not run one" }]}
            />
            <Select
              name="ambulance"
              label="Ambulance trust"
              defaultValue={filters.ambulance ?? ""}
              options={[ANY, { value: "yes", text: "Ambulance trusts" }, { value: "no", text: "Not ambulance trusts" }]}
            />
            <Select
              name="status"
              label="Status"
              defaultValue={filters.status}
              options={[
                { value: "open", text: "Open" },
                { value: "closed", text: "Closed" },
                { value: "all", text: "Open and closed" },
              ]}
            />
          </FilterPanel>
        </div>
        <div className="govuk-grid-column-three-quarters">
          <p className="govuk-body govuk-!-font-weight-bold" role="status" id="trust-count">
            {count}
          </p>
          {rows.length === 0 ? (
            <p className="govuk-body">No trusts match the filters. Change the filters or clear them to see every open trust.</p>
          ) : (
            <div className="app-table-wrapper">
              <table className="govuk-table govuk-table--small-text-until-tablet">
                <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">
                  NHS trusts matching the filters: {count}
                </caption>
                <TableHead headings={["Name", "ODS code", "Type", "Region", "Major trauma centre", "Status"]} />
                <tbody className="govuk-table__body">
                  {rows.map((row) => (
                    <tr className="govuk-table__row" key={row.odsCode}>
                      <th scope="row" className="govuk-table__header">
                        <Link to={`/trusts/${row.odsCode}`} className="govuk-link">
                          {row.name}
                        </Link>
                      </th>
                      <td className="govuk-table__cell">{row.odsCode}</td>
                      <td className="govuk-table__cell">{row.typeLabel}</td>
                      <td className="govuk-table__cell">{row.regionName}</td>
                      <td className="govuk-table__cell">{row.isMtc ? "Yes" : ""}</td>
                      <td className="govuk-table__cell">{statusText(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </>
  );
}
