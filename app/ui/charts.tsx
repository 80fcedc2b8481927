/**
 * Charts as server-rendered inline SVG: no JavaScript, no style attributes (the CSP allows only stylesheets),
 * colours from classes in app.css. Each chart is a figure: the SVG is one image (role="img") with a text label,
 * the caption says what it shows, and the numbers are in a table (inside a GOV.UK details element, so they are
 * there for everyone, read by screen readers without opening it, and out of the way otherwise).
 */
import type { ReactNode } from "react";

function DataTable({ caption, headings, rows }: { caption: string; headings: string[]; rows: (string | number)[][] }) {
  return (
    <details className="govuk-details app-chart__data">
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Show the numbers</span>
      </summary>
      <div className="govuk-details__text">
        <table className="govuk-table govuk-table--small-text-until-tablet">
          <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {headings.map((h) => (
                <th key={h} scope="col" className="govuk-table__header">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((row, i) => (
              <tr key={i} className="govuk-table__row">
                {row.map((cell, j) =>
                  j === 0 ? (
                    <th key={j} scope="row" className="govuk-table__header">
                      {cell}
                    </th>
                  ) : (
                    <td key={j} className="govuk-table__cell">
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function Figure({ id, caption, children }: { id: string; caption: ReactNode; children: ReactNode }) {
  return (
    <figure className="app-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="govuk-body-s app-chart__caption">
        {caption}
      </figcaption>
      {children}
    </figure>
  );
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : (Math.round(n * 10) / 10).toFixed(1));

export interface ColumnDatum {
  label: string;
  value: number;
  /** A CSS modifier for the column's colour, e.g. "band-1". */
  tone?: string;
}

/** Vertical columns with their values above them (e.g. trusts per priority band). */
export function ColumnChart({
  id,
  caption,
  summary,
  data,
  valueHeading,
  labelHeading,
}: {
  id: string;
  caption: ReactNode;
  /** One sentence for the image's label, e.g. "Trusts per band: band 1, 12; …". */
  summary: string;
  data: ColumnDatum[];
  labelHeading: string;
  valueHeading: string;
}) {
  const width = 600;
  const height = 220;
  const top = 24;
  const bottom = 30;
  const plot = height - top - bottom;
  const max = Math.max(1, ...data.map((d) => d.value));
  const slot = width / Math.max(1, data.length);
  const barWidth = Math.min(70, slot * 0.6);
  return (
    <Figure id={id} caption={caption}>
      <svg className="app-chart__svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} focusable="false">
        <line className="app-chart__axis" x1={0} x2={width} y1={top + plot + 0.5} y2={top + plot + 0.5} />
        {data.map((d, i) => {
          const h = (d.value / max) * plot;
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={d.label}>
              <rect className={`app-chart__bar${d.tone ? ` app-chart__bar--${d.tone}` : ""}`} x={x} y={top + plot - h} width={barWidth} height={h} />
              <text className="app-chart__value" x={x + barWidth / 2} y={top + plot - h - 6} textAnchor="middle">
                {fmt(d.value)}
              </text>
              <text className="app-chart__label" x={x + barWidth / 2} y={height - 8} textAnchor="middle">
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable caption={typeof caption === "string" ? caption : summary} headings={[labelHeading, valueHeading]} rows={data.map((d) => [d.label, d.value])} />
    </Figure>
  );
}

export interface BarDatum {
  label: string;
  value: number;
  /** Shown after the value, e.g. "stale" or "no data"; also marks the bar (hatched). */
  note?: string;
  tone?: "stale" | "missing";
}

/** Horizontal bars, one per row, labelled on the left with the value on the right (e.g. points per indicator). */
export function BarChart({
  id,
  caption,
  summary,
  data,
  max,
  labelHeading,
  valueHeading,
  noteHeading,
}: {
  id: string;
  caption: ReactNode;
  summary: string;
  data: BarDatum[];
  /** The value a full-width bar stands for (defaults to the largest value). */
  max?: number;
  labelHeading: string;
  valueHeading: string;
  noteHeading?: string;
}) {
  const width = 640;
  const labelWidth = 250;
  const valueWidth = 110;
  const row = 26;
  const height = data.length * row + 8;
  const full = Math.max(max ?? 0, ...data.map((d) => d.value), 0.1);
  const plot = width - labelWidth - valueWidth;
  const short = (s: string) => (s.length > 38 ? `${s.slice(0, 36)}…` : s);
  return (
    <Figure id={id} caption={caption}>
      <svg className="app-chart__svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} focusable="false">
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect className="app-chart__hatch-ground" width="6" height="6" />
            <line className="app-chart__hatch-line" x1="0" y1="0" x2="0" y2="6" />
          </pattern>
        </defs>
        <line className="app-chart__axis" x1={labelWidth - 0.5} x2={labelWidth - 0.5} y1={0} y2={height} />
        {data.map((d, i) => {
          const y = i * row + 4;
          const w = (Math.max(0, d.value) / full) * plot;
          return (
            <g key={`${d.label}-${i}`}>
              <text className="app-chart__label" x={labelWidth - 8} y={y + row / 2 + 4} textAnchor="end">
                {short(d.label)}
              </text>
              <rect
                className={d.tone ? `app-chart__hatched app-chart__hatched--${d.tone}` : "app-chart__bar"}
                x={labelWidth}
                y={y + 3}
                width={w}
                height={row - 8}
                fill={d.tone ? `url(#${id}-hatch)` : undefined}
              />
              <text className="app-chart__value" x={labelWidth + w + 6} y={y + row / 2 + 4}>
                {fmt(d.value)}
                {d.note ? ` (${d.note})` : ""}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable
        caption={typeof caption === "string" ? caption : summary}
        headings={noteHeading ? [labelHeading, valueHeading, noteHeading] : [labelHeading, valueHeading]}
        rows={data.map((d) => (noteHeading ? [d.label, fmt(d.value), d.note ?? ""] : [d.label, fmt(d.value)]))}
      />
    </Figure>
  );
}

export interface LinePoint {
  /** yyyy-mm-dd */
  date: string;
  value: number;
}

/** The next "round" number at or above x (1, 2 or 5 times a power of ten). */
function niceCeiling(x: number): number {
  if (x <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) if (step * power >= x) return step * power;
  return 10 * power;
}

const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** A line over time (e.g. one indicator's history), with optional dashed reference lines (e.g. thresholds). */
export function LineChart({
  id,
  caption,
  summary,
  points,
  min,
  max,
  unit,
  references = [],
  formatDate,
}: {
  id: string;
  caption: ReactNode;
  summary: string;
  points: LinePoint[];
  min?: number | null;
  max?: number | null;
  unit?: string | null;
  references?: { value: number; label: string }[];
  formatDate: (iso: string) => string;
}) {
  const width = 640;
  const height = 200;
  const left = 48;
  const right = 110;
  const padTop = 12;
  const bottom = 28;
  const values = [...points.map((p) => p.value), ...references.map((r) => r.value)];
  const lo = Math.min(min ?? 0, ...values);
  const ceiling = niceCeiling(Math.max(lo + 1, ...values) - lo) + lo;
  const hi = max != null && max >= Math.max(...values) ? Math.min(max, ceiling) : ceiling;
  const first = points.length ? dayOf(points[0]!.date) : 0;
  const last = points.length ? dayOf(points[points.length - 1]!.date) : 1;
  const span = Math.max(1, last - first);
  const plotW = width - left - right;
  const plotH = height - padTop - bottom;
  const x = (iso: string) => left + ((dayOf(iso) - first) / span) * plotW;
  const y = (v: number) => padTop + plotH - ((v - lo) / (hi - lo)) * plotH;
  const suffix = unit === "%" ? "%" : "";
  const ticks = [lo, (lo + hi) / 2, hi];
  const path = points.map((p) => `${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const lastPoint = points[points.length - 1];
  return (
    <Figure id={id} caption={caption}>
      <svg className="app-chart__svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line className="app-chart__grid" x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} />
            <text className="app-chart__label" x={left - 6} y={y(t) + 4} textAnchor="end">
              {fmt(t)}
              {suffix}
            </text>
          </g>
        ))}
        {references.map((r) => (
          <g key={r.label}>
            <line className="app-chart__reference" x1={left} x2={left + plotW} y1={y(r.value)} y2={y(r.value)} />
            <text className="app-chart__label" x={left + plotW + 6} y={y(r.value) + 4}>
              {r.label}
            </text>
          </g>
        ))}
        <line className="app-chart__axis" x1={left} x2={left + plotW} y1={padTop + plotH + 0.5} y2={padTop + plotH + 0.5} />
        {points.length > 0 ? (
          <>
            <text className="app-chart__label" x={left} y={height - 8}>
              {formatDate(points[0]!.date)}
            </text>
            <text className="app-chart__label" x={left + plotW} y={height - 8} textAnchor="end">
              {formatDate(points[points.length - 1]!.date)}
            </text>
          </>
        ) : null}
        {points.length > 1 ? <polyline className="app-chart__line" points={path} /> : null}
        {lastPoint ? <circle className="app-chart__point" cx={x(lastPoint.date)} cy={y(lastPoint.value)} r={4} /> : null}
      </svg>
      <DataTable
        caption={typeof caption === "string" ? caption : summary}
        headings={["Observed", `Value${unit ? ` (${unit})` : ""}`]}
        rows={[...points].reverse().map((p) => [formatDate(p.date), `${fmt(p.value)}${suffix}`])}
      />
    </Figure>
  );
}

/** GOV.UK tag colours for the priority bands (1 highest), matching the band colours of the charts. */
const BAND_TAGS = ["govuk-tag--red", "govuk-tag--orange", "govuk-tag--yellow", "govuk-tag--light-blue", "govuk-tag--green", "govuk-tag--grey"];

export function BandTag({ band }: { band: number }) {
  return <strong className={`govuk-tag app-band-tag ${BAND_TAGS[band - 1] ?? "govuk-tag--grey"}`}>Band {band}</strong>;
}

/** A table's header row where some columns hold numbers: those headings align right, over their figures. */
export function NumericTableHead({ headings, numeric }: { headings: string[]; numeric: number[] }) {
  return (
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        {headings.map((heading, i) => (
          <th key={heading} scope="col" className={`govuk-table__header${numeric.includes(i) ? " govuk-table__header--numeric" : ""}`}>
            {heading}
          </th>
        ))}
      </tr>
    </thead>
  );
}
