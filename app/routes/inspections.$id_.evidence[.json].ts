import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { EvidenceNotFound, EvidenceRefused, findingCriterion, readEvidenceForm, storeEvidence } from "~/inspections/evidence.server";
import { EVIDENCE_REFUSALS } from "~/inspections/evidence-rules";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";

/**
 * An evidence file sent from the offline outbox (app/offline/outbox.ts, docs/decisions/0020-offline-browser-storage.md):
 * the same multipart form, checks and storeEvidence as the criterion page's upload, with the key the browser made for
 * the file, answered as JSON: 200 {outcome: "stored", fileId}; 400 {outcome: "refused", message} (too big, wrong type,
 * the finding full: the outbox keeps it for its author to read); 409 {outcome: "closed"} once the findings are no
 * longer being recorded. A retry with the same key gets the file already stored, never a second one. 404 for anyone
 * not on the team, before the body is read.
 */
export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (inspectionAccess(user, inspection) !== "team") refuse(args, user, "adding evidence to an inspection the user is not on");
  const form = await readEvidenceForm(args.request);
  const findingId = form.fields.findingId ?? "";
  if (form.fields.intent !== "upload" || findingCriterion(inspection.id, findingId) === undefined) throw notFound();
  const refused = (message: string) => Response.json({ outcome: "refused", message }, { status: 400 });
  if (form.tooBig) return refused(EVIDENCE_REFUSALS["too-big"]);
  if (!form.file) return refused(EVIDENCE_REFUSALS.missing);
  try {
    const file = storeEvidence(findingId, { ...form.file, capturedAt: form.fields.capturedAt, clientKey: form.fields.clientKey }, actorFor(user, args.context));
    return Response.json({ outcome: "stored", fileId: file.id });
  } catch (error) {
    if (error instanceof EvidenceRefused) return error.refusal === "closed" ? Response.json({ outcome: "closed" }, { status: 409 }) : refused(EVIDENCE_REFUSALS[error.refusal]);
    if (error instanceof EvidenceNotFound) throw notFound();
    throw error;
  }
}

/** Nothing to read here: 404, like any other address that is not a page. */
export function loader(args: LoaderFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
