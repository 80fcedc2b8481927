import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { actorFor, requireStaff } from "~/auth/guards.server";
import { writeTransaction } from "~/db.server";
import { currentRanking, filterRanking, freshnessText, parseRankingFilters } from "~/risk/ranking.server";
import { BROAD_TYPE_LABELS, trustFilterChoices } from "~/trusts/register.server";
import { BandTag, ColumnChart, NumericTableHead } from "~/ui/charts";
import { formatCalendarDate } from "~/ui/dates";
import { Select } from "~/ui/form";
import { FilterPanel } from "~/ui/filter-panel";

// The title only when the page is shown: a refusal (404) must not say what is here.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? "Risk ranking – Deep Dive" : "Page not found – Deep Dive" }];

/** Confidential planning data: every view is audited. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const filters = parseRankingFilters(new URL(args.request.url).searchParams);
  const ranking = currentRanking();
  writeTransaction((tx) =>
    recordAudit(tx, actorFor(user, args.context), {
      action: "risk.viewed",
      objectType: "risk-ranking",
      objectId: String(ranking.modelVersion.id),
      summary: { page: "ranking", asOf: ranking.asOf, filters },
    }),
  );
  const rows = filterRanking(ranking.rows, filters).map((r) => ({
    rank: r.rank,
    trustCode: r.trustCode,
    name: r.name,
    typeLabel: BROAD_TYPE_LABELS[r.broadType],
    score: r.score,
    band: r.band,
    reasons: r.contributions.filter((c) => c.points > 0).slice(0, 3).map((c) => ({ text: c.reason, points: c.points })),
    freshness: freshnessText(r.freshness),
  }));
  return {
    filters,
    choices: trustFilterChoices(),
    modelVersion: ranking.modelVersion,
    asOf: ranking.asOf,
    total: ranking.rows.length,
    rows,
  };
}

const ANY = { value: "", text: "Any" };
const BAND_OPTIONS = [1, 2, 3, 4, 5, 6].map((b) => ({ value: String(b), text: `Band ${b}${b === 1 ? " (highest)" : b === 6 ? " (lowest)" : ""}` }));

export default function RiskRanking() {
  const { filters, choices, modelVersion, asOf, total, rows } = useLoaderData<typeof loader>();
  const filtered = rows.length !== total;
  const count = `${rows.length} ${rows.length === 1 ? "trust" : "trusts"}${filtered ? ` of ${total}` : ""}`;
  const perBand = [1, 2, 3, 4, 5, 6].map((band) => ({ label: `Band ${band}`, value: rows.filter((r) => r.band === band).length, tone: `band-${band}` }));
  return (
    <>
      <h1 className="govuk-heading-l">Risk ranking</h1>
      <p className="govuk-body">
        Every open NHS trust, scored from its latest indicators by the risk model{" "}
        <Link className="govuk-link" to={`/risk/models/${modelVersion.id}`}>
          {modelVersion.name}
        </Link>{" "}
        as of {formatCalendarDate(asOf)}. Band 1 is the highest priority. Missing and out-of-date data count as risk.{" "}
        <Link className="govuk-link" to="/risk/models">
          Risk model versions
        </Link>
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-quarter">
          <FilterPanel action="/risk" label="Filter the ranking">
            <Select
              name="region"
              label="Region"
              defaultValue={filters.regionCode ?? ""}
              options={[ANY, ...choices.regions.map((r) => ({ value: r.code, text: r.name }))]}
            />
            <Select name="type" label="Type" defaultValue={filters.broadType ?? ""} options={[ANY, ...choices.types]} />
            <Select name="band" label="Band" defaultValue={filters.band ? String(filters.band) : ""} options={[ANY, ...BAND_OPTIONS]} />
          </FilterPanel>
        </div>
        <div className="govuk-grid-column-three-quarters">
          <p className="govuk-body govuk-!-font-weight-bold" role="status" id="risk-count">
            {count}
          </p>
          {rows.length === 0 ? (
            <p className="govuk-body">No trusts match the filters. Change the filters or clear them to see every open trust.</p>
          ) : (
            <>
              <h2 className="govuk-heading-m">Trusts in each band</h2>
              <ColumnChart
                id="band-distribution"
                caption={`Number of trusts in each priority band${filtered ? ", of the trusts that match the filters" : ""}.`}
                summary={`Trusts per band: ${perBand.map((b) => `${b.label}, ${b.value}`).join("; ")}.`}
                data={perBand}
                labelHeading="Band"
                valueHeading="Trusts"
              />
              <div className="app-table-wrapper">
                <table className="govuk-table govuk-table--small-text-until-tablet" id="risk-table">
                  <caption className="govuk-table__caption govuk-table__caption--m">Ranking, highest score first</caption>
                  <NumericTableHead headings={["Rank", "Trust", "Score", "Band", "Main reasons", "Data"]} numeric={[0, 2]} />
                  <tbody className="govuk-table__body">
                    {rows.map((row) => (
                      <tr className="govuk-table__row" key={row.trustCode}>
                        <td className="govuk-table__cell govuk-table__cell--numeric">{row.rank}</td>
                        <th scope="row" className="govuk-table__header">
                          <Link to={`/risk/trusts/${row.trustCode}`} className="govuk-link">
                            {row.name}
                          </Link>
                          <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                            {row.trustCode}, {row.typeLabel}
                          </span>
                        </th>
                        <td className="govuk-table__cell govuk-table__cell--numeric" data-score={row.score}>
                          {row.score.toFixed(1)}
                        </td>
                        <td className="govuk-table__cell">
                          <BandTag band={row.band} />
                        </td>
                        <td className="govuk-table__cell">
                          {row.reasons.length === 0 ? (
                            "None"
                          ) : (
                            <ul className="govuk-list govuk-list--bullet govuk-body-s app-reasons">
                              {row.reasons.map((r) => (
                                <li key={r.text}>
                                  {r.text} ({r.points.toFixed(1)})
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td className="govuk-table__cell">{row.freshness}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      </div>
    </>
  );
}
