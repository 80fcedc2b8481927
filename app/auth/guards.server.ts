/**
 * Guards: the first line of every loader and action. Each throws a Response when the request may not go on:
 * a redirect to sign in when nobody is signed in, and 404 (never 403) when the signed-in user may not see
 * the thing, so that its existence does not leak. Refusals are audited.
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { recordAudit } from "../audit/audit.server";
import { writeTransaction } from "../db.server";
import type { Role } from "./roles";
import { STAFF_ROLES } from "./roles";
import { getSessionUser, type SessionUser } from "./session.server";

export interface GuardArgs {
  request: Request;
  context: AppLoadContext;
}

export function notFound(): Response {
  return new Response("Not found", { status: 404, statusText: "Not Found" });
}

export function actorFor(user: SessionUser | null, context: AppLoadContext) {
  return { userId: user?.id ?? null, label: user?.email ?? "anonymous", clientAddress: context.clientAddress ?? null };
}

export function requireUser({ request, context: _context }: GuardArgs): SessionUser {
  const user = getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname === "/" ? "" : `?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
    throw redirect(`/sign-in${back}`);
  }
  return user;
}

function deny(args: GuardArgs, user: SessionUser, reason: string): never {
  const url = new URL(args.request.url);
  writeTransaction((tx) =>
    recordAudit(tx, actorFor(user, args.context), {
      action: "authorisation.denied",
      objectType: "route",
      objectId: url.pathname,
      summary: { method: args.request.method, reason },
    }),
  );
  throw notFound();
}

export function requireRole(args: GuardArgs, roles: readonly Role[]): SessionUser {
  const user = requireUser(args);
  if (!roles.includes(user.role)) deny(args, user, `role ${user.role} not in ${roles.join(", ")}`);
  return user;
}

export function requireStaff(args: GuardArgs): SessionUser {
  return requireRole(args, STAFF_ROLES);
}

export type TrustUser = SessionUser & { role: "trust_user"; trustCode: string };

/** A trust user, with the one trust every portal query must be scoped to. */
export function requireTrustUser(args: GuardArgs): TrustUser {
  const user = requireRole(args, ["trust_user"]);
  if (!user.trustCode) deny(args, user, "trust user without a trust");
  return user as TrustUser;
}

/**
 * For a page about one person (such as an inspector's own page): lets through that person, or a user with one of
 * `roles`; refuses anyone else as the guards do (404, audited). Call it after requireRole or requireUser.
 */
export function requireSelfOrRole(args: GuardArgs, user: SessionUser, personId: string, roles: readonly Role[]): SessionUser {
  if (user.id !== personId && !roles.includes(user.role)) deny(args, user, `another person's page, and role ${user.role} not in ${roles.join(", ")}`);
  return user;
}

/** Refuses a signed-in user something they may not see (a visit they are not on, say): 404, audited. */
export function refuse(args: GuardArgs, user: SessionUser, reason: string): never {
  deny(args, user, reason);
}
