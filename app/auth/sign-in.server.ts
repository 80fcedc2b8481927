/** Signing in and out: password check, throttling, a fresh session, and an audit event for each outcome. */
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { getDb, writeTransaction } from "../db.server";
import {
  checkSecondFactor,
  CODE_ERRORS,
  countWrongCode,
  endChallenge,
  enrolSecondFactor,
  secondFactorRequired,
  startChallenge,
  type OpenChallenge,
} from "./mfa.server";
import { clearFailures, failureCounts, recordFailure } from "./failures.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { createSession, destroyRequestSession, type SessionUser } from "./session.server";
import { isThrottled, normaliseEmail } from "./throttle";

export const GENERIC_SIGN_IN_ERROR = "Enter a correct email address and password. If you have tried several times, wait 15 minutes and try again";

/**
 * After the password: signed in (a trust user without a second factor), or the second step to come (a code, or
 * setting up the second factor, which staff must have), or refused.
 */
export type SignInResult =
  | { ok: true; sessionId: string; user: SessionUser }
  | { ok: "second-factor"; challengeId: string; step: "code" | "set-up" }
  | { ok: false; error: string };

interface SignInRequest {
  email: string;
  password: string;
  clientAddress: string;
  userAgent: string | null;
  /** Where to go once signed in, already checked to be a path on this site. */
  redirectTo?: string | null;
  /** The request signing in: a session its browser already has ends with the sign-in (ASVS 7.2.4). */
  request?: Request;
}

export async function signIn(req: SignInRequest, clock: () => Date = () => new Date()): Promise<SignInResult> {
  const accountKey = normaliseEmail(req.email).slice(0, 320);
  const throttled = isThrottled(failureCounts(getDb(), accountKey, req.clientAddress, clock()));

  const user = getDb().select().from(users).where(eq(users.email, accountKey)).get();
  // Always spend the time of one password check, so neither throttling nor unknown accounts show in timing.
  const passwordOk = user ? await verifyPassword(req.password, user.passwordHash) : await verifyAgainstDummy(req.password);
  const ok = !throttled && !!user && !user.disabledAt && passwordOk;

  const actor = { userId: user?.id ?? null, label: accountKey || "anonymous", clientAddress: req.clientAddress };
  return writeTransaction((tx) => {
    // Read the time after the password check: a session's life starts when it is created, not when the check began.
    const now = clock();
    if (!ok) {
      recordFailure(tx, accountKey, req.clientAddress, now);
      const reason = throttled ? "throttled" : !user ? "unknown account" : user.disabledAt ? "account disabled" : "wrong password";
      recordAudit(tx, actor, { action: "sign-in.failed", objectType: "user", objectId: user?.id ?? null, summary: { reason } }, now);
      return { ok: false as const, error: GENERIC_SIGN_IN_ERROR };
    }
    if (user.mfaSecret || secondFactorRequired(user.role)) {
      // The password was right, but nothing is open until the second factor is given (or set up): no session yet.
      const challengeId = startChallenge(tx, user.id, { redirectTo: req.redirectTo ?? null, clientAddress: req.clientAddress }, now);
      const step = user.mfaSecret ? ("code" as const) : ("set-up" as const);
      recordAudit(tx, actor, { action: "sign-in.password-accepted", objectType: "user", objectId: user.id, summary: { next: step } }, now);
      return { ok: "second-factor" as const, challengeId, step };
    }
    if (req.request) destroyRequestSession(tx, req.request);
    const sessionId = createSession(tx, user.id, { clientAddress: req.clientAddress, userAgent: req.userAgent }, now);
    clearFailures(tx, accountKey);
    recordAudit(tx, actor, { action: "sign-in.succeeded", objectType: "user", objectId: user.id }, now);
    return {
      ok: true as const,
      sessionId,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, trustCode: user.trustCode },
    };
  });
}

export type SecondStepResult =
  | { ok: true; sessionId: string; user: SessionUser; redirectTo: string | null; recoveryCodes: string[] | null }
  | { ok: false; error: string; restart: boolean };

/**
 * The second step of a sign-in: the code from the person's authenticator app (or a recovery code), or, when setting
 * up, a code from the secret offered to them. Right: the challenge ends and a new session begins (with new recovery
 * codes, the first time). Wrong: audited, counted towards throttling and against the challenge, which ends after five.
 */
export function completeSignIn(
  challenge: OpenChallenge,
  input: { code: string; clientAddress: string; userAgent: string | null; request?: Request },
  clock: () => Date = () => new Date(),
): SecondStepResult {
  const { user } = challenge;
  const actor = { userId: user.id, label: user.email, clientAddress: input.clientAddress };
  const settingUp = !user.mfaSecret;
  return writeTransaction((tx) => {
    const now = clock();
    if (settingUp && !challenge.enrolSecret) return { ok: false as const, error: CODE_ERRORS.wrong, restart: true };
    const checked = checkSecondFactor(tx, { userId: user.id, email: user.email, clientAddress: input.clientAddress }, input.code, now, settingUp ? challenge.enrolSecret! : undefined);
    if (!checked.ok) {
      if (checked.reason !== "throttled") recordFailure(tx, user.email, input.clientAddress, now);
      const restart = countWrongCode(tx, challenge);
      recordAudit(tx, actor, { action: "sign-in.failed", objectType: "user", objectId: user.id, summary: { reason: `second factor: ${checked.reason}`, restart } }, now);
      return { ok: false as const, error: CODE_ERRORS[checked.reason], restart };
    }
    endChallenge(tx, challenge.idHash);
    const recoveryCodes = settingUp ? enrolSecondFactor(tx, user.id, challenge.enrolSecret!, now) : null;
    if (settingUp) recordAudit(tx, actor, { action: "mfa.enrolled", objectType: "user", objectId: user.id }, now);
    // A session the browser already had ends here: the new one has a new id (ASVS 7.2.4).
    if (input.request) destroyRequestSession(tx, input.request);
    const sessionId = createSession(tx, user.id, { clientAddress: input.clientAddress, userAgent: input.userAgent }, now);
    clearFailures(tx, user.email);
    recordAudit(tx, actor, { action: "sign-in.succeeded", objectType: "user", objectId: user.id, summary: { secondFactor: checked.method } }, now);
    return {
      ok: true as const,
      sessionId,
      user: { id: user.id, email: user.email, name: user.name, role: user.role, trustCode: user.trustCode },
      redirectTo: challenge.redirectTo,
      recoveryCodes,
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
