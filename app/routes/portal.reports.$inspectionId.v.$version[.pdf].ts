import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, refuse, requireTrustUser } from "~/auth/guards.server";
import { portalReportPdf } from "~/portal/reports.server";
import { recordReportDownload } from "~/reports/publication.server";
import { parseVersion } from "~/reports/publication-rules";
import { reportContentDisposition, reportFileName } from "~/reports/filename";

/**
 * A trust user downloads a published version of one of its own trust's reports, exactly as stored at publication.
 * The query is scoped by the trust of the signed-in user: another trust's report, an unpublished one, a version that
 * does not exist and an id that does not exist all get the same 404 (audited). Each download is audited.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const version = parseVersion(args.params.version);
  const report = version === null ? undefined : portalReportPdf(user, args.params.inspectionId ?? "", version);
  if (!report) refuse(args, user, "a report that is not the trust's own published report");
  recordReportDownload(args.params.inspectionId!, report.version, actorFor(user, args.context));
  return new Response(new Uint8Array(report.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(report.pdf.length),
      "Content-Disposition": reportContentDisposition(reportFileName({ odsCode: report.trustCode, visitDate: report.inspectedOn, version: report.version, draft: false })),
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

/** Nothing is ever posted to a report: 404. */
export function action(args: ActionFunctionArgs) {
  const user = requireTrustUser(args);
  refuse(args, user, "a post to a report");
}
