/** Signing in and out: password check, throttling, a fresh session, and an audit event for each outcome. */
import { and, count, eq, gte, lt } from "drizzle-orm";
import { signInFailures, users } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { getDb, writeTransaction } from "../db.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { createSession, destroyRequestSession, type SessionUser } from "./session.server";
import { isThrottled, normaliseEmail, windowStart } from "./throttle";

export const GENERIC_SIGN_IN_ERROR = "Enter a correct email address and password. If you have tried several times, wait 15 minutes and try again";

export type SignInResult =
  | { ok: true; sessionId: string; user: SessionUser }
  | { ok: false; error: string };

interface SignInRequest {
  email: string;
  password: string;
  clientAddress: string;
  userAgent: string | null;
}

function failureCounts(accountKey: string, clientAddress: string, since: string) {
  const db = getDb();
  const account = db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.accountKey, accountKey), gte(signInFailures.failedAt, since)))
    .get()!.n;
  const address = db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.clientAddress, clientAddress), gte(signInFailures.failedAt, since)))
    .get()!.n;
  return { account, address };
}

export async function signIn(req: SignInRequest, clock: () => Date = () => new Date()): Promise<SignInResult> {
  const accountKey = normaliseEmail(req.email).slice(0, 320);
  const since = windowStart(clock()).toISOString();
  const throttled = isThrottled(failureCounts(accountKey, req.clientAddress, since));

  const user = getDb().select().from(users).where(eq(users.email, accountKey)).get();
  // Always spend the time of one password check, so neither throttling nor unknown accounts show in timing.
  const passwordOk = user ? await verifyPassword(req.password, user.passwordHash) : await verifyAgainstDummy(req.password);
  const ok = !throttled && !!user && !user.disabledAt && passwordOk;

  const actor = { userId: user?.id ?? null, label: accountKey || "anonymous", clientAddress: req.clientAddress };
  return writeTransaction((tx) => {
    // Read the time after the password check: a session's life starts when it is created, not when the check began.
    const now = clock();
    if (!ok) {
      tx.insert(signInFailures).values({ accountKey, clientAddress: req.clientAddress, failedAt: now.toISOString() }).run();
      // Failures older than the window no longer count; drop them as we go.
      tx.delete(signInFailures).where(lt(signInFailures.failedAt, since)).run();
      const reason = throttled ? "throttled" : !user ? "unknown account" : user.disabledAt ? "account disabled" : "wrong password";
      recordAudit(tx, actor, { action: "sign-in.failed", objectType: "user", objectId: user?.id ?? null, summary: { reason } }, now);
      return { ok: false as const, error: GENERIC_SIGN_IN_ERROR };
    }
    const sessionId = createSession(tx, user.id, { clientAddress: req.clientAddress, userAgent: req.userAgent }, now);
    tx.delete(signInFailures)
      .where(eq(signInFailures.accountKey, accountKey))
      .run();
    recordAudit(tx, actor, { action: "sign-in.succeeded", objectType: "user", objectId: user.id }, now);
    return {
      ok: true as const,
      sessionId,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, trustCode: user.trustCode },
    };
  });
}

export function signOut(request: Request, user: SessionUser | null, clientAddress: string) {
  writeTransaction((tx) => {
    destroyRequestSession(tx, request);
    if (user) {
      recordAudit(tx, { userId: user.id, label: user.email, clientAddress }, { action: "sign-out", objectType: "user", objectId: user.id });
    }
  });
}
