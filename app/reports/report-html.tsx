/**
 * A report drawn as HTML from the same model the PDF is drawn from (app/reports/report-model.ts): the cover's facts,
 * then each section's blocks in reading order (headings, paragraphs, tables with header cells, and each chart as a
 * table of its numbers). Used for the trust's draft during its factual accuracy check, marked DRAFT throughout.
 */
import type { ReportBlock, ReportCover, ReportSection } from "./report-model";
import { withoutBreaks } from "./report-text";

/** Report headings sit under the page's own h1 and h2: the report's sections (level 2) are h3, and so on below. */
const headingTag = (level: number) => `h${Math.min(6, Math.max(3, level + 1))}` as "h3" | "h4" | "h5" | "h6";
const headingClass = (level: number) => (level <= 2 ? "govuk-heading-m" : level === 3 ? "govuk-heading-s" : "govuk-heading-s govuk-!-font-size-16");

function Block({ block, sectionId, index }: { block: ReportBlock; sectionId: string; index: number }) {
  switch (block.kind) {
    case "heading": {
      const Tag = headingTag(block.level);
      return <Tag className={headingClass(block.level)}>{withoutBreaks(block.text)}</Tag>;
    }
    case "paragraph":
      return (
        <p className={`govuk-body${block.style === "small" ? "-s" : block.style === "lead" ? "-l" : ""} app-preserve-lines`}>
          {block.label ? <strong>{`${withoutBreaks(block.label)} `}</strong> : null}
          {withoutBreaks(block.text)}
        </p>
      );
    case "table":
      return (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s">{withoutBreaks(block.table.caption)}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {block.table.columns.map((c, i) => (
                  <th key={i} scope="col" className={`govuk-table__header${c.align === "right" ? " govuk-table__header--numeric" : ""}`}>
                    {withoutBreaks(c.header)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {block.table.rows.map((row, r) => (
                <tr className="govuk-table__row" key={r}>
                  {row.map((cell, i) =>
                    i === 0 && block.table.rowHeaders ? (
                      <th key={i} scope="row" className="govuk-table__header">
                        {withoutBreaks(cell)}
                      </th>
                    ) : (
                      <td key={i} className={`govuk-table__cell app-preserve-lines${block.table.columns[i]?.align === "right" ? " govuk-table__cell--numeric" : ""}`}>
                        {withoutBreaks(cell)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case "chart":
      // The chart's numbers as a table: the same figures the PDF draws as bars (and says in its alternative text).
      return (
        <div className="app-table-wrapper" id={`${sectionId}-chart-${index}`}>
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s">{withoutBreaks(block.chart.title)}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">{block.chart.unit}</span>
                </th>
                {block.chart.categories.map((c) => (
                  <th key={c.key} scope="col" className="govuk-table__header govuk-table__header--numeric">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {block.chart.bars.map((bar, r) => (
                <tr className="govuk-table__row" key={r}>
                  <th scope="row" className="govuk-table__header">
                    {withoutBreaks(bar.label)}
                  </th>
                  {bar.values.map((v, i) => (
                    <td key={i} className="govuk-table__cell govuk-table__cell--numeric">
                      {v.toLocaleString("en-GB")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

export function ReportHtml({ cover, sections, draft }: { cover: ReportCover; sections: ReportSection[]; draft: boolean }) {
  return (
    <div className={draft ? "app-draft-report" : undefined} data-draft={draft ? "DRAFT" : undefined}>
      {draft ? (
        <p className="govuk-body govuk-!-font-weight-bold">
          {cover.draftNotice?.startsWith("DRAFT") ? cover.draftNotice : `DRAFT. ${cover.draftNotice ?? "This report is a draft: it is not published."}`}
        </p>
      ) : null}
      <p className="govuk-body-s govuk-!-font-weight-bold">{cover.marking}</p>
      <dl className="govuk-summary-list">
        {cover.facts.map((f) => (
          <div className="govuk-summary-list__row" key={f.label}>
            <dt className="govuk-summary-list__key">{f.label}</dt>
            <dd className="govuk-summary-list__value">{withoutBreaks(f.value)}</dd>
          </div>
        ))}
      </dl>
      {sections.map((section) => (
        <section key={section.id} id={`report-${section.id}`}>
          {section.blocks.map((block, i) => (
            <Block key={i} block={block} sectionId={section.id} index={i} />
          ))}
        </section>
      ))}
    </div>
  );
}
