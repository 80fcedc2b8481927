import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";
import { recordReportDownload, storedReport } from "~/reports/publication.server";
import { parseVersion } from "~/reports/publication-rules";
import { reportContentDisposition, reportFileName } from "~/reports/filename";

/**
 * Downloads a published version of an inspection's report for staff who may see the inspection (its team, programme
 * leads, admins, its reviewer): the bytes stored at publication, never rendered again. Anyone else, and any version
 * not published, gets 404. Audited. The name is chosen here: "RJ1-deep-dive-2026-03-12-v1.pdf".
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "a report of an inspection the user may not see");
  const version = parseVersion(args.params.version);
  const report = version === null ? undefined : storedReport(inspection.id, version);
  if (!report) throw notFound();
  recordReportDownload(inspection.id, report.version, actorFor(user, args.context));
  return new Response(new Uint8Array(report.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(report.pdf.length),
      "Content-Disposition": reportContentDisposition(reportFileName({ odsCode: report.trustCode, visitDate: report.inspectedOn, version: report.version, draft: false })),
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

/** Nothing is ever posted to a report: 404, like any other address that does not take a form. */
export function action(args: ActionFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
