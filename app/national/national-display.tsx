/**
 * How the national picture is drawn: server-rendered HTML and inline SVG, no JavaScript, no style attributes (the
 * CSP allows only stylesheets: colours come from classes in national.css). Nothing relies on colour alone: map
 * markers have a shape per band and the trusts are listed by band; heatmap cells carry a short code; every chart has
 * its numbers in a table.
 */
import { Link } from "@remix-run/react";
import { InspectionStatusTag, type InspectionStatus } from "~/inspections/inspection-display";
import { BandTag } from "~/ui/charts";
import { formatCalendarDate } from "~/ui/dates";
import { percent, ratingCell, ratingKey, trendLayout, type FrameworkPicture } from "./ratings";
import type { StatusCount } from "./status-counts";
import { BAND_MARKERS, bandLabel, markerPath, type TrustMap } from "./trust-map";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ── Inspections by status ──────────────────────────────────────────────────────────────────────────────────

export function StatusTable({ counts, total }: { counts: StatusCount<InspectionStatus>[]; total: number }) {
  return (
    <table className="govuk-table app-national-status" id="status-counts">
      <caption className="govuk-table__caption govuk-table__caption--s">Inspections in each status</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          <th scope="col" className="govuk-table__header">
            Status
          </th>
          <th scope="col" className="govuk-table__header govuk-table__header--numeric">
            Inspections
          </th>
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {counts.map((c) => (
          <tr className="govuk-table__row" key={c.status} data-status={c.status}>
            <th scope="row" className="govuk-table__header">
              <InspectionStatusTag status={c.status} />
            </th>
            <td className="govuk-table__cell govuk-table__cell--numeric" data-count={c.count}>
              {c.count}
            </td>
          </tr>
        ))}
        <tr className="govuk-table__row" data-status="all">
          <th scope="row" className="govuk-table__header">
            All inspections
          </th>
          <td className="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold" data-count={total}>
            {total}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

// ── The map ────────────────────────────────────────────────────────────────────────────────────────────────

function Marker({ band }: { band: number }) {
  return (
    <svg className="app-map__key-marker" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path className={`app-map__marker app-map__marker--band-${band}`} d={markerPath(band, 8, 8, 5.5)} />
    </svg>
  );
}

export function TrustMapFigure({ map, asOf }: { map: TrustMap; asOf: string }) {
  const counts = map.byBand.map((b) => ({ band: b.band, count: b.trusts.length }));
  const total = counts.reduce((s, c) => s + c.count, 0);
  const summary =
    `Map of England with ${plural(map.points.length, "open NHS trust")} as points at their headquarters, marked by risk band: ` +
    counts.map((c) => `band ${c.band}, ${c.count}`).join("; ") +
    ". The trusts are listed by band below the map.";
  return (
    <figure className="app-map" aria-labelledby="trust-map-caption">
      <figcaption id="trust-map-caption" className="govuk-body-s">
        Every open NHS trust at its headquarters, marked by its risk band as of {formatCalendarDate(asOf)}. Each band has its own shape
        and colour. Region names sit near the middle of each region&apos;s trusts.
      </figcaption>
      <ul className="govuk-list app-map__key" aria-label="Key to the map">
        {counts.map((c) => (
          <li key={c.band} data-band={c.band}>
            <Marker band={c.band} /> {bandLabel(c.band)}, {BAND_MARKERS[c.band] ?? "circle"}: {plural(c.count, "trust")}
          </li>
        ))}
      </ul>
      <svg
        className="app-map__svg"
        id="trust-map"
        viewBox={`0 0 ${map.width} ${map.height}`}
        role="img"
        aria-label={summary}
        focusable="false"
      >
        <rect className="app-map__ground" x={0} y={0} width={map.width} height={map.height} />
        {map.points.map((p) => (
          <path key={p.trustCode} className={`app-map__marker app-map__marker--band-${p.band}`} d={markerPath(p.band, p.x, p.y)} data-trust={p.trustCode} data-band={p.band}>
            <title>{`${p.name} (${p.trustCode}): band ${p.band}`}</title>
          </path>
        ))}
        {map.regions.map((r) => (
          <text key={r.name} className="app-map__region" x={r.x} y={r.y} textAnchor="middle">
            {r.name}
          </text>
        ))}
      </svg>
      {map.unplaced.length > 0 ? (
        <p className="govuk-body-s" id="map-unplaced">
          Not on the map, because the register has no location for {map.unplaced.length === 1 ? "it" : "them"}:{" "}
          {map.unplaced.map((t, i) => (
            <span key={t.trustCode}>
              {i > 0 ? "; " : ""}
              {t.name} ({t.trustCode}), band {t.band}
            </span>
          ))}
          .
        </p>
      ) : null}
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Show the {plural(total, "trust")} by risk band</span>
        </summary>
        <div className="govuk-details__text">
          <table className="govuk-table govuk-table--small-text-until-tablet" id="trusts-by-band">
            <caption className="govuk-table__caption govuk-table__caption--s">Open trusts by risk band, highest priority first</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Trust
                </th>
                <th scope="col" className="govuk-table__header">
                  Region
                </th>
                <th scope="col" className="govuk-table__header">
                  Band
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {map.byBand.flatMap((b) =>
                b.trusts.map((t) => (
                  <tr className="govuk-table__row" key={t.trustCode} data-trust={t.trustCode}>
                    <th scope="row" className="govuk-table__header">
                      <Link className="govuk-link" to={`/risk/trusts/${t.trustCode}`}>
                        {t.name}
                      </Link>{" "}
                      ({t.trustCode}){t.placed ? "" : ", not on the map"}
                    </th>
                    <td className="govuk-table__cell">{t.regionName}</td>
                    <td className="govuk-table__cell">
                      <BandTag band={b.band} />
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

// ── The heatmap ────────────────────────────────────────────────────────────────────────────────────────────

function RatingKey({ picture }: { picture: FrameworkPicture }) {
  return (
    <ul className="govuk-list app-heatmap-key" aria-label={`Key to the ratings of ${picture.title}`}>
      {ratingKey(picture.columns.map((c) => c.scale)).map((k) => (
        <li key={`${k.code}-${k.label}`}>
          <span className={`app-heatmap__swatch app-heatmap__cell--${k.kind}`} aria-hidden="true">
            {k.code}
          </span>{" "}
          {k.label}
        </li>
      ))}
    </ul>
  );
}

export function Heatmap({ picture }: { picture: FrameworkPicture }) {
  const id = `heatmap-${picture.frameworkVersionId}`;
  return (
    <>
      <h3 className="govuk-heading-s">{picture.title}</h3>
      <RatingKey picture={picture} />
      <div className="app-table-wrapper app-heatmap-wrapper" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
        <table className="govuk-table app-heatmap" id={id} data-framework={picture.frameworkVersionId}>
          <caption id={`${id}-caption`} className="govuk-table__caption govuk-table__caption--s">
            Ratings in {picture.title}, at each trust&apos;s latest inspection ({plural(picture.heatmap.length, "trust")})
          </caption>
          <colgroup>
            <col />
          </colgroup>
          {picture.groups.map((g) => (
            <colgroup key={g.code} span={g.span} />
          ))}
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <td className="govuk-table__header app-heatmap__corner" />
              {picture.groups.map((g) => (
                <th key={g.code} scope="colgroup" colSpan={g.span} className="govuk-table__header app-heatmap__group">
                  {g.code.length <= 2 ? `${g.code} ${g.title}` : g.title}
                </th>
              ))}
            </tr>
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Trust
              </th>
              {picture.columns.map((c) => (
                <th key={c.criterionId} scope="col" className="govuk-table__header app-heatmap__code" title={c.title}>
                  {c.code}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {picture.heatmap.map((row) => (
              <tr className="govuk-table__row" key={row.inspectionId} data-trust={row.trustCode}>
                <th scope="row" className="govuk-table__header app-heatmap__trust">
                  <Link className="govuk-link" to={`/inspections/${row.inspectionId}`}>
                    {row.trustName}
                  </Link>
                  <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                    {row.trustCode}, {formatCalendarDate(row.date)}
                  </span>
                </th>
                {row.ratings.map((rating, i) => {
                  const column = picture.columns[i]!;
                  const cell = ratingCell(rating, column.scale);
                  return (
                    <td key={column.criterionId} className={`govuk-table__cell app-heatmap__cell app-heatmap__cell--${cell.kind}`} data-code={cell.code}>
                      <span aria-hidden="true">{cell.code}</span>
                      <span className="govuk-visually-hidden">{cell.label}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

// ── Shares meeting the profile ─────────────────────────────────────────────────────────────────────────────

export function ShareTable({ picture }: { picture: FrameworkPicture }) {
  const id = `shares-${picture.frameworkVersionId}`;
  return (
    <>
      <h3 className="govuk-heading-s">{picture.title}</h3>
      <p className="govuk-body-s">
        Judged against {picture.profiles.length === 1 ? "the profile" : "the profiles"} the inspections were assessed against:{" "}
        {picture.profiles.join(", ")}. Not applicable, not assessed and criteria without a minimum are not judged.
      </p>
      <div className="app-table-wrapper">
        <table className="govuk-table govuk-table--small-text-until-tablet app-shares" id={id} data-framework={picture.frameworkVersionId}>
          <caption className="govuk-table__caption govuk-table__caption--s">
            Share of inspected trusts meeting the profile, by {picture.columns.some((c) => c.scale === "caf") ? "outcome" : "criterion"}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Criterion
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Meeting the profile
              </th>
              <th scope="col" className="govuk-table__header">
                Share
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Not judged
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {picture.shares.map((s) => {
              const judged = s.meeting + s.gaps;
              return (
                <tr className="govuk-table__row" key={s.criterionId} data-criterion={s.code} data-meeting={s.meeting} data-judged={judged}>
                  <th scope="row" className="govuk-table__header">
                    {s.code} <span className="govuk-!-font-weight-regular">{s.title}</span>
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {s.meeting} of {judged}
                  </td>
                  <td className="govuk-table__cell app-shares__share">
                    <svg className="app-shares__bar" viewBox="0 0 100 12" width="100" height="12" aria-hidden="true" focusable="false">
                      <rect className="app-shares__track" x={0.5} y={0.5} width={99} height={11} />
                      <rect className="app-shares__fill" x={0.5} y={0.5} width={s.share === null ? 0 : Math.round(s.share * 990) / 10} height={11} />
                    </svg>{" "}
                    {percent(s.share)}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{s.notApplicable + s.notAssessed + s.noMinimum}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

// ── The trend ──────────────────────────────────────────────────────────────────────────────────────────────

export function TrendFigure({ picture }: { picture: FrameworkPicture }) {
  const id = `trend-${picture.frameworkVersionId}`;
  if (picture.trends.length === 0) {
    return (
      <>
        <h3 className="govuk-heading-s">{picture.title}</h3>
        <p className="govuk-body" id={id}>
          No trust has been inspected more than once on this framework yet.
        </p>
      </>
    );
  }
  const layout = trendLayout(picture.trends);
  const summary =
    `Share of criteria meeting the profile at each inspection, for ${plural(picture.trends.length, "trust")} inspected more than once: ` +
    picture.trends.map((t) => `${t.trustName}, ${t.points.map((p) => `${formatCalendarDate(p.date)} ${percent(p.share)}`).join(" then ")}`).join("; ") +
    ".";
  return (
    <>
      <h3 className="govuk-heading-s">{picture.title}</h3>
      <figure className="app-chart" aria-labelledby={`${id}-caption`}>
        <figcaption id={`${id}-caption`} className="govuk-body-s app-chart__caption">
          Share of criteria meeting the profile at each inspection, one line per trust, labelled with its ODS code.
        </figcaption>
        <svg className="app-chart__svg" id={id} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={summary} focusable="false">
          {layout.ticks.map((t) => (
            <g key={t.label}>
              <line className="app-chart__grid" x1={layout.left} x2={layout.width - layout.right} y1={t.y} y2={t.y} />
              <text className="app-chart__label" x={layout.left - 6} y={t.y + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          <line className="app-chart__axis" x1={layout.left} x2={layout.width - layout.right} y1={layout.height - layout.bottom + 0.5} y2={layout.height - layout.bottom + 0.5} />
          {layout.firstDate ? (
            <text className="app-chart__label" x={layout.left} y={layout.height - 8}>
              {formatCalendarDate(layout.firstDate)}
            </text>
          ) : null}
          {layout.lastDate && layout.lastDate !== layout.firstDate ? (
            <text className="app-chart__label" x={layout.width - layout.right} y={layout.height - 8} textAnchor="end">
              {formatCalendarDate(layout.lastDate)}
            </text>
          ) : null}
          {layout.lines.map((line) => {
            const last = line.points[line.points.length - 1];
            return (
              <g key={line.trustCode} data-trust={line.trustCode}>
                {line.points.length > 1 ? <polyline className="app-chart__line" points={line.points.map((p) => `${p.x},${p.y}`).join(" ")} /> : null}
                {line.points.map((p) => (
                  <circle key={p.date} className="app-chart__point" cx={p.x} cy={p.y} r={4}>
                    <title>{`${line.trustName}, ${formatCalendarDate(p.date)}: ${percent(p.share)}`}</title>
                  </circle>
                ))}
                {last ? (
                  <text className="app-chart__label" x={last.x + 8} y={last.y + 4}>
                    {line.trustCode}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </figure>
      <div className="app-table-wrapper">
        <table className="govuk-table govuk-table--small-text-until-tablet" id={`${id}-table`}>
          <caption className="govuk-table__caption govuk-table__caption--s">
            Between one inspection and the next: the share meeting the profile, and how many criteria improved, held or fell
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Trust
              </th>
              <th scope="col" className="govuk-table__header">
                From
              </th>
              <th scope="col" className="govuk-table__header">
                To
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Improved
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Held
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Fell
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Not compared
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {picture.trends.flatMap((t) =>
              t.steps.map((s, n) => (
                <tr className="govuk-table__row" key={`${t.trustCode}-${s.toDate}-${n}`} data-trust={t.trustCode}>
                  <th scope="row" className="govuk-table__header">
                    {t.trustName} ({t.trustCode})
                  </th>
                  <td className="govuk-table__cell">
                    {formatCalendarDate(s.fromDate)}: {percent(t.points[n]!.share)}
                  </td>
                  <td className="govuk-table__cell">
                    {formatCalendarDate(s.toDate)}: {percent(t.points[n + 1]!.share)}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-movement="improved">
                    {s.improved}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-movement="held">
                    {s.held}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-movement="fell">
                    {s.fell}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-movement="not-compared">
                    {s.notCompared}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
