import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFound, refuse, requireStaff } from "~/auth/guards.server";
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { loadWorkspacePage, saveFindingForm } from "~/inspections/finding-form.server";
import { criterionWorkspace } from "~/inspections/workspace.server";

/**
 * A finding saved from the offline outbox (app/offline/outbox.ts, docs/decisions/0020-offline-browser-storage.md):
 * the same form, the same checks and the same saveFinding as the criterion page's Save button and autosave, with the
 * edit's base version and idempotency key, answered as plain JSON the outbox reads outside any page:
 * 200 {outcome: "saved", version, savedAt}; 400 {outcome: "invalid", errors}; 409 {outcome: "conflict",
 * currentVersion} (someone else saved first: the outbox keeps the edit for the conflict screen); 409 {outcome: "closed"}
 * once the findings are no longer being recorded (submitted: the outbox keeps the edit for its author to read, since a
 * review may return the findings to the team). 404 for anyone not on the team (the outbox then drops that inspection). A retried request with the same key
 * gets the first answer and is never applied twice (saveFinding's idempotency).
 */
export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = loadWorkspacePage(args, user, "criterionId", criterionWorkspace);
  if (access !== "team") refuse(args, user, "saving a finding of an inspection the user is not on");
  if (!(RECORDING_STATUSES as readonly string[]).includes(workspace.inspection.status)) return Response.json({ outcome: "closed" }, { status: 409 });
  const form = await args.request.formData();
  // The outbox sends an edit; merging and answering comments happen on the page.
  if (form.has("intent")) throw notFound();
  const result = saveFindingForm(form, workspace, user);
  if (result.outcome === "saved") return Response.json({ outcome: "saved", version: result.finding.version, savedAt: result.finding.updatedAt });
  const { problem } = result;
  if (problem.outcome === "conflict") return Response.json({ outcome: "conflict", currentVersion: problem.current.version }, { status: 409 });
  return Response.json({ outcome: "invalid", errors: problem.outcome === "invalid" ? problem.errors : {} }, { status: 400 });
}

/** Nothing to read here: 404, like any other address that is not a page. */
export function loader(args: LoaderFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
