import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { inspectionAccess, inspectionOverview } from "~/inspections/workspace.server";
import { offlinePlan } from "~/offline/offline-plan";
import { recordOfflinePrepared } from "~/offline/offline.server";

/**
 * What to keep of an inspection for working offline (docs/decisions/0020-offline-browser-storage.md): the addresses
 * of its workspace pages and their data, for the page's "Make available offline" to hand to the service worker. Only
 * for a member of the inspection's team while the findings are being recorded (on site or in draft): the team is who
 * records without a connection, and nobody else's browser should keep the findings. Anyone else gets 404, as for an
 * inspection that does not exist. Each preparation is audited.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const overview = inspectionOverview(args.params.id ?? "");
  if (!overview) throw notFound();
  const { inspection } = overview;
  if (inspectionAccess(user, inspection) !== "team" || !(RECORDING_STATUSES as readonly string[]).includes(inspection.status)) {
    refuse(args, user, "preparing for offline use an inspection the user is not recording");
  }
  const plan = offlinePlan(
    inspection.id,
    overview.frameworks.flatMap((f) => f.sections),
  );
  const preparedAt = recordOfflinePrepared(inspection.id, plan, actorFor(user, args.context));
  // No-store like every authenticated response (server.js): what is kept offline is the service worker's choice.
  return Response.json({ inspectionId: inspection.id, preparedAt, ...plan });
}

/** Nothing to post here: 404, like any other address that is not a page. */
export function action(args: ActionFunctionArgs) {
  requireStaff(args);
  throw notFound();
}
