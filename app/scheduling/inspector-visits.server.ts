/**
 * What an inspector sees of the schedule: their own visits (the "My visits" page) and their private calendar feed
 * (docs/decisions/0011-calendar-feeds.md).
 *
 * Only visits that are scheduled or completed, and only those the inspector is on the team of: a proposed visit is a
 * programme lead's draft, and a cancelled one is not happening. Every view, on the page or through the feed, is
 * audited with the ids of the visits it showed (never a trust's name or code, as for selection: decision 0008).
 *
 * The feed's URL carries a secret token, because calendar apps cannot sign in. Only its SHA-256 is stored, so the
 * link is shown once, when it is made; making a new one replaces the old, which stops working at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { calendarFeeds, trusts, users, visits, visitTeamMembers } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { todayInLondon } from "../trusts/register.server";
import { buildCalendar, type CalendarTeamMember } from "./calendar";
import { INSPECTOR_VISIBLE_STATUSES } from "./schedule.server";

export type InspectorVisitStatus = (typeof INSPECTOR_VISIBLE_STATUSES)[number];

export interface InspectorVisit {
  id: string;
  /** yyyy-mm-dd, all day. */
  date: string;
  status: InspectorVisitStatus;
  trustCode: string;
  trustName: string;
  /** The trust's address, a line each, without the postcode. */
  addressLines: string[];
  postcode: string | null;
  /** The address on one line, postcode included (the calendar event's LOCATION). */
  location: string;
  /** The lead first, then the members by name. */
  team: CalendarTeamMember[];
  /** On or after today in England. */
  upcoming: boolean;
  /** When the visit last changed (updated, or else created): the calendar's DTSTAMP. */
  changedAt: string;
  version: number;
}

/** Address lines as the register stores them: separated by commas or new lines. */
export function splitAddress(addressLines: string): string[] {
  return addressLines
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** An inspector's scheduled and completed visits, in date order (earliest first). */
export function visitsForInspector(inspectorId: string, db: Db = getDb(), now: Date = new Date()): InspectorVisit[] {
  const today = todayInLondon(now);
  const own = db.select({ id: visitTeamMembers.visitId }).from(visitTeamMembers).where(eq(visitTeamMembers.inspectorId, inspectorId));
  const rows = db
    .select({
      id: visits.id,
      date: visits.visitDate,
      status: visits.status,
      trustCode: visits.trustCode,
      trustName: trusts.name,
      addressLines: trusts.addressLines,
      postcode: trusts.postcode,
      createdAt: visits.createdAt,
      updatedAt: visits.updatedAt,
      version: visits.version,
    })
    .from(visits)
    .innerJoin(trusts, eq(trusts.odsCode, visits.trustCode))
    .where(and(inArray(visits.status, [...INSPECTOR_VISIBLE_STATUSES]), inArray(visits.id, own)))
    .orderBy(asc(visits.visitDate), asc(trusts.name), asc(visits.id))
    .all();
  if (rows.length === 0) return [];
  const members = db
    .select({ visitId: visitTeamMembers.visitId, name: users.name, role: visitTeamMembers.role })
    .from(visitTeamMembers)
    .innerJoin(users, eq(users.id, visitTeamMembers.inspectorId))
    .where(
      inArray(
        visitTeamMembers.visitId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const teams = new Map<string, CalendarTeamMember[]>();
  for (const m of members) {
    const team = teams.get(m.visitId) ?? [];
    team.push({ name: m.name, role: m.role });
    teams.set(m.visitId, team);
  }
  return rows.map((row) => {
    const addressLines = splitAddress(row.addressLines);
    const postcode = row.postcode?.trim() || null;
    const team = teams.get(row.id) ?? [];
    return {
      id: row.id,
      date: row.date,
      status: row.status as InspectorVisitStatus,
      trustCode: row.trustCode,
      trustName: row.trustName,
      addressLines,
      postcode,
      location: [...addressLines, ...(postcode ? [postcode] : [])].join(", "),
      team: [...team.filter((m) => m.role === "lead"), ...team.filter((m) => m.role !== "lead")],
      upcoming: row.date >= today,
      changedAt: row.updatedAt ?? row.createdAt,
      version: row.version,
    };
  });
}

/** Audits a view of the "My visits" page, with the ids of the visits it showed. */
export function recordMyVisitsViewed(inspectorId: string, shown: readonly { id: string }[], actor: Actor, db: Db = getDb()) {
  writeTransaction(
    (tx) =>
      recordAudit(tx, actor, {
        action: "schedule.my-visits-viewed",
        objectType: "inspector",
        objectId: inspectorId,
        summary: { visits: shown.map((v) => v.id) },
      }),
    db,
  );
}

// ── The calendar feed ──────────────────────────────────────────────────────────────────────────────────────────

/** A feed token: 32 random bytes, base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The path of an inspector's feed, from its token. */
export const feedPath = (token: string) => `/calendar/${token}/deep-dive.ics`;

/** Feeds are for active inspectors only. */
function activeInspector(db: Db | Tx, inspectorId: string) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, inspectorId), eq(users.role, "inspector"), isNull(users.disabledAt)))
    .get();
}

/**
 * Makes a new secret feed token for the inspector and returns it: the only time it exists outside the calendar app.
 * Only its SHA-256 is stored, replacing any previous one, so the previous link stops working at once.
 */
export function createFeedToken(inspectorId: string, actor: Actor, db: Db = getDb(), now: Date = new Date()): string {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  const createdAt = now.toISOString();
  writeTransaction((tx) => {
    if (!activeInspector(tx, inspectorId)) throw new Error("Calendar feeds are for active inspectors only");
    const previous = tx.select({ inspectorId: calendarFeeds.inspectorId }).from(calendarFeeds).where(eq(calendarFeeds.inspectorId, inspectorId)).get();
    tx.insert(calendarFeeds)
      .values({ inspectorId, tokenHash, createdAt })
      .onConflictDoUpdate({ target: calendarFeeds.inspectorId, set: { tokenHash, createdAt } })
      .run();
    // Neither the token nor its hash is audited: the audit trail is read by admins, and the hash identifies the link.
    recordAudit(
      tx,
      actor,
      { action: previous ? "calendar.feed-token-rotated" : "calendar.feed-token-created", objectType: "calendar_feed", objectId: inspectorId },
      now,
    );
  }, db);
  return token;
}

/** When the inspector's current feed link was made (an ISO instant), or null if they have none. */
export function hasFeed(inspectorId: string, db: Db = getDb()): string | null {
  return db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.inspectorId, inspectorId)).get()?.createdAt ?? null;
}

/** Turns the inspector's feed off: the link stops working at once. False if there was none. */
export function revokeFeed(inspectorId: string, actor: Actor, db: Db = getDb()): boolean {
  return writeTransaction((tx) => {
    const deleted = tx.delete(calendarFeeds).where(eq(calendarFeeds.inspectorId, inspectorId)).run().changes;
    if (deleted === 0) return false;
    recordAudit(tx, actor, { action: "calendar.feed-token-revoked", objectType: "calendar_feed", objectId: inspectorId });
    return true;
  }, db);
}

export interface FeedRequest {
  clientAddress: string | null;
  /** The service's origin, for absolute links to the visits; null for paths. */
  origin?: string | null;
}

/**
 * The feed for a token: the iCalendar text of its inspector's visits, with the download audited as the inspector.
 * Null (answer 404) for a malformed or unknown token, and for an inspector who is disabled or no longer an inspector.
 */
export function feedForToken(token: string, request: FeedRequest, db: Db = getDb(), now: Date = new Date()): { ics: string; visits: number } | null {
  if (!TOKEN.test(token)) return null;
  // A lookup by the hash, through a unique index: nothing about the token is compared character by character.
  const owner = db
    .select({ id: users.id, email: users.email })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.inspectorId))
    .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), eq(users.role, "inspector"), isNull(users.disabledAt)))
    .get();
  if (!owner) return null;
  const shown = visitsForInspector(owner.id, db, now);
  const ics = buildCalendar(shown, { origin: request.origin ?? null });
  writeTransaction(
    (tx) =>
      recordAudit(
        tx,
        { userId: owner.id, label: owner.email, clientAddress: request.clientAddress },
        { action: "calendar.feed-downloaded", objectType: "calendar_feed", objectId: owner.id, summary: { visits: shown.map((v) => v.id) } },
        now,
      ),
    db,
  );
  return { ics, visits: shown.length };
}
