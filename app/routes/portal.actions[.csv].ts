import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { actorFor, notFound, requireTrustUser } from "~/auth/guards.server";
import { contentDisposition } from "~/inspections/evidence-rules";
import { actionPlanCsv, actionPlanFileName, actionPlanRows } from "~/portal/action-plan-csv";
import { portalActions, recordActionsRead } from "~/portal/actions.server";
import { todayInLondon } from "~/trusts/register.server";

/**
 * The signed-in trust user's action plan as a CSV file (UTF-8 with a byte order mark, so Excel reads it as written;
 * formulas guarded): a resource route. The trust comes from the session, never from the URL; the file's name is
 * chosen here (RJ1-action-plan-2026-11-30.csv). Each download is audited (counts only).
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const now = new Date();
  const actions = portalActions(user, now);
  const name = actionPlanFileName(user.trustCode, todayInLondon(now));
  recordActionsRead("action-plan.downloaded", user.trustCode, actions.length, actorFor(user, args.context), now);
  const body = Buffer.from(actionPlanCsv(actionPlanRows(actions)), "utf8");
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Length": String(body.length),
      "Content-Disposition": contentDisposition(name),
    },
  });
}

/** Nothing is ever posted to a download: 404, like any other address that does not take a form (not Remix's 405). */
export function action(args: ActionFunctionArgs) {
  requireTrustUser(args);
  throw notFound();
}
