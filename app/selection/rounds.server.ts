/**
 * Selection rounds: open (a secret seed and its published commitment), draw (a snapshot of the ranking and the
 * picks, in one transaction), override (remove or add a trust, with a reason), close (the seed is revealed) and
 * verify (anyone can re-run the draw). Every change is audited. Confidential: only programme leads see rounds
 * (docs/decisions/0008-selection.md), and the audit summaries written here never name a trust, so the audit
 * trail (which admins read) does not reveal who is to be inspected.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, selectionPicks, selectionRounds, trusts, users, visits } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { isCalendarDate } from "../audit/audit-query.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { currentRanking } from "../risk/ranking.server";
import { addCalendarDays } from "../scheduling/working-days";
import { todayInLondon } from "../trusts/register.server";
import {
  DRAW_KINDS,
  inspectedRecently,
  parseSnapshot,
  planDraw,
  runDraw,
  weightForScore,
  WEIGHTING,
  type Candidate,
  type DrawKind,
  type DrawPlan,
  type DrawSnapshot,
} from "./draw";
import { commitmentFor } from "./random";

export const VALIDATION_BANDS = [4, 5, 6];
export const DEFAULT_VALIDATION_SHARE = 0.1;
export const OVERRIDE_REASON_MAX = 500;

export type RoundStatus = (typeof selectionRounds.$inferSelect)["status"];
export type PickKind = (typeof selectionPicks.$inferSelect)["kind"];

/** Errors by form field; `round` is for a refusal about the round as a whole (such as drawing it twice). */
export type RoundFieldErrors = Partial<
  Record<"name" | "periodStart" | "periodEnd" | "capacity" | "minMonthsSinceInspection" | "validationShare" | "trustCode" | "reason" | "round", string>
>;

export class SelectionError extends Error {
  constructor(public readonly fieldErrors: RoundFieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** No round with that id. */
export class RoundNotFound extends Error {
  constructor(id: string) {
    super(`No selection round ${id}`);
  }
}

// ── Opening a round ────────────────────────────────────────────────────────────────────────────────────────

/** A number from a form field (text) or from code (a number); blank is "not given". */
const numberField = (missing: string, notNumber: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim())) : v),
    z.number({ error: (issue) => (issue.input === undefined ? missing : notNumber) }),
  );

const dateField = (missing: string, invalid: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine((v) => isCalendarDate(v), invalid);

export const roundInputSchema = z
  .object({
    name: z.string({ error: "Enter a name for the round" }).trim().min(1, "Enter a name for the round").max(100, "Name must be 100 characters or fewer"),
    periodStart: dateField("Enter the date the period starts", "The start of the period must be a real date"),
    periodEnd: dateField("Enter the date the period ends", "The end of the period must be a real date"),
    capacity: numberField("Enter how many trusts the round can inspect", "Capacity must be a number")
      .pipe(z.number().int("Capacity must be a whole number").min(1, "Capacity must be at least 1").max(100, "Capacity must be 100 or fewer")),
    minMonthsSinceInspection: numberField("Enter the minimum months since the last inspection", "Minimum months must be a number").pipe(
      z.number().int("Minimum months must be a whole number").min(0, "Minimum months must be 0 or more").max(60, "Minimum months must be 60 or fewer"),
    ),
    // Blank or left out: the default share.
    validationShare: z
      .preprocess(
        (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? DEFAULT_VALIDATION_SHARE : v),
        numberField("Enter the validation share", "Validation share must be a number, like 0.1"),
      )
      .pipe(z.number().min(0, "Validation share must be 0 or more").max(0.5, "Validation share must be 0.5 or less")),
  });

export type RoundInput = z.output<typeof roundInputSchema>;
export type RawRoundInput = Partial<Record<keyof RoundInput, unknown>>;

/** The longest period a round may have, both days counted (a round is usually a quarter). */
export const MAX_PERIOD_DAYS = 366;

export function parseRoundInput(raw: RawRoundInput): { ok: true; input: RoundInput } | { ok: false; errors: RoundFieldErrors } {
  const parsed = roundInputSchema.safeParse(raw);
  const errors: RoundFieldErrors = {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0] as keyof RoundFieldErrors | undefined;
    if (field && field in roundInputSchema.shape) errors[field] ??= issue.message;
    else errors.round ??= issue.message;
  }
  // Checked here rather than in the schema, so it is reported along with any other problem in the form.
  const [start, end] = [raw.periodStart, raw.periodEnd].map((v) => (typeof v === "string" ? v.trim() : ""));
  if (!errors.periodStart && !errors.periodEnd && isCalendarDate(start!) && isCalendarDate(end!) && end! <= start!) {
    errors.periodEnd = "The end of the period must be after its start";
  } else if (!errors.periodStart && !errors.periodEnd && isCalendarDate(start!) && isCalendarDate(end!) && end! > addCalendarDays(start!, MAX_PERIOD_DAYS - 1)) {
    // The planner and the schedule's calendar take time in proportion to the period (a mistyped year of 2127 would hold
    // the server for minutes): a round is a quarter, and never more than a year.
    errors.periodEnd = `The period must be ${MAX_PERIOD_DAYS} days or shorter`;
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}

/** A new secret seed: 32 random bytes from the operating system, as 64 lowercase hex characters. */
export function newSeed(): string {
  return randomBytes(32).toString("hex");
}

/** Opens a round with a fresh secret seed; its commitment (not the seed) is audited. Returns the round's id. */
export function openRound(raw: RawRoundInput, actor: Actor, db: Db = getDb()): string {
  const parsed = parseRoundInput(raw);
  if (!parsed.ok) throw new SelectionError(parsed.errors);
  if (!actor.userId) throw new Error("A round is opened by a signed-in programme lead");
  const input = parsed.input;
  const seed = newSeed();
  const commitment = commitmentFor(seed);
  const id = randomUUID();
  writeTransaction((tx) => {
    tx.insert(selectionRounds)
      .values({ id, ...input, seed, commitment, status: "open", createdBy: actor.userId! })
      .run();
    recordAudit(tx, actor, {
      action: "selection.round-opened",
      objectType: "selection_round",
      objectId: id,
      summary: { ...input, commitment },
    });
  }, db);
  return id;
}

// ── Reading rounds ─────────────────────────────────────────────────────────────────────────────────────────

export interface RoundListItem {
  id: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  capacity: number;
  status: RoundStatus;
  createdAt: string;
  picks: number;
}

/** Every round, newest first, with how many trusts are picked (not counting removed picks). */
export function listRounds(db: Db = getDb()): RoundListItem[] {
  const picks = db
    .select({ roundId: selectionPicks.roundId, n: sql<number>`count(*)` })
    .from(selectionPicks)
    .where(isNull(selectionPicks.removedAt))
    .groupBy(selectionPicks.roundId)
    .all();
  const counts = new Map(picks.map((p) => [p.roundId, p.n]));
  return db
    .select({
      id: selectionRounds.id,
      name: selectionRounds.name,
      periodStart: selectionRounds.periodStart,
      periodEnd: selectionRounds.periodEnd,
      capacity: selectionRounds.capacity,
      status: selectionRounds.status,
      createdAt: selectionRounds.createdAt,
    })
    .from(selectionRounds)
    .orderBy(desc(selectionRounds.createdAt), asc(selectionRounds.name))
    .all()
    .map((r) => ({ ...r, picks: counts.get(r.id) ?? 0 }));
}

export interface PickView {
  id: number;
  trustCode: string;
  trustName: string;
  kind: PickKind;
  drawOrder: number | null;
  reason: string;
  band: number | null;
  score: number | null;
  removed: boolean;
}

export interface OverrideView {
  /** What was done to the pick. */
  change: "removed" | "added" | "restored";
  trustCode: string;
  trustName: string;
  reason: string;
  by: string;
  at: string;
}

export interface RoundView {
  id: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  capacity: number;
  minMonthsSinceInspection: number;
  validationShare: number;
  commitment: string;
  /** Only once the round is closed: until then the seed never leaves the database. */
  seed: string | null;
  status: RoundStatus;
  createdBy: string;
  createdAt: string;
  drawnAt: string | null;
  closedAt: string | null;
  modelVersion: { id: number; name: string } | null;
  candidates: number | null;
  plan: DrawPlan | null;
  picks: PickView[];
  overrides: OverrideView[];
}

const OVERRIDE_ACTIONS = { "selection.pick-removed": "removed", "selection.pick-added": "added", "selection.pick-restored": "restored" } as const;

function readSnapshot(json: string | null): DrawSnapshot | null {
  if (!json) return null;
  try {
    return parseSnapshot(json);
  } catch {
    return null;
  }
}

/** Everything the round page shows. The seed is left out until the round is closed. */
export function roundView(id: string, db: Db = getDb()): RoundView | undefined {
  const round = db.select().from(selectionRounds).where(eq(selectionRounds.id, id)).get();
  if (!round) return undefined;
  const creator = db.select({ email: users.email }).from(users).where(eq(users.id, round.createdBy)).get();
  const snapshot = readSnapshot(round.snapshot);
  const byCode = new Map(snapshot?.candidates.map((c) => [c.trustCode, c]));
  const rows = db
    .select({
      id: selectionPicks.id,
      trustCode: selectionPicks.trustCode,
      trustName: trusts.name,
      kind: selectionPicks.kind,
      drawOrder: selectionPicks.drawOrder,
      reason: selectionPicks.reason,
      removedAt: selectionPicks.removedAt,
    })
    .from(selectionPicks)
    .innerJoin(trusts, eq(trusts.odsCode, selectionPicks.trustCode))
    .where(eq(selectionPicks.roundId, id))
    .orderBy(sql`${selectionPicks.drawOrder} IS NULL`, asc(selectionPicks.drawOrder), asc(selectionPicks.id))
    .all();
  const picks: PickView[] = rows.map((r) => ({
    id: r.id,
    trustCode: r.trustCode,
    trustName: r.trustName,
    kind: r.kind,
    drawOrder: r.drawOrder,
    reason: r.reason,
    band: byCode.get(r.trustCode)?.band ?? null,
    score: byCode.get(r.trustCode)?.score ?? null,
    removed: r.removedAt !== null,
  }));
  return {
    id: round.id,
    name: round.name,
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    capacity: round.capacity,
    minMonthsSinceInspection: round.minMonthsSinceInspection,
    validationShare: round.validationShare,
    commitment: round.commitment,
    seed: round.status === "closed" ? round.seed : null,
    status: round.status,
    createdBy: creator?.email ?? "unknown",
    createdAt: round.createdAt,
    drawnAt: round.drawnAt,
    closedAt: round.closedAt,
    modelVersion: snapshot?.modelVersion ?? null,
    candidates: snapshot?.candidates.length ?? null,
    plan: snapshot ? planDraw(snapshot) : null,
    picks,
    overrides: overrideHistory(id, picks, db),
  };
}

/**
 * The overrides of a round, oldest first, from its audit events (each names the pick by its row id and carries
 * the reason): the full history, even of a trust removed and added back, and covered by the audit hash chain.
 */
function overrideHistory(roundId: string, picks: PickView[], db: Db): OverrideView[] {
  const byId = new Map(picks.map((p) => [p.id, p]));
  return db
    .select({ action: auditEvents.action, actor: auditEvents.actorLabel, at: auditEvents.occurredAt, summary: auditEvents.summary })
    .from(auditEvents)
    .where(and(inArray(auditEvents.action, Object.keys(OVERRIDE_ACTIONS)), eq(auditEvents.objectType, "selection_round"), eq(auditEvents.objectId, roundId)))
    .orderBy(asc(auditEvents.seq))
    .all()
    .flatMap((e) => {
      const summary = JSON.parse(e.summary) as { pickId?: number; reason?: string };
      const pick = summary.pickId === undefined ? undefined : byId.get(summary.pickId);
      if (!pick) return [];
      return [
        {
          change: OVERRIDE_ACTIONS[e.action as keyof typeof OVERRIDE_ACTIONS],
          trustCode: pick.trustCode,
          trustName: pick.trustName,
          reason: summary.reason ?? "",
          by: e.actor,
          at: e.at,
        },
      ];
    });
}

/** Records that someone looked at a round (confidential planning data). */
export function recordRoundViewed(id: string, page: "round" | "verify" | "snapshot", actor: Actor, extra: Record<string, unknown> = {}, db: Db = getDb()) {
  writeTransaction((tx) => recordAudit(tx, actor, { action: "selection.viewed", objectType: "selection_round", objectId: id, summary: { page, ...extra } }), db);
}

/** Open trusts that can be added to this round: not picked in it, nor in another round that is not closed. */
export function trustsToAdd(roundId: string, db: Db = getDb()) {
  const today = todayInLondon();
  const active = db
    .select({ code: selectionPicks.trustCode })
    .from(selectionPicks)
    .innerJoin(selectionRounds, eq(selectionRounds.id, selectionPicks.roundId))
    .where(and(isNull(selectionPicks.removedAt), or(eq(selectionPicks.roundId, roundId), ne(selectionRounds.status, "closed"))));
  return db
    .select({ odsCode: trusts.odsCode, name: trusts.name })
    .from(trusts)
    .where(and(or(isNull(trusts.closedOn), gt(trusts.closedOn, today)), notInArray(trusts.odsCode, active)))
    .orderBy(asc(trusts.name))
    .all();
}

// ── Drawing ────────────────────────────────────────────────────────────────────────────────────────────────

/** Trusts with a pick (not removed) in a round other than `roundId` that is not closed. */
function pickedElsewhere(tx: Tx, roundId: string): Set<string> {
  const rows = tx
    .select({ code: selectionPicks.trustCode })
    .from(selectionPicks)
    .innerJoin(selectionRounds, eq(selectionRounds.id, selectionPicks.roundId))
    .where(and(ne(selectionPicks.roundId, roundId), isNull(selectionPicks.removedAt), ne(selectionRounds.status, "closed")))
    .all();
  return new Set(rows.map((r) => r.code));
}

/**
 * The snapshot of every input to the draw: the rules, the model version, and every open trust in the current
 * ranking with its score, band, weight (weightForScore) and any exclusion. Closed trusts are not in the ranking.
 * A trust's last inspection is its latest completed visit. No finding is recorded yet, so no trust has a critical
 * outcome Not achieved.
 */
export function buildSnapshot(tx: Tx, round: typeof selectionRounds.$inferSelect, now: Date, db: Db = getDb()): DrawSnapshot {
  const ranking = currentRanking(undefined, db);
  const elsewhere = pickedElsewhere(tx, round.id);
  const lastVisits = new Map(
    tx
      .select({ trustCode: visits.trustCode, last: sql<string>`max(${visits.visitDate})` })
      .from(visits)
      .where(eq(visits.status, "completed"))
      .groupBy(visits.trustCode)
      .all()
      .map((v) => [v.trustCode, v.last]),
  );
  const candidates: Candidate[] = ranking.rows.map((row) => {
    const lastInspectedOn = lastVisits.get(row.trustCode) ?? null;
    const criticalNotAchievedDue = false;
    const excluded = elsewhere.has(row.trustCode)
      ? "picked-in-another-round"
      : inspectedRecently(lastInspectedOn, round.periodStart, round.minMonthsSinceInspection)
        ? "recently-inspected"
        : null;
    return {
      trustCode: row.trustCode,
      name: row.name,
      score: row.score,
      band: row.band,
      weight: weightForScore(row.score),
      lastInspectedOn,
      criticalNotAchievedDue,
      excluded,
    };
  });
  return {
    formatVersion: 1,
    rules: {
      capacity: round.capacity,
      minMonthsSinceInspection: round.minMonthsSinceInspection,
      validationShare: round.validationShare,
      validationBands: VALIDATION_BANDS,
    },
    modelVersion: ranking.modelVersion,
    asOf: ranking.asOf,
    takenAt: now.toISOString(),
    weighting: WEIGHTING,
    candidates,
  };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function requireRound(tx: Tx | Db, id: string) {
  const round = tx.select().from(selectionRounds).where(eq(selectionRounds.id, id)).get();
  if (!round) throw new RoundNotFound(id);
  return round;
}

/**
 * Draws an open round: takes the snapshot, runs the draw with the round's seed, and stores the snapshot, the
 * picks and the new status in one transaction, audited with digests (never trust codes). Returns the picks count.
 */
export function drawRound(roundId: string, actor: Actor, db: Db = getDb()): number {
  return writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    if (round.status !== "open") throw new SelectionError({ round: "This round has already been drawn" });
    const now = new Date();
    const snapshot = buildSnapshot(tx, round, now, db);
    const snapshotJson = JSON.stringify(snapshot);
    const picks = runDraw(snapshot, round.seed);
    for (const pick of picks) {
      tx.insert(selectionPicks).values({ roundId, trustCode: pick.trustCode, kind: pick.kind, drawOrder: pick.drawOrder, reason: pick.reason }).run();
    }
    tx.update(selectionRounds)
      .set({ status: "drawn", snapshot: snapshotJson, modelVersionId: snapshot.modelVersion.id, drawnAt: now.toISOString() })
      .where(eq(selectionRounds.id, roundId))
      .run();
    const plan = planDraw(snapshot);
    recordAudit(
      tx,
      actor,
      {
        action: "selection.drawn",
        objectType: "selection_round",
        objectId: roundId,
        summary: {
          modelVersionId: snapshot.modelVersion.id,
          candidates: snapshot.candidates.length,
          excluded: snapshot.candidates.filter((c) => c.excluded).length,
          picks: picks.length,
          mandatory: picks.filter((p) => p.kind === "mandatory").length,
          drawn: picks.filter((p) => p.kind === "drawn").length,
          validation: picks.filter((p) => p.kind === "validation").length,
          overCapacity: plan.overCapacity,
          snapshotSha256: sha256(snapshotJson),
          picksSha256: sha256(JSON.stringify(picks.map((p) => [p.drawOrder, p.trustCode, p.kind]))),
        },
      },
      now,
    );
    return picks.length;
  }, db);
}

// ── Overrides ──────────────────────────────────────────────────────────────────────────────────────────────

export interface OverrideInput {
  action: "add" | "remove";
  trustCode: string;
  reason: string;
}

const overrideSchema = z.object({
  action: z.enum(["add", "remove"], { error: "Choose whether to add or remove a trust" }),
  trustCode: z.string({ error: "Select a trust" }).trim().toUpperCase().min(1, "Select a trust").max(10, "Select a trust"),
  reason: z
    .string({ error: "Enter the reason" })
    .trim()
    .min(1, "Enter the reason")
    .max(OVERRIDE_REASON_MAX, `The reason must be ${OVERRIDE_REASON_MAX} characters or fewer`),
});

/**
 * Removes a pick (it is kept, marked removed with who, when and why) or adds a trust by hand (kind "added"; a
 * trust that was removed is restored instead, as the round holds each trust once). Only while the round is
 * drawn and not yet closed. Audited with the pick's row id and the reason, never the trust.
 */
export function overridePick(roundId: string, raw: Partial<Record<keyof OverrideInput, unknown>>, actor: Actor, db: Db = getDb()): void {
  const parsed = overrideSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: RoundFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "trustCode" || field === "reason") errors[field] ??= issue.message;
      else errors.round ??= issue.message;
    }
    throw new SelectionError(errors);
  }
  const { action, trustCode, reason } = parsed.data;
  if (!actor.userId) throw new Error("Overrides are made by a signed-in programme lead");
  writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    if (round.status === "open") throw new SelectionError({ round: "Draw the round before changing its picks" });
    if (round.status === "closed") throw new SelectionError({ round: "This round is closed: its picks can no longer change" });
    const pick = tx
      .select()
      .from(selectionPicks)
      .where(and(eq(selectionPicks.roundId, roundId), eq(selectionPicks.trustCode, trustCode)))
      .get();
    const now = new Date().toISOString();
    const audit = (change: "removed" | "added" | "restored", pickId: number) =>
      recordAudit(tx, actor, { action: `selection.pick-${change}`, objectType: "selection_round", objectId: roundId, summary: { pickId, reason } });

    if (action === "remove") {
      if (!pick || pick.removedAt) throw new SelectionError({ trustCode: "That trust is not picked in this round" });
      tx.update(selectionPicks).set({ removedAt: now, removedBy: actor.userId, removedReason: reason }).where(eq(selectionPicks.id, pick.id)).run();
      // A trust no longer picked is no longer visited: its planned visit, if any, is cancelled (kept, marked).
      tx.update(visits)
        .set({ status: "cancelled", updatedAt: now, updatedBy: actor.userId, version: sql`${visits.version} + 1` })
        .where(and(eq(visits.roundId, roundId), eq(visits.trustCode, trustCode), inArray(visits.status, ["proposed", "scheduled"])))
        .run();
      audit("removed", pick.id);
      return;
    }

    if (pick && !pick.removedAt) throw new SelectionError({ trustCode: "That trust is already picked in this round" });
    const today = todayInLondon();
    const trust = tx.select({ closedOn: trusts.closedOn }).from(trusts).where(eq(trusts.odsCode, trustCode)).get();
    if (!trust) throw new SelectionError({ trustCode: "Select a trust from the register" });
    if (trust.closedOn && trust.closedOn <= today) throw new SelectionError({ trustCode: "Select a trust that is open" });
    if (pickedElsewhere(tx, roundId).has(trustCode)) {
      throw new SelectionError({ trustCode: "That trust is picked in another round that is not closed" });
    }
    if (pick) {
      // Restored: the drawn kind and position stay as they were (so verification still matches the draw);
      // a trust first added by hand takes the new reason.
      tx.update(selectionPicks)
        .set({ removedAt: null, removedBy: null, removedReason: null, addedBy: actor.userId, ...(pick.kind === "added" ? { reason } : {}) })
        .where(eq(selectionPicks.id, pick.id))
        .run();
      audit("restored", pick.id);
      return;
    }
    const added = tx
      .insert(selectionPicks)
      .values({ roundId, trustCode, kind: "added", drawOrder: null, reason, addedBy: actor.userId })
      .returning({ id: selectionPicks.id })
      .get();
    audit("added", added.id);
  }, db);
}

// ── Closing and verifying ──────────────────────────────────────────────────────────────────────────────────

/** Closes a drawn round. From now on its seed is shown, and the audit event records it. */
export function closeRound(roundId: string, actor: Actor, db: Db = getDb()): void {
  writeTransaction((tx) => {
    const round = requireRound(tx, roundId);
    if (round.status === "open") throw new SelectionError({ round: "Draw the round before closing it" });
    if (round.status === "closed") throw new SelectionError({ round: "This round is already closed" });
    const now = new Date().toISOString();
    tx.update(selectionRounds).set({ status: "closed", closedAt: now }).where(eq(selectionRounds.id, roundId)).run();
    recordAudit(tx, actor, {
      action: "selection.round-closed",
      objectType: "selection_round",
      objectId: roundId,
      summary: { commitment: round.commitment, seed: round.seed },
    });
  }, db);
}

export interface VerifiedPick {
  trustCode: string;
  /** The trust's name, as in the snapshot (or the register), for people reading a difference. */
  trustName: string;
  kind: DrawKind | PickKind;
}

export interface Difference {
  /** The position in the draw (1 = first), or null for a drawn pick stored without one. */
  position: number | null;
  expected: VerifiedPick | null;
  actual: VerifiedPick | null;
}

export interface Verification {
  ok: boolean;
  commitment: string;
  seed: string;
  commitmentMatches: boolean;
  /** Whether the stored snapshot is the one drawn: its SHA-256 against the one in the draw's audit event. */
  snapshotMatchesAudit: boolean;
  /** Why the snapshot could not be re-run, if it could not. */
  snapshotProblem: string | null;
  /** How many picks the draw makes when re-run. */
  expectedPicks: number;
  differences: Difference[];
  /** Overrides are decisions made after the draw, reported beside it, not as differences. */
  overrides: OverrideView[];
}

/**
 * Re-runs a closed round's draw from its stored snapshot and revealed seed and compares the result with the
 * stored picks of kinds mandatory, drawn and validation, position by position (removed picks count: removal is
 * an override). Also checks the seed against the commitment published when the round opened.
 */
export function verifyRound(roundId: string, db: Db = getDb()): Verification {
  const round = requireRound(db, roundId);
  if (round.status !== "closed") throw new SelectionError({ round: "Only a closed round can be verified: its seed is still secret" });
  let commitmentMatches = false;
  try {
    commitmentMatches = commitmentFor(round.seed) === round.commitment;
  } catch {
    commitmentMatches = false;
  }
  let expected: VerifiedPick[] = [];
  let snapshotProblem: string | null = null;
  const names = new Map<string, string>();
  const nameOf = (code: string) => names.get(code) ?? "";
  try {
    if (!round.snapshot) throw new Error("The round has no snapshot");
    const snapshot = parseSnapshot(round.snapshot);
    for (const c of snapshot.candidates) names.set(c.trustCode, c.name);
    expected = runDraw(snapshot, round.seed).map((p) => ({ trustCode: p.trustCode, trustName: nameOf(p.trustCode), kind: p.kind }));
  } catch (error) {
    snapshotProblem = error instanceof Error ? error.message : String(error);
  }
  const stored = db
    .select({ trustCode: selectionPicks.trustCode, trustName: trusts.name, kind: selectionPicks.kind, drawOrder: selectionPicks.drawOrder })
    .from(selectionPicks)
    .innerJoin(trusts, eq(trusts.odsCode, selectionPicks.trustCode))
    .where(and(eq(selectionPicks.roundId, roundId), inArray(selectionPicks.kind, [...DRAW_KINDS])))
    .orderBy(asc(selectionPicks.drawOrder), asc(selectionPicks.id))
    .all();
  const differences: Difference[] = [];
  const atPosition = new Map<number, VerifiedPick[]>();
  for (const s of stored) {
    const actual = { trustCode: s.trustCode, trustName: s.trustName, kind: s.kind };
    if (s.drawOrder === null) differences.push({ position: null, expected: null, actual });
    else atPosition.set(s.drawOrder, [...(atPosition.get(s.drawOrder) ?? []), actual]);
  }
  const positions = [...new Set([...expected.map((_, i) => i + 1), ...atPosition.keys()])].sort((a, b) => a - b);
  for (const position of positions) {
    const want = expected[position - 1] ?? null;
    const found = atPosition.get(position) ?? [];
    if (found.length === 0) {
      if (want) differences.push({ position, expected: want, actual: null });
      continue;
    }
    for (const actual of found) {
      if (!want || actual.trustCode !== want.trustCode || actual.kind !== want.kind || found.length > 1) {
        differences.push({ position, expected: want, actual });
      }
    }
  }
  differences.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  const picks = roundView(roundId, db)?.picks ?? [];
  const drawnEvent = db
    .select({ summary: auditEvents.summary })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "selection.drawn"), eq(auditEvents.objectType, "selection_round"), eq(auditEvents.objectId, roundId)))
    .get();
  const audited = drawnEvent ? (JSON.parse(drawnEvent.summary) as { snapshotSha256?: string }).snapshotSha256 : undefined;
  const snapshotMatchesAudit = !!round.snapshot && audited === sha256(round.snapshot);
  return {
    ok: commitmentMatches && snapshotMatchesAudit && snapshotProblem === null && differences.length === 0,
    commitment: round.commitment,
    seed: round.seed,
    commitmentMatches,
    snapshotMatchesAudit,
    snapshotProblem,
    expectedPicks: expected.length,
    differences,
    overrides: overrideHistory(roundId, picks, db),
  };
}

/** The stored snapshot of a closed round, as JSON (for anyone to re-run the draw), or null. */
export function closedRoundSnapshot(roundId: string, db: Db = getDb()): string | null {
  const round = db.select({ status: selectionRounds.status, snapshot: selectionRounds.snapshot }).from(selectionRounds).where(eq(selectionRounds.id, roundId)).get();
  return round?.status === "closed" ? round.snapshot : null;
}
