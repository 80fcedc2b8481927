/** The table of a round's overrides (trusts removed or added by hand, with the reason), shown on the round and verify pages. */
import { formatDateTime } from "../ui/dates";
import { TableHead } from "../ui/table";

const CHANGE_LABELS = { removed: "Removed", added: "Added", restored: "Added back" } as const;

export interface OverrideRow {
  at: string;
  change: keyof typeof CHANGE_LABELS;
  trustCode: string;
  trustName: string;
  reason: string;
  by: string;
}

export function OverridesTable({ overrides, caption, showCaption }: { overrides: OverrideRow[]; caption: string; showCaption: boolean }) {
  return (
    <table className="govuk-table govuk-table--small-text-until-tablet">
      <caption className={`govuk-table__caption govuk-table__caption--s${showCaption ? "" : " govuk-visually-hidden"}`}>{caption}</caption>
      <TableHead headings={["When", "Change", "Trust", "Reason", "By"]} />
      <tbody className="govuk-table__body">
        {overrides.map((o, i) => (
          <tr className="govuk-table__row" key={i}>
            <td className="govuk-table__cell">{formatDateTime(o.at)}</td>
            <td className="govuk-table__cell">{CHANGE_LABELS[o.change]}</td>
            <th scope="row" className="govuk-table__header">
              {`${o.trustName} (${o.trustCode})`}
            </th>
            <td className="govuk-table__cell">{o.reason}</td>
            <td className="govuk-table__cell">{o.by}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
