import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, refuse, requireTrustUser } from "~/auth/guards.server";
import { portalDraftPdf } from "~/portal/reports.server";
import { recordReportDownload } from "~/reports/publication.server";
import { reportContentDisposition, reportFileName } from "~/reports/filename";

/**
 * The DRAFT PDF of the trust's report during its factual accuracy check: made on request (watermarked DRAFT, never
 * stored), only for a user of the inspection's own trust and only until publication; anything else is the same 404
 * as an id that does not exist (audited). Each download is audited.
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const draft = await portalDraftPdf(user, args.params.inspectionId ?? "");
  if (!draft) refuse(args, user, "a draft report that is not the trust's own, or not in its factual accuracy check");
  recordReportDownload(args.params.inspectionId!, "draft", actorFor(user, args.context));
  return new Response(new Uint8Array(draft.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(draft.pdf.length),
      "Content-Disposition": reportContentDisposition(reportFileName({ odsCode: draft.trustCode, visitDate: draft.inspectedOn, version: 1, draft: true })),
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

/** Nothing is ever posted to a draft: 404. */
export function action(args: ActionFunctionArgs) {
  const user = requireTrustUser(args);
  refuse(args, user, "a post to a draft report");
}
