import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFound, refuse, requireStaff } from "~/auth/guards.server";
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";

/**
 * Whether a browser that prepared this inspection for offline use may keep it (docs/decisions/0020-offline-browser-storage.md):
 * asked at each contact with the server. {recording: true} while the team records the findings; {recording: false}
 * once they are submitted (the browser forgets the pages and keeps only changes never sent, for their author to read);
 * 404 for anyone not on the team, as for an inspection that does not exist (the browser forgets everything of it).
 * Not audited: it tells a team member only what their inspection's page already shows.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (inspectionAccess(user, inspection) !== "team") refuse(args, user, "asking about offline use of an inspection the user is not on");
  return Response.json({ recording: (RECORDING_STATUSES as readonly string[]).includes(inspection.status) });
}

/** Nothing to post here: 404, like any other address that is not a page. */
export function action(args: ActionFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
