import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { actorFor, notFound, requireStaff } from "~/auth/guards.server";
import { writeTransaction } from "~/db.server";
import { historySeries } from "~/risk/history-series";
import { currentModel, freshnessText, indicatorInfo, observationHistory, rankTrusts } from "~/risk/ranking.server";
import { BROAD_TYPE_LABELS, getTrust, todayInLondon } from "~/trusts/register.server";
import { BandTag, BarChart, LineChart, NumericTableHead } from "~/ui/charts";
import { formatCalendarDate } from "~/ui/dates";
import { TableHead } from "~/ui/table";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.trust.name}: risk – Deep Dive` : "Page not found – Deep Dive" },
];

/**
 * One trust's risk: score, band, likelihood, impact, each indicator's contribution and its history. A closed trust
 * is not ranked: the page says so and shows its history. Unknown codes are 404. Every view is audited.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const trust = getTrust(args.params.code ?? "");
  if (!trust) throw notFound();
  writeTransaction((tx) =>
    recordAudit(tx, actorFor(user, args.context), {
      action: "risk.viewed",
      objectType: "trust",
      objectId: trust.odsCode,
      summary: { page: "trust-risk" },
    }),
  );
  const info = indicatorInfo();
  const model = currentModel();
  const asOf = todayInLondon();
  const ranking = trust.isClosed ? null : rankTrusts(model.config, asOf);
  const row = ranking?.rows.find((r) => r.trustCode === trust.odsCode) ?? null;

  const history = observationHistory(trust.odsCode);
  const series = historySeries(history, info, model.config);

  return {
    trust: {
      odsCode: trust.odsCode,
      name: trust.name,
      typeLabel: BROAD_TYPE_LABELS[trust.broadType],
      isClosed: trust.isClosed,
      closedOn: trust.closedOn,
      isMtc: trust.traumaCentres.length > 0,
      isAmbulance: trust.isAmbulance,
    },
    modelVersion: { id: model.id, name: model.name },
    asOf,
    total: ranking?.rows.length ?? 0,
    risk: row
      ? {
          rank: row.rank,
          score: row.score,
          band: row.band,
          likelihood: row.likelihood,
          impact: row.impact,
          contributions: row.contributions,
          freshness: freshnessText(row.freshness),
          newestObservedOn: row.freshness.newestObservedOn,
        }
      : null,
    series,
  };
}

const STATUS_TEXT = { current: "Current", stale: "Stale", missing: "No data" } as const;

export default function TrustRisk() {
  const { trust, modelVersion, asOf, total, risk, series } = useLoaderData<typeof loader>();
  const impactReasons = [`type ${trust.typeLabel.toLowerCase()}`, trust.isMtc ? "runs a major trauma centre" : "", trust.isAmbulance ? "ambulance service" : ""]
    .filter(Boolean)
    .join(", ");
  return (
    <>
      <Link to="/risk" className="govuk-back-link">
        Back to the risk ranking
      </Link>
      <span className="govuk-caption-l">{trust.odsCode}</span>
      <h1 className="govuk-heading-l">{trust.name}: risk</h1>
      <p className="govuk-body">
        <Link className="govuk-link" to={`/trusts/${trust.odsCode}`}>
          Register details for this trust
        </Link>
      </p>
      {!risk ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            This trust closed on {formatCalendarDate(trust.closedOn)}: it is not ranked. Its indicator history is below.
          </strong>
        </div>
      ) : (
        <>
          <dl className="govuk-summary-list" id="risk-summary">
            <SummaryRow label="Score">
              <span id="risk-score">{risk.score.toFixed(1)}</span> out of 100
            </SummaryRow>
            <SummaryRow label="Priority band">
              <BandTag band={risk.band} />
            </SummaryRow>
            <SummaryRow label="Rank">
              {risk.rank} of {total} open trusts
            </SummaryRow>
            <SummaryRow label="Likelihood">{risk.likelihood.toFixed(2)} (0 to 1: the weighted average badness of the indicators)</SummaryRow>
            <SummaryRow label="Impact">
              {risk.impact.toFixed(2)} (0 to 1: {impactReasons})
            </SummaryRow>
            <SummaryRow label="Data">
              {risk.freshness}
              {risk.newestObservedOn ? `; newest observation ${formatCalendarDate(risk.newestObservedOn)}` : ""}
            </SummaryRow>
            <SummaryRow label="Risk model">
              <Link className="govuk-link" to={`/risk/models/${modelVersion.id}`}>
                {modelVersion.name}
              </Link>
              , as of {formatCalendarDate(asOf)}
            </SummaryRow>
          </dl>

          <h2 className="govuk-heading-m">Why this score</h2>
          <p className="govuk-body">
            Score = 100 × likelihood × impact. Each indicator adds points in proportion to its weight and how bad its latest value
            is. Missing and stale data count as risk.
          </p>
          <BarChart
            id="contributions"
            caption={`Points each indicator adds to the score of ${risk.score.toFixed(1)}. Hatched bars are stale or missing data.`}
            summary={`Points per indicator: ${risk.contributions.map((c) => `${c.label} ${c.points.toFixed(1)}${c.status !== "current" ? ` (${STATUS_TEXT[c.status].toLowerCase()})` : ""}`).join("; ")}.`}
            data={risk.contributions.map((c) => ({
              label: c.label,
              value: c.points,
              note: c.status === "current" ? undefined : STATUS_TEXT[c.status].toLowerCase(),
              tone: c.status === "current" ? undefined : c.status,
            }))}
            labelHeading="Indicator"
            valueHeading="Points"
            noteHeading="Data"
          />
          <div className="app-table-wrapper">
            <table className="govuk-table govuk-table--small-text-until-tablet" id="contributions-table">
              <caption className="govuk-table__caption govuk-table__caption--s">Each indicator&apos;s contribution</caption>
              <NumericTableHead headings={["Indicator", "What we know", "Data", "Points"]} numeric={[3]} />
              <tbody className="govuk-table__body">
                {risk.contributions.map((c) => (
                  <tr className="govuk-table__row" key={c.indicatorCode}>
                    <th scope="row" className="govuk-table__header">
                      {c.label}
                    </th>
                    <td className="govuk-table__cell">
                      {c.reason}
                      {c.observedOn ? <span className="govuk-!-display-block govuk-body-s govuk-!-margin-bottom-0">Observed {formatCalendarDate(c.observedOn)}</span> : null}
                    </td>
                    <td className="govuk-table__cell">
                      {c.status === "current" ? (
                        STATUS_TEXT.current
                      ) : (
                        <strong className={`govuk-tag ${c.status === "missing" ? "govuk-tag--red" : "govuk-tag--yellow"}`}>{STATUS_TEXT[c.status]}</strong>
                      )}
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric" data-points={c.points}>
                      {c.points.toFixed(1)}
                    </td>
                  </tr>
                ))}
                <tr className="govuk-table__row">
                  <th scope="row" className="govuk-table__header" colSpan={3}>
                    Score
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold">{risk.score.toFixed(1)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2 className="govuk-heading-m">Indicator history</h2>
      {series.length === 0 ? <p className="govuk-body">There are no observations for this trust yet.</p> : null}
      {series.map((s) =>
        s.kind === "line" ? (
          <section key={s.code} aria-labelledby={`history-${s.code}`}>
            <h3 className="govuk-heading-s" id={`history-${s.code}`}>
              {s.label}
            </h3>
            <LineChart
              id={`chart-${s.code}`}
              caption={`${s.label}, ${s.points.length} ${s.points.length === 1 ? "observation" : "observations"} from ${formatCalendarDate(s.points[0]?.date)} to ${formatCalendarDate(s.points[s.points.length - 1]?.date)}${s.references.length ? ". Dashed lines: the current model's good and bad thresholds" : ""}.`}
              summary={`${s.label} over time: ${describeLine(s.points, s.unit)}`}
              points={s.points}
              min={s.min}
              max={s.max}
              unit={s.unit}
              references={s.references}
              formatDate={formatCalendarDate}
            />
          </section>
        ) : (
          <section key={s.code} aria-labelledby={`history-${s.code}`}>
            <h3 className="govuk-heading-s" id={`history-${s.code}`}>
              {s.label}
            </h3>
            <table className="govuk-table govuk-table--small-text-until-tablet">
              <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">{s.label}, newest first</caption>
              <TableHead headings={["Value", "Period", "Observed"]} />
              <tbody className="govuk-table__body">
                {s.steps.map((step, i) => (
                  <tr className="govuk-table__row" key={i}>
                    <th scope="row" className="govuk-table__header">
                      {step.text}
                    </th>
                    <td className="govuk-table__cell">{step.period ?? ""}</td>
                    <td className="govuk-table__cell">
                      {step.from === step.to ? formatCalendarDate(step.from) : `${formatCalendarDate(step.from)} to ${formatCalendarDate(step.to)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ),
      )}
    </>
  );
}

/** A sentence for a line chart's label: first, last, lowest and highest values. */
function describeLine(points: { date: string; value: number }[], unit: string | null): string {
  if (points.length === 0) return "no observations.";
  const u = unit === "%" ? "%" : unit ? ` ${unit}` : "";
  const values = points.map((p) => p.value);
  const f = (n: number) => `${Math.round(n * 10) / 10}${u}`;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return `${f(first.value)} on ${formatCalendarDate(first.date)}, ${f(last.value)} on ${formatCalendarDate(last.date)}; lowest ${f(Math.min(...values))}, highest ${f(Math.max(...values))}.`;
}
