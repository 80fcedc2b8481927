/**
 * Inspectors as the planner sees them: a profile (home region, base, skills, how many visits a week, weekdays not
 * worked), leave and other unavailability, and conflicts of interest with trusts. Programme leads manage every
 * inspector's; an inspector manages their own. Every change is audited in its own write transaction, against the
 * inspector (object type "inspector"). Leave is audited without its note, which may say something personal.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, gte, isNull, or, sql } from "drizzle-orm";
import { conflictsOfInterest, inspectorLeave, inspectorProfiles, trusts, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { ENGLISH_REGIONS } from "../trusts/ods";
import { todayInLondon } from "../trusts/register.server";
import {
  parseConflictInput,
  parseLeaveInput,
  parseProfileInput,
  SKILL_LABELS,
  type ConflictFieldErrors,
  type ConflictInput,
  type LeaveFieldErrors,
  type LeaveInput,
  type LeaveKind,
  type ProfileFieldErrors,
  type ProfileInput,
  type RawInput,
  type Skill,
} from "./inspector-input";

/** Errors by form field; `leaveId` and `conflictId` are for refusing to cancel or withdraw one; `form` for the rest. */
export type InspectorFieldErrors = ProfileFieldErrors &
  LeaveFieldErrors &
  ConflictFieldErrors &
  Partial<Record<"leaveId" | "conflictId" | "form", string>>;

export class InspectorError extends Error {
  constructor(public readonly fieldErrors: InspectorFieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** No active (not disabled) inspector with that id. */
export class InspectorNotFound extends Error {
  constructor(id: string) {
    super(`No active inspector ${id}`);
  }
}

export interface Region {
  code: string;
  name: string;
}

/** The regions of the trusts in the register, by name; the seven English regions when the register is empty. */
export function listRegions(db: Db = getDb()): Region[] {
  const rows = db
    .selectDistinct({ code: trusts.regionCode, name: trusts.regionName })
    .from(trusts)
    .orderBy(asc(trusts.regionName), asc(trusts.regionCode))
    .all();
  const byCode = new Map<string, string>();
  for (const row of rows) if (!byCode.has(row.code)) byCode.set(row.code, row.name);
  if (byCode.size === 0) for (const [code, name] of Object.entries(ENGLISH_REGIONS)) byCode.set(code, name);
  return [...byCode].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name));
}

const isOpen = (today: string) => or(isNull(trusts.closedOn), gt(trusts.closedOn, today));

/** Trusts open today, by name: the choices for a base trust and for a conflict of interest. */
export function openTrusts(db: Db = getDb(), now: Date = new Date()): { odsCode: string; name: string }[] {
  return db
    .select({ odsCode: trusts.odsCode, name: trusts.name })
    .from(trusts)
    .where(isOpen(todayInLondon(now)))
    .orderBy(asc(trusts.name))
    .all();
}

// ── Reading ────────────────────────────────────────────────────────────────────────────────────────────────

export interface ProfileView {
  homeRegionCode: string;
  /** The region's name, or its code when no trust in the register has it any more. */
  homeRegionName: string;
  baseLabel: string;
  baseTrustCode: string | null;
  baseTrustName: string | null;
  skills: Skill[];
  skillLabels: string[];
  maxVisitsPerWeek: number;
  nonWorkingWeekdays: number[];
  updatedAt: string | null;
  /** The email address of who last saved it. */
  updatedBy: string | null;
}

export interface InspectorListItem {
  id: string;
  name: string;
  email: string;
  profile: ProfileView | null;
  /** Periods of leave not cancelled that end today or later. */
  leaveAhead: number;
  /** Conflicts of interest not withdrawn that last until today or later. */
  activeConflicts: number;
}

export interface LeaveView {
  id: string;
  startDate: string;
  endDate: string;
  kind: LeaveKind;
  note: string;
  /** Ended before today. */
  past: boolean;
  createdBy: string;
  createdAt: string;
}

export interface ConflictView {
  id: string;
  trustCode: string;
  trustName: string;
  reason: string;
  until: string;
  /** Lasted until a day before today: no longer in force. */
  ended: boolean;
  declaredBy: string;
  createdAt: string;
}

export interface InspectorView {
  id: string;
  name: string;
  email: string;
  profile: ProfileView | null;
  /** Not cancelled, by start date. */
  leave: LeaveView[];
  /** Not withdrawn, by trust name. */
  conflicts: ConflictView[];
}

function jsonList<T>(json: string, allowed: (value: unknown) => value is T): T[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter(allowed) : [];
  } catch {
    return [];
  }
}
const isSkill = (v: unknown): v is Skill => typeof v === "string" && v in SKILL_LABELS;
const isWeekday = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5;

function activeInspectors(db: Db | Tx, id?: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.role, "inspector"), isNull(users.disabledAt), id === undefined ? undefined : eq(users.id, id)))
    .all();
}

function profilesOf(db: Db, userId?: string): Map<string, ProfileView> {
  const regions = new Map(listRegions(db).map((r) => [r.code, r.name]));
  const rows = db
    .select({
      profile: inspectorProfiles,
      baseTrustName: trusts.name,
      updatedByEmail: users.email,
    })
    .from(inspectorProfiles)
    .leftJoin(trusts, eq(trusts.odsCode, inspectorProfiles.baseTrustCode))
    .leftJoin(users, eq(users.id, inspectorProfiles.updatedBy))
    .where(userId === undefined ? undefined : eq(inspectorProfiles.userId, userId))
    .all();
  return new Map(
    rows.map(({ profile: p, baseTrustName, updatedByEmail }) => {
      const stored = jsonList(p.skills, isSkill);
      const skills = (Object.keys(SKILL_LABELS) as Skill[]).filter((s) => stored.includes(s));
      return [
        p.userId,
        {
          homeRegionCode: p.homeRegionCode,
          homeRegionName: regions.get(p.homeRegionCode) ?? ENGLISH_REGIONS[p.homeRegionCode] ?? p.homeRegionCode,
          baseLabel: p.baseLabel,
          baseTrustCode: p.baseTrustCode,
          baseTrustName: baseTrustName ?? null,
          skills,
          skillLabels: skills.map((s) => SKILL_LABELS[s]),
          maxVisitsPerWeek: p.maxVisitsPerWeek,
          nonWorkingWeekdays: [...new Set(jsonList(p.nonWorkingWeekdays, isWeekday))].sort((a, b) => a - b),
          updatedAt: p.updatedAt,
          updatedBy: updatedByEmail ?? null,
        },
      ];
    }),
  );
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, "en", { numeric: true, sensitivity: "base" });

/** Every active inspector, by name, with their profile (or null) and how much leave and how many conflicts lie ahead. */
export function listInspectors(db: Db = getDb(), now: Date = new Date()): InspectorListItem[] {
  const today = todayInLondon(now);
  const profiles = profilesOf(db);
  const leave = new Map(
    db
      .select({ id: inspectorLeave.inspectorId, n: sql<number>`count(*)` })
      .from(inspectorLeave)
      .where(and(isNull(inspectorLeave.cancelledAt), gte(inspectorLeave.endDate, today)))
      .groupBy(inspectorLeave.inspectorId)
      .all()
      .map((r) => [r.id, r.n]),
  );
  const conflicts = new Map(
    db
      .select({ id: conflictsOfInterest.inspectorId, n: sql<number>`count(*)` })
      .from(conflictsOfInterest)
      .where(and(isNull(conflictsOfInterest.withdrawnAt), gte(conflictsOfInterest.until, today)))
      .groupBy(conflictsOfInterest.inspectorId)
      .all()
      .map((r) => [r.id, r.n]),
  );
  return activeInspectors(db)
    .sort(byName)
    .map((u) => ({ ...u, profile: profiles.get(u.id) ?? null, leaveAhead: leave.get(u.id) ?? 0, activeConflicts: conflicts.get(u.id) ?? 0 }));
}

/** One inspector's page: profile, leave (not cancelled) and conflicts (not withdrawn); undefined if not an active inspector. */
export function inspectorView(id: string, db: Db = getDb(), now: Date = new Date()): InspectorView | undefined {
  const [inspector] = activeInspectors(db, id);
  if (!inspector) return undefined;
  const today = todayInLondon(now);
  const leave = db
    .select({
      id: inspectorLeave.id,
      startDate: inspectorLeave.startDate,
      endDate: inspectorLeave.endDate,
      kind: inspectorLeave.kind,
      note: inspectorLeave.note,
      createdBy: users.email,
      createdAt: inspectorLeave.createdAt,
    })
    .from(inspectorLeave)
    .innerJoin(users, eq(users.id, inspectorLeave.createdBy))
    .where(and(eq(inspectorLeave.inspectorId, id), isNull(inspectorLeave.cancelledAt)))
    .orderBy(asc(inspectorLeave.startDate), asc(inspectorLeave.endDate), asc(inspectorLeave.createdAt))
    .all()
    .map((l) => ({ ...l, past: l.endDate < today }));
  const conflicts = db
    .select({
      id: conflictsOfInterest.id,
      trustCode: conflictsOfInterest.trustCode,
      trustName: trusts.name,
      reason: conflictsOfInterest.reason,
      until: conflictsOfInterest.until,
      declaredBy: users.email,
      createdAt: conflictsOfInterest.createdAt,
    })
    .from(conflictsOfInterest)
    .innerJoin(trusts, eq(trusts.odsCode, conflictsOfInterest.trustCode))
    .innerJoin(users, eq(users.id, conflictsOfInterest.declaredBy))
    .where(and(eq(conflictsOfInterest.inspectorId, id), isNull(conflictsOfInterest.withdrawnAt)))
    .orderBy(asc(trusts.name), asc(conflictsOfInterest.until))
    .all()
    .map((c) => ({ ...c, ended: c.until < today }));
  return { ...inspector, profile: profilesOf(db, id).get(id) ?? null, leave, conflicts };
}

// ── Changing ───────────────────────────────────────────────────────────────────────────────────────────────

function requireInspector(tx: Tx, id: string) {
  if (activeInspectors(tx, id).length === 0) throw new InspectorNotFound(id);
}

function signedInUser(actor: Actor): string {
  if (!actor.userId) throw new Error("Inspector details are changed by a signed-in user");
  return actor.userId;
}

const audit = (tx: Tx, actor: Actor, action: string, inspectorId: string, summary: Record<string, unknown>, now: Date) =>
  recordAudit(tx, actor, { action: `inspector.${action}`, objectType: "inspector", objectId: inspectorId, summary }, now);

/** An ODS code as the parsers leave it (trimmed, upper case), or "" when there is none. */
const normalisedCode = (value: unknown) => (typeof value === "string" ? value.trim().toUpperCase() : "");

/** The trust's name, if it is in the register and open today (or is `alsoAllowed`, a choice already made). */
function checkTrust(tx: Tx, code: string, today: string, alsoAllowed?: string | null): { name: string } | { error: string } {
  const trust = tx.select({ name: trusts.name, closedOn: trusts.closedOn }).from(trusts).where(eq(trusts.odsCode, code)).get();
  if (!trust) return { error: "Select a trust from the register" };
  if (trust.closedOn && trust.closedOn <= today && code !== alsoAllowed) return { error: "Select a trust that is open" };
  return { name: trust.name };
}

/**
 * Creates or replaces an inspector's profile. The base trust must be open, unless it is the one already chosen
 * (a trust that has since closed stays until someone picks another).
 */
export function saveProfile(inspectorId: string, raw: RawInput<ProfileInput>, actor: Actor, db: Db = getDb(), now: Date = new Date()): void {
  const parsed = parseProfileInput(raw, listRegions(db).map((r) => r.code));
  const errors: InspectorFieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const by = signedInUser(actor);
  writeTransaction((tx) => {
    requireInspector(tx, inspectorId);
    const existing = tx.select().from(inspectorProfiles).where(eq(inspectorProfiles.userId, inspectorId)).get();
    // Checked even when other fields have problems, so every problem is reported at once.
    const baseTrustCode = normalisedCode(raw.baseTrustCode);
    if (baseTrustCode && !errors.baseTrustCode) {
      const trust = checkTrust(tx, baseTrustCode, todayInLondon(now), existing?.baseTrustCode);
      if ("error" in trust) errors.baseTrustCode = trust.error;
    }
    if (!parsed.ok || Object.keys(errors).length > 0) throw new InspectorError(errors);
    const input = parsed.input;
    const values = {
      homeRegionCode: input.homeRegionCode,
      baseLabel: input.baseLabel,
      baseTrustCode: input.baseTrustCode,
      skills: JSON.stringify(input.skills),
      maxVisitsPerWeek: input.maxVisitsPerWeek,
      nonWorkingWeekdays: JSON.stringify(input.nonWorkingWeekdays),
      updatedAt: now.toISOString(),
      updatedBy: by,
    };
    tx.insert(inspectorProfiles)
      .values({ userId: inspectorId, ...values })
      .onConflictDoUpdate({ target: inspectorProfiles.userId, set: values })
      .run();
    audit(tx, actor, "profile-saved", inspectorId, { ...input, created: !existing }, now);
  }, db);
}

/** Records a period of leave or other unavailability (both dates included). Returns its id. */
export function addLeave(inspectorId: string, raw: RawInput<LeaveInput>, actor: Actor, db: Db = getDb(), now: Date = new Date()): string {
  const parsed = parseLeaveInput(raw, todayInLondon(now));
  const by = signedInUser(actor);
  return writeTransaction((tx) => {
    requireInspector(tx, inspectorId);
    if (!parsed.ok) throw new InspectorError(parsed.errors);
    const id = randomUUID();
    tx.insert(inspectorLeave)
      .values({ id, inspectorId, ...parsed.input, createdBy: by, createdAt: now.toISOString() })
      .run();
    const { startDate, endDate, kind } = parsed.input;
    audit(tx, actor, "leave-added", inspectorId, { leaveId: id, startDate, endDate, kind }, now);
    return id;
  }, db);
}

/** Cancels a period of the inspector's leave: it is kept, marked cancelled with who and when. */
export function cancelLeave(inspectorId: string, leaveId: string, actor: Actor, db: Db = getDb(), now: Date = new Date()): void {
  const by = signedInUser(actor);
  writeTransaction((tx) => {
    requireInspector(tx, inspectorId);
    const leave = tx
      .select()
      .from(inspectorLeave)
      .where(and(eq(inspectorLeave.id, leaveId), eq(inspectorLeave.inspectorId, inspectorId)))
      .get();
    if (!leave || leave.cancelledAt) throw new InspectorError({ leaveId: "That leave is not recorded, or is already cancelled" });
    tx.update(inspectorLeave).set({ cancelledAt: now.toISOString(), cancelledBy: by }).where(eq(inspectorLeave.id, leaveId)).run();
    audit(tx, actor, "leave-cancelled", inspectorId, { leaveId, startDate: leave.startDate, endDate: leave.endDate, kind: leave.kind }, now);
  }, db);
}

/**
 * Declares a conflict of interest with an open trust until a date (today or later, in London). A trust the
 * inspector already has a conflict with in force is refused: withdraw that one first to change it. Returns its id.
 */
export function addConflict(inspectorId: string, raw: RawInput<ConflictInput>, actor: Actor, db: Db = getDb(), now: Date = new Date()): string {
  const today = todayInLondon(now);
  const parsed = parseConflictInput(raw, today);
  const errors: InspectorFieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const by = signedInUser(actor);
  return writeTransaction((tx) => {
    requireInspector(tx, inspectorId);
    let trustName = "";
    const trustCode = normalisedCode(raw.trustCode);
    if (trustCode && !errors.trustCode) {
      const trust = checkTrust(tx, trustCode, today);
      if ("error" in trust) errors.trustCode = trust.error;
      else trustName = trust.name;
    }
    if (parsed.ok && !errors.trustCode) {
      const duplicate = tx
        .select({ id: conflictsOfInterest.id })
        .from(conflictsOfInterest)
        .where(
          and(
            eq(conflictsOfInterest.inspectorId, inspectorId),
            eq(conflictsOfInterest.trustCode, parsed.input.trustCode),
            isNull(conflictsOfInterest.withdrawnAt),
            gte(conflictsOfInterest.until, today),
          ),
        )
        .get();
      if (duplicate) errors.trustCode = "A conflict of interest with this trust is already declared. Withdraw it first to change it";
    }
    if (!parsed.ok || Object.keys(errors).length > 0) throw new InspectorError(errors);
    const id = randomUUID();
    tx.insert(conflictsOfInterest)
      .values({ id, inspectorId, ...parsed.input, declaredBy: by, createdAt: now.toISOString() })
      .run();
    audit(tx, actor, "conflict-declared", inspectorId, { conflictId: id, ...parsed.input, trustName }, now);
    return id;
  }, db);
}

/** Withdraws a conflict of interest: it is kept, marked withdrawn with who and when. */
export function withdrawConflict(inspectorId: string, conflictId: string, actor: Actor, db: Db = getDb(), now: Date = new Date()): void {
  const by = signedInUser(actor);
  writeTransaction((tx) => {
    requireInspector(tx, inspectorId);
    const conflict = tx
      .select()
      .from(conflictsOfInterest)
      .where(and(eq(conflictsOfInterest.id, conflictId), eq(conflictsOfInterest.inspectorId, inspectorId)))
      .get();
    if (!conflict || conflict.withdrawnAt) throw new InspectorError({ conflictId: "That conflict of interest is not recorded, or is already withdrawn" });
    tx.update(conflictsOfInterest).set({ withdrawnAt: now.toISOString(), withdrawnBy: by }).where(eq(conflictsOfInterest.id, conflictId)).run();
    audit(tx, actor, "conflict-withdrawn", inspectorId, { conflictId, trustCode: conflict.trustCode, until: conflict.until }, now);
  }, db);
}
