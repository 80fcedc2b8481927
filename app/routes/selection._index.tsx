import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { listRounds } from "~/selection/rounds.server";
import { formatCalendarDate } from "~/ui/dates";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Selection rounds – Deep Dive" }];

/** Selection is confidential: programme leads only; everyone else gets 404 (docs/decisions/0008-selection.md). */
export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  return { rounds: listRounds() };
}

const STATUS_TAGS = {
  open: { text: "Open", className: "govuk-tag--blue" },
  drawn: { text: "Drawn", className: "govuk-tag--yellow" },
  closed: { text: "Closed", className: "govuk-tag--grey" },
} as const;

export default function SelectionRounds() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Selection rounds</h1>
      <p className="govuk-body">
        Each round picks the trusts to inspect in a period: mandatory trusts first, then a draw weighted by risk, then a small validation sample from the
        lower bands. The draw is fixed in advance by a secret seed, whose fingerprint is shown from the start and which is revealed when the round closes,
        so anyone can check it.
      </p>
      <Link to="/selection/new" className="govuk-button" data-module="govuk-button" role="button" draggable={false}>
        Open a round
      </Link>
      {rounds.length === 0 ? (
        <p className="govuk-body">There are no rounds yet.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--m">Rounds</caption>
            <TableHead headings={["Name", "Status", "Period", "Capacity", "Trusts picked"]} />
            <tbody className="govuk-table__body">
              {rounds.map((round) => (
                <tr className="govuk-table__row" key={round.id}>
                  <th scope="row" className="govuk-table__header">
                    <Link to={`/selection/${round.id}`} className="govuk-link">
                      {round.name}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">
                    <strong className={`govuk-tag ${STATUS_TAGS[round.status].className}`}>{STATUS_TAGS[round.status].text}</strong>
                  </td>
                  <td className="govuk-table__cell">
                    {formatCalendarDate(round.periodStart)} to {formatCalendarDate(round.periodEnd)}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{round.capacity}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{round.status === "open" ? "Not drawn yet" : round.picks}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
