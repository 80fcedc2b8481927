import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFound, refuse, requireStaff } from "~/auth/guards.server";
import { isCriterionOf, othersPresent, refreshPresence } from "~/inspections/presence.server";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";

/**
 * The heartbeat of an open workspace page (app/inspections/presence.tsx): records where the reader is and answers
 * with who else is in the inspection. Only for people who may see the inspection; anyone else gets 404.
 */
export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "presence in an inspection the user is not on");
  const form = await args.request.formData();
  const raw = form.get("criterionId");
  const criterionId = typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : null;
  // Only a criterion of this inspection; anything else counts as "somewhere in the inspection".
  const known = criterionId !== null && isCriterionOf(inspection.id, criterionId) ? criterionId : null;
  refreshPresence(inspection.id, user.id, known);
  return Response.json({ others: othersPresent(inspection.id, user.id) }, { headers: { "Cache-Control": "no-store" } });
}

/** Nothing to read here: 404, like any other address that is not a page. */
export function loader(args: LoaderFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
