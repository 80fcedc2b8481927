import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { ROLE_HOMES } from "~/auth/roles";

/** The front door: each role's home, or sign in. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  return redirect(ROLE_HOMES[user.role]);
}
