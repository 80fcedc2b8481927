/** The "Published reports" part of a trust user's home: a draft to check, if any, and every published version. */
import { Link } from "@remix-run/react";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { TableHead } from "~/ui/table";
import type { PortalCheck, PortalReportVersion } from "./reports.server";

export function PortalReports({ reports, checks }: { reports: PortalReportVersion[]; checks: PortalCheck[] }) {
  return (
    <section aria-labelledby="reports-heading">
      <h2 className="govuk-heading-m" id="reports-heading">
        Published reports
      </h2>
      {checks.map((check) => (
        <div className="govuk-inset-text" key={check.inspectionId}>
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">
            {check.windowOpen ? `A draft report is ready for you to check, until ${formatCalendarDate(check.closesOn)}` : "Your draft report is being finalised"}
          </p>
          <p className="govuk-body govuk-!-margin-bottom-0">
            <Link className="govuk-link" to={`/portal/accuracy/${check.inspectionId}`}>
              {check.windowOpen ? "Check the draft report for factual accuracy" : "Read the draft report and the answers to your comments"}
            </Link>
          </p>
        </div>
      ))}
      {reports.length === 0 ? (
        <p className="govuk-body">Your trust has no published deep-dive reports yet. When a report is published it will be listed here for you to download.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Your trust&apos;s published reports, newest first</caption>
            <TableHead headings={["Inspection", "Version", "Published", "What changed", { hidden: "Download" }]} />
            <tbody className="govuk-table__body">
              {reports.map((r) => (
                <tr className="govuk-table__row" key={`${r.inspectionId}-${r.version}`}>
                  <td className="govuk-table__cell">{r.inspectedOn ? formatCalendarDate(r.inspectedOn) : "Undated"}</td>
                  <td className="govuk-table__cell">
                    {`Version ${r.version}`}
                    {r.superseded ? <strong className="govuk-tag govuk-tag--grey govuk-!-margin-left-1">Superseded</strong> : null}
                  </td>
                  <td className="govuk-table__cell">{formatDateTime(r.publishedAt)}</td>
                  <td className="govuk-table__cell app-preserve-lines">{r.changeNote || "First published"}</td>
                  <td className="govuk-table__cell">
                    <a className="govuk-link" href={`/portal/reports/${r.inspectionId}/v/${r.version}.pdf`} download>
                      {`Download version ${r.version}`}
                      <span className="govuk-visually-hidden">{` of the report of ${r.inspectedOn ? formatCalendarDate(r.inspectedOn) : "the inspection"} (PDF, ${Math.max(1, Math.round(r.sizeBytes / 1024))} KB)`}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
