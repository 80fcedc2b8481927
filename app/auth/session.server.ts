/**
 * Server-side sessions. The browser holds a 256-bit random id in an HttpOnly cookie; the database holds
 * only its SHA-256. A new id is issued at every sign-in; sign-out and disabling an account delete rows.
 */
import { createHash, randomBytes } from "node:crypto";
import { eq, lte, or } from "drizzle-orm";
import { sessions, signInChallenges, users } from "../../db/schema";
import { getConfig } from "../config.server";
import { getDb, type Db, type Tx } from "../db.server";
import { sessionState, shouldTouch } from "./session-policy";

const SECURE_COOKIE = "__Host-deep-dive-session";
const PLAIN_COOKIE = "deep-dive-session";

/** What the database keeps of a random id held in a cookie (a session, or a sign-in halfway): its SHA-256. */
export const hashId = (id: string) => createHash("sha256").update(id).digest("hex");

export const isSecure = (request: Request) => new URL(request.url).protocol === "https:";

function cookieName(request: Request) {
  return isSecure(request) ? SECURE_COOKIE : PLAIN_COOKIE;
}

/** The 256-bit random id (base64url) in the cookie `name`, or null when there is none or it is not of that form. */
export function readIdCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
  }
  return null;
}

const readSessionId = (request: Request) => readIdCookie(request, cookieName(request));

/** Set-Cookie for a new session: no Max-Age, so it also ends when the browser closes. */
export function sessionCookie(request: Request, id: string): string {
  const secure = isSecure(request) ? "; Secure" : "";
  return `${cookieName(request)}=${id}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

export function clearedSessionCookie(request: Request): string {
  const secure = isSecure(request) ? "; Secure" : "";
  return `${cookieName(request)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

export function createSession(
  tx: Tx,
  userId: string,
  meta: { clientAddress: string | null; userAgent: string | null },
  now = new Date(),
): string {
  const id = randomBytes(32).toString("base64url");
  tx.insert(sessions)
    .values({
      idHash: hashId(id),
      userId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      clientAddress: meta.clientAddress,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .run();
  return id;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: (typeof users.$inferSelect)["role"];
  trustCode: string | null;
}

/**
 * Requests a page makes on its own, which do not count as activity for the idle timeout: the presence heartbeat, and
 * the offline check every 30 seconds of whether a prepared inspection may still be kept.
 */
function isBackgroundRequest(request: Request): boolean {
  const { pathname } = new URL(request.url);
  if (request.method === "POST") return /^\/inspections\/[^/]+\/presence$/.test(pathname);
  return request.method === "GET" && /^\/inspections\/[^/]+\/offline-status\.json$/.test(pathname);
}

/** The signed-in user for this request, or null. Expired sessions and disabled accounts count as signed out. */
export function getSessionUser(request: Request, now = new Date()): SessionUser | null {
  const id = readSessionId(request);
  if (!id) return null;
  const db = getDb();
  const row = db
    .select({
      idHash: sessions.idHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      user: { id: users.id, email: users.email, name: users.name, role: users.role, trustCode: users.trustCode },
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, hashId(id)))
    .get();
  if (!row) return null;
  const { SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS } = getConfig();
  const times = { createdAt: new Date(row.createdAt), lastSeenAt: new Date(row.lastSeenAt) };
  const policy = { idleMinutes: SESSION_IDLE_MINUTES, absoluteHours: SESSION_ABSOLUTE_HOURS };
  const state = sessionState(times, now, policy);
  if (state !== "active" || row.disabledAt) {
    db.delete(sessions).where(eq(sessions.idHash, row.idHash)).run();
    return null;
  }
  // A page's background heartbeat is not the user's activity: it must not keep an unattended session alive.
  if (!isBackgroundRequest(request) && shouldTouch(times, now, policy)) {
    db.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.idHash, row.idHash)).run();
  }
  return row.user;
}

export function destroyRequestSession(tx: Tx, request: Request) {
  const id = readSessionId(request);
  if (id) tx.delete(sessions).where(eq(sessions.idHash, hashId(id))).run();
}

export function destroyUserSessions(tx: Tx, userId: string) {
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/**
 * Deletes the rows of sessions past their idle or absolute limit, and of sign-ins left halfway (their challenge older
 * than its limit), so that abandoned ones do not pile up (they already open nothing: getSessionUser and readChallenge
 * refuse them). Run hourly by the calendar jobs. Returns how many sessions went.
 */
export function sweepEndedSessions(db: Db, now: Date, challengeMinutes: number): number {
  const { SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS } = getConfig();
  const idleSince = new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000).toISOString();
  const createdSince = new Date(now.getTime() - SESSION_ABSOLUTE_HOURS * 3_600_000).toISOString();
  const swept = db.delete(sessions).where(or(lte(sessions.lastSeenAt, idleSince), lte(sessions.createdAt, createdSince))).run().changes;
  db.delete(signInChallenges)
    .where(lte(signInChallenges.createdAt, new Date(now.getTime() - challengeMinutes * 60_000).toISOString()))
    .run();
  return swept;
}