import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { EvidenceIntegrityError, EvidenceNotFound, evidenceFile, readEvidence } from "~/inspections/evidence.server";
import { contentDisposition, downloadName } from "~/inspections/evidence-rules";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";

/**
 * Downloads an evidence file: a resource route. Staff who may see the inspection (its team, programme leads, admins,
 * its reviewer); anyone else gets 404 (audited), trust users included until the reports publish anything. Each
 * download is audited. The bytes are served only if their SHA-256 is still the one recorded when they were added.
 *
 * Always an attachment, with the type detected when the file was added and a name ending in that type's extension,
 * so that no browser renders it as a page of this site. X-Content-Type-Options: nosniff and Cache-Control: no-store
 * are sent on every response by server.js; the sandbox policy below is added to the site's one for this response.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const file = evidenceFile(args.params.fileId ?? "");
  if (!file || file.removedAt || file.inspectionId !== args.params.id) throw notFound();
  const inspection = inspectionHeader(file.inspectionId);
  if (!inspection || !inspectionAccess(user, inspection)) refuse(args, user, "evidence of an inspection the user may not see");
  try {
    const { bytes } = readEvidence(file.id, actorFor(user, args.context));
    return new Response(bytes, {
      headers: {
        "Content-Type": file.mediaType === "text/plain" ? "text/plain; charset=utf-8" : file.mediaType,
        "Content-Length": String(bytes.length),
        "Content-Disposition": contentDisposition(downloadName(file.name, file.mediaType)),
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    if (error instanceof EvidenceNotFound) throw notFound();
    if (error instanceof EvidenceIntegrityError) {
      return new Response(
        "This evidence file cannot be downloaded: the stored file is not the one that was uploaded (it is missing, or has been changed since). This has been recorded in the audit trail. Tell the service's administrators.",
        { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } },
      );
    }
    throw error;
  }
}

/** Nothing is ever posted to a file: 404, like any other address that does not take a form (not Remix's 405). */
export function action(args: ActionFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
