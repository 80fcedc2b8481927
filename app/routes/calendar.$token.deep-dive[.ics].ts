import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/auth/guards.server";
import { contentDisposition } from "~/inspections/evidence-rules";
import { feedForToken } from "~/scheduling/inspector-visits.server";

/**
 * An inspector's private calendar feed, GET /calendar/<token>/deep-dive.ics: a resource route (no page). Public, as
 * calendar apps cannot sign in: the secret token in the address is the credential (docs/decisions/0011-calendar-feeds.md).
 * A malformed or unknown token, or one whose inspector is disabled or no longer an inspector, answers the same plain
 * 404 as any refusal. The token is never logged or audited; each download is audited as the inspector.
 */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const feed = feedForToken(params.token ?? "", { clientAddress: context.clientAddress ?? null, origin: new URL(request.url).origin });
  if (!feed) throw notFound();
  return new Response(feed.ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": contentDisposition("deep-dive.ics"),
      "X-Robots-Tag": "noindex",
    },
  });
}

/** Nothing is ever posted to a feed: 404, like any other address that does not take a form (not Remix's 405). */
export function action() {
  throw notFound();
}
