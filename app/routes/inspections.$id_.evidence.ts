import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { EvidenceNotFound, EvidenceRefused, evidenceFile, findingCriterion, readEvidenceForm, removeEvidence, storeEvidence } from "~/inspections/evidence.server";
import type { EvidenceNoticeCode, EvidenceRefusal } from "~/inspections/evidence-rules";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";

/**
 * Adds a file to a finding (intent=upload, multipart: findingId, capturedAt, file) or removes one (intent=remove,
 * fileId), from the criterion page's evidence forms (app/inspections/evidence-display.tsx). A resource route: plain
 * HTML forms post here, with or without JavaScript, and are sent back to the criterion page with `?evidence=` saying
 * what happened (added, removed, or why not), which the page shows. Only the inspection's team; anyone else gets 404
 * (audited), before the body is even read.
 */
export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (inspectionAccess(user, inspection) !== "team") refuse(args, user, "changing the evidence of an inspection the user is not on");
  const form = await readEvidenceForm(args.request);
  const actor = actorFor(user, args.context);
  const back = (criterionId: number, code: EvidenceNoticeCode | EvidenceRefusal) =>
    redirect(`/inspections/${inspection.id}/criteria/${criterionId}?evidence=${code}#evidence`);

  if (form.fields.intent === "upload") {
    const findingId = form.fields.findingId ?? "";
    const criterionId = findingCriterion(inspection.id, findingId);
    if (criterionId === undefined) throw notFound();
    if (form.tooBig) return back(criterionId, "too-big");
    if (!form.file) return back(criterionId, "missing");
    try {
      storeEvidence(findingId, { ...form.file, capturedAt: form.fields.capturedAt }, actor);
    } catch (error) {
      if (error instanceof EvidenceRefused) return back(criterionId, error.refusal);
      if (error instanceof EvidenceNotFound) throw notFound();
      throw error;
    }
    return back(criterionId, "uploaded");
  }

  if (form.fields.intent === "remove") {
    const file = evidenceFile(form.fields.fileId ?? "");
    const criterionId = file && file.inspectionId === inspection.id ? findingCriterion(inspection.id, file.findingId) : undefined;
    if (!file || criterionId === undefined) throw notFound();
    try {
      removeEvidence(file.id, actor);
    } catch (error) {
      if (error instanceof EvidenceRefused) return back(criterionId, error.refusal);
      if (error instanceof EvidenceNotFound) throw notFound();
      throw error;
    }
    return back(criterionId, "removed");
  }

  throw notFound();
}

/** Nothing to read here: 404, like any other address that is not a page. */
export function loader(args: LoaderFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
