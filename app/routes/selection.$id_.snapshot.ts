import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { contentDisposition } from "~/inspections/evidence-rules";
import { closedRoundSnapshot, recordRoundViewed } from "~/selection/rounds.server";

/**
 * The stored snapshot of a closed round, as a JSON file: every input of its draw, so that anyone can re-run it
 * with the revealed seed (docs/selection.md). A resource route (no page). Programme leads only (0008); a round
 * that is not closed, or does not exist, answers 404.
 */
export function loader(args: LoaderFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const snapshot = closedRoundSnapshot(id);
  if (!snapshot) throw notFound();
  recordRoundViewed(id, "snapshot", actorFor(lead, args.context));
  return new Response(snapshot, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition(`selection-round-${id}-snapshot.json`),
    },
  });
}

/** Nothing is ever posted to a snapshot: 404, like any other address that does not take a form (not Remix's 405). */
export function action(args: ActionFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  throw notFound();
}
