import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getSessionUser, clearedSessionCookie } from "~/auth/session.server";
import { signOut } from "~/auth/sign-in.server";

/**
 * What signing out asks the browser to forget besides the session (ASVS 14.3.1; docs/decisions/0020): its cache,
 * and its storage, which covers what working offline kept (the prepared pages in Cache Storage, the outbox in
 * IndexedDB) and the service worker's registration. Browsers apply it on secure contexts: HTTPS, and loopback.
 */
const CLEAR_SITE_DATA = '"cache", "storage"';

/** Signing out changes state, so it is a POST; a GET here does nothing but go home. */
export function loader() {
  return redirect("/");
}

export function action({ request, context }: ActionFunctionArgs) {
  // Open to anyone: signing out without a session simply clears the cookie and the browser's stored data.
  const user = getSessionUser(request);
  signOut(request, user, context.clientAddress);
  return redirect("/sign-in?signedOut=1", { headers: { "Set-Cookie": clearedSessionCookie(request), "Clear-Site-Data": CLEAR_SITE_DATA } });
}
