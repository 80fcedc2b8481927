import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { inspectionAccess, inspectionHeader, recordInspectionViewed } from "~/inspections/workspace.server";
import { reportContentDisposition, reportFileName } from "~/reports/filename";
import { nextReportVersion } from "~/reports/report-data.server";
import { renderReportPdf, ReportRenderError } from "~/reports/render.server";

/**
 * A preview of an inspection's report as a PDF, for the staff who may see the inspection (its team, programme leads,
 * admins, its reviewer); anyone else gets 404 (audited), trust users included. At any stage, from planned on: always
 * a DRAFT (watermarked on every page), dated now, numbered as the version the next publication would be, rendered
 * fresh each time and never stored. Each preview is audited as a view of the inspection. A resource route (no page).
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "the report of an inspection the user may not see");
  const version = nextReportVersion(inspection.id);
  try {
    const pdf = await renderReportPdf(inspection.id, { version, publishedAt: new Date().toISOString(), draft: true });
    recordInspectionViewed(inspection.id, "report-preview", actorFor(user, args.context));
    return new Response(pdf, {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Length": String(pdf.length),
        "Content-Disposition": reportContentDisposition(reportFileName({ odsCode: inspection.trustCode, visitDate: inspection.visitDate, version, draft: true })),
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    if (!(error instanceof ReportRenderError)) throw error;
    console.error("Rendering a report preview failed", error);
    return new Response(`The report could not be drawn: ${error.reason === "timeout" ? "it took too long" : "something went wrong"}. Try again; if it fails again, tell the service's administrators.`, {
      status: 500,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

/** Nothing is ever posted to a report: 404, like any other address that does not take a form (not Remix's 405). */
export function action(args: ActionFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
