import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getSessionUser, clearedSessionCookie } from "~/auth/session.server";
import { signOut } from "~/auth/sign-in.server";

/** Signing out changes state, so it is a POST; a GET here does nothing but go home. */
export function loader() {
  return redirect("/");
}

export function action({ request, context }: ActionFunctionArgs) {
  // Open to anyone: signing out without a session simply clears the cookie.
  const user = getSessionUser(request);
  signOut(request, user, context.clientAddress);
  return redirect("/sign-in?signedOut=1", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}
