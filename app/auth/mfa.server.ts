/**
 * The second factor in the database (decision 0022): the halfway state of a sign-in (a challenge, with its own
 * cookie), setting up and removing a person's TOTP secret, recovery codes, and checking a code, whether at sign-in or
 * again before a sensitive action. Every check runs inside a write transaction, so two requests with the same code
 * cannot both be accepted.
 */
import { randomBytes } from "node:crypto";
import { and, count, eq, isNull, lt } from "drizzle-orm";
import { mfaRecoveryCodes, signInChallenges, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getConfig } from "../config.server";
import { getDb, writeTransaction, type Tx } from "../db.server";
import {
  CHALLENGE_MINUTES,
  checkTotp,
  DEMO_TOTP_SECRET,
  hashRecoveryCode,
  MAX_CODE_ATTEMPTS,
  newRecoveryCodes,
  normaliseRecoveryCode,
  normaliseTotpInput,
  timeStep,
  TOTP_PERIOD_SECONDS,
  totpCode,
} from "./mfa";
import { failureCounts, recordFailure } from "./failures.server";
import type { Role } from "./roles";
import { hashId, isSecure, readIdCookie } from "./session.server";
import { isThrottled } from "./throttle";

/** Staff must use a second factor; trust users may choose to (issue 8; NHS policy for privileged access). */
export function secondFactorRequired(role: Role): boolean {
  return role !== "trust_user";
}

const challengeCookieName = (request: Request) => (isSecure(request) ? "__Host-deep-dive-sign-in" : "deep-dive-sign-in");

export function challengeCookie(request: Request, id: string): string {
  const secure = isSecure(request) ? "; Secure" : "";
  return `${challengeCookieName(request)}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${CHALLENGE_MINUTES * 60}${secure}`;
}

export function clearedChallengeCookie(request: Request): string {
  const secure = isSecure(request) ? "; Secure" : "";
  return `${challengeCookieName(request)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

/** Opens the second step of a sign-in, once the password was right. */
export function startChallenge(tx: Tx, userId: string, meta: { redirectTo: string | null; clientAddress: string }, now: Date): string {
  const id = randomBytes(32).toString("base64url");
  // One open sign-in per person: an older, unfinished one ends here.
  tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId)).run();
  tx.delete(signInChallenges)
    .where(lt(signInChallenges.createdAt, new Date(now.getTime() - CHALLENGE_MINUTES * 60_000).toISOString()))
    .run();
  tx.insert(signInChallenges)
    .values({ idHash: hashId(id), userId, createdAt: now.toISOString(), redirectTo: meta.redirectTo, clientAddress: meta.clientAddress })
    .run();
  return id;
}

export interface ChallengeUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  trustCode: string | null;
  isDemo: boolean;
  mfaSecret: string | null;
  mfaLastStep: number | null;
}

export interface OpenChallenge {
  idHash: string;
  user: ChallengeUser;
  attempts: number;
  enrolSecret: string | null;
  redirectTo: string | null;
}

/** The open challenge this browser holds, or null (none, ended, too old, or its account disabled). */
export function readChallenge(request: Request, now = new Date()): OpenChallenge | null {
  const id = readIdCookie(request, challengeCookieName(request));
  if (!id) return null;
  const row = getDb()
    .select({
      idHash: signInChallenges.idHash,
      createdAt: signInChallenges.createdAt,
      attempts: signInChallenges.attempts,
      enrolSecret: signInChallenges.enrolSecret,
      redirectTo: signInChallenges.redirectTo,
      disabledAt: users.disabledAt,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        trustCode: users.trustCode,
        isDemo: users.isDemo,
        mfaSecret: users.mfaSecret,
        mfaLastStep: users.mfaLastStep,
      },
    })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(eq(signInChallenges.idHash, hashId(id)))
    .get();
  if (!row || row.disabledAt || now.getTime() - new Date(row.createdAt).getTime() > CHALLENGE_MINUTES * 60_000) return null;
  return { idHash: row.idHash, user: row.user, attempts: row.attempts, enrolSecret: row.enrolSecret, redirectTo: row.redirectTo };
}

/** Keeps the secret offered to someone setting up their second factor, so a reload shows the same QR code. */
export function offerEnrolSecret(challenge: OpenChallenge, secret: string): string {
  if (challenge.enrolSecret) return challenge.enrolSecret;
  writeTransaction((tx) => tx.update(signInChallenges).set({ enrolSecret: secret }).where(eq(signInChallenges.idHash, challenge.idHash)).run());
  return secret;
}

export function endChallenge(tx: Tx, idHash: string) {
  tx.delete(signInChallenges).where(eq(signInChallenges.idHash, idHash)).run();
}

/** Counts a wrong code against the challenge; at the limit the challenge ends and the sign-in starts again. */
export function countWrongCode(tx: Tx, challenge: OpenChallenge): boolean {
  const attempts = challenge.attempts + 1;
  if (attempts >= MAX_CODE_ATTEMPTS) {
    endChallenge(tx, challenge.idHash);
    return true;
  }
  tx.update(signInChallenges).set({ attempts }).where(eq(signInChallenges.idHash, challenge.idHash)).run();
  return false;
}

export type CodeCheck = { ok: true; method: "authenticator app" | "recovery code" } | { ok: false; reason: "wrong" | "used" | "throttled" };

/**
 * Checks what a person typed, a 6-digit code or a recovery code, against their second factor (or, while setting it
 * up, against the secret offered): inside the caller's write transaction, reading the last accepted step there. An
 * accepted code moves the last step on; an accepted recovery code is used up. Throttled like the password.
 */
export function checkSecondFactor(
  tx: Tx,
  who: { userId: string; email: string; clientAddress: string },
  input: string,
  now: Date,
  enrolSecret?: string,
): CodeCheck {
  if (isThrottled(failureCounts(tx, who.email, who.clientAddress, now))) return { ok: false, reason: "throttled" };
  const user = tx.select({ mfaSecret: users.mfaSecret, mfaLastStep: users.mfaLastStep }).from(users).where(eq(users.id, who.userId)).get();
  const secret = enrolSecret ?? user?.mfaSecret;
  const digits = normaliseTotpInput(input);
  if (secret && digits) {
    const checked = checkTotp(secret, digits, enrolSecret ? null : (user?.mfaLastStep ?? null), now);
    if (checked.ok) {
      tx.update(users).set({ mfaLastStep: checked.step }).where(eq(users.id, who.userId)).run();
      return { ok: true, method: "authenticator app" };
    }
    return { ok: false, reason: checked.reason };
  }
  const recovery = enrolSecret ? null : normaliseRecoveryCode(input);
  if (recovery) {
    const used = tx
      .update(mfaRecoveryCodes)
      .set({ usedAt: now.toISOString() })
      .where(and(eq(mfaRecoveryCodes.userId, who.userId), eq(mfaRecoveryCodes.codeHash, hashRecoveryCode(recovery)), isNull(mfaRecoveryCodes.usedAt)))
      .run();
    if (used.changes === 1) return { ok: true, method: "recovery code" };
  }
  return { ok: false, reason: "wrong" };
}

/** Sets up a person's second factor with a secret they have confirmed (checkSecondFactor has recorded the step of the code), and gives them new recovery codes. */
export function enrolSecondFactor(tx: Tx, userId: string, secret: string, now: Date): string[] {
  tx.update(users)
    .set({ mfaSecret: secret, mfaEnrolledAt: now.toISOString(), updatedAt: now.toISOString() })
    .where(eq(users.id, userId))
    .run();
  return replaceRecoveryCodes(tx, userId, now);
}

/** New recovery codes for a person; the old ones stop working. Returned once, to be shown once. */
export function replaceRecoveryCodes(tx: Tx, userId: string, now: Date): string[] {
  tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)).run();
  const codes = newRecoveryCodes();
  for (const code of codes) {
    tx.insert(mfaRecoveryCodes)
      .values({ userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code)!), createdAt: now.toISOString() })
      .run();
  }
  return codes;
}

/** Removes a person's second factor and recovery codes (they turned it off, or an admin reset it). */
export function removeSecondFactor(tx: Tx, userId: string, now: Date) {
  tx.update(users).set({ mfaSecret: null, mfaEnrolledAt: null, mfaLastStep: null, updatedAt: now.toISOString() }).where(eq(users.id, userId)).run();
  tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)).run();
  tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId)).run();
}

export interface SecondFactorStatus {
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

export function secondFactorStatus(userId: string): SecondFactorStatus {
  const db = getDb();
  const user = db.select({ enrolledAt: users.mfaEnrolledAt, secret: users.mfaSecret }).from(users).where(eq(users.id, userId)).get();
  const left = db
    .select({ n: count() })
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)))
    .get()!.n;
  return { enrolledAt: user?.secret ? (user.enrolledAt ?? null) : null, recoveryCodesLeft: left };
}

/**
 * In demo mode, for a demo account set up with the published demo secret: the code to type now (the next one when
 * the current one was just used). Null for everyone else, and always outside demo mode.
 */
export function demoCodeFor(user: ChallengeUser, now = new Date()): string | null {
  if (getConfig().DEMO_DATA !== "on" || !user.isDemo || user.mfaSecret !== DEMO_TOTP_SECRET) return null;
  const step = timeStep(now);
  const next = user.mfaLastStep !== null && user.mfaLastStep >= step ? step + 1 : step;
  return totpCode(DEMO_TOTP_SECRET, new Date(next * TOTP_PERIOD_SECONDS * 1000));
}

export const CODE_ERRORS = {
  missing: "Enter the 6-digit code from your authenticator app",
  wrong: "Enter the code your authenticator app shows now, or one of your recovery codes",
  used: "That code has already been used. Wait for your authenticator app to show a new code, then enter it",
  throttled: "Too many wrong codes. Wait 15 minutes and try again",
} as const;

/**
 * Asks again for the second factor before a sensitive action (turning it off, changing a role, closing a selection
 * round, which reveals its seed): the code typed in the action's own form. Null when it was right; otherwise the
 * error to show at the field. A wrong code is audited and counts towards throttling, as at sign-in.
 */
export function confirmSecondFactor(actor: Actor & { userId: string }, email: string, input: string, action: string, now = new Date()): string | null {
  if (!input.trim()) return CODE_ERRORS.missing;
  const clientAddress = actor.clientAddress ?? "unknown";
  return writeTransaction((tx) => {
    const checked = checkSecondFactor(tx, { userId: actor.userId, email, clientAddress }, input, now);
    if (checked.ok) return null;
    if (checked.reason !== "throttled") recordFailure(tx, email, clientAddress, now);
    recordAudit(tx, actor, { action: "mfa.confirm-failed", objectType: "user", objectId: actor.userId, summary: { for: action, reason: checked.reason } }, now);
    return CODE_ERRORS[checked.reason];
  });
}

/**
 * Sets up a second factor for someone already signed in (a trust user choosing one), once a code made from the
 * offered secret is right: the new recovery codes, or the error to show at the field.
 */
export function enrolSignedIn(actor: Actor & { userId: string }, email: string, secret: string, input: string, now = new Date()): { codes: string[] } | { error: string } {
  const clientAddress = actor.clientAddress ?? "unknown";
  return writeTransaction((tx) => {
    const checked = checkSecondFactor(tx, { userId: actor.userId, email, clientAddress }, input, now, secret);
    if (!checked.ok) {
      if (checked.reason !== "throttled") recordFailure(tx, email, clientAddress, now);
      recordAudit(tx, actor, { action: "mfa.confirm-failed", objectType: "user", objectId: actor.userId, summary: { for: "set-up", reason: checked.reason } }, now);
      return { error: CODE_ERRORS[checked.reason] };
    }
    const codes = enrolSecondFactor(tx, actor.userId, secret, now);
    recordAudit(tx, actor, { action: "mfa.enrolled", objectType: "user", objectId: actor.userId }, now);
    return { codes };
  });
}
