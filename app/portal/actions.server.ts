/**
 * A trust's actions: made from the gaps of a published report (createActionsFromFindings, called by publication
 * inside its transaction), listed for the trust in the portal and for CQC staff, updated by the trust with progress
 * notes (updateAction), and fed to the risk model as two computed indicators (recordActionIndicators).
 *
 * Who sees what. A trust user sees the actions of their own trust's published inspections: every query for the
 * portal takes the trust code from the signed-in user, never from the URL. Programme leads and admins read any
 * trust's actions; they do not update them (the action plan is the trust's own account of its progress). See
 * docs/decisions/0018-actions-and-risk.md.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  actions,
  actionUpdates,
  bankHolidays,
  findings,
  frameworkCriteria,
  indicatorImports,
  indicatorObservations,
  indicators,
  inspectionFrameworks,
  inspections,
  profileMinimums,
  users,
  visits,
} from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR, type Actor } from "../audit/audit.server";
import type { Role } from "../auth/roles";
import { gapStatus, ratingLabel, SEVERITIES, suggestedDueDate, type Severity } from "../baseline/rating";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { holidaySet, isCalendarDate, type CalendarDate } from "../scheduling/working-days";
import { BUILT_IN_INDICATORS } from "../risk/indicator-catalogue";
import { todayInLondon } from "../trusts/register.server";
import { ACTION_INDICATOR_CODES, GAP_SEVERITY_POINTS } from "./action-indicators";
import { checkActionUpdate, cleanNote, overdueStatus, type ActionStatus, type ActionUpdateErrors } from "./action-rules";

/** The inspection statuses whose findings are final: actions are made only from these. */
const FINAL_STATUSES = new Set(["approved", "factual_accuracy", "published"]);

/** Something about actions that cannot be done, in plain English (a programming error when publication sees it). */
export class ActionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionsError";
  }
}

/** No such action, or one the user may not see or change: the page answers 404 either way. */
export class ActionNotFound extends Error {
  constructor() {
    super("No such action");
    this.name = "ActionNotFound";
  }
}

const holidaysIn = (db: Db | Tx) => holidaySet(db.select({ date: bankHolidays.date }).from(bankHolidays).all());

const londonDate = (iso: string) => todayInLondon(new Date(iso));

// ── Making actions at publication ──────────────────────────────────────────────────────────────────────────

/**
 * Makes one action for each finding of the inspection that is a gap against its profile's minimum and has a
 * severity: the finding's recommendation (or, when it has none, "Bring <criterion> up to the profile's minimum"),
 * the criterion's code and title as they are now, the severity, and the due date the team gave the finding, or else
 * the date suggested for the severity from the visit date (working days; the visit's date, else the day the team
 * arrived, else today). Status open.
 *
 * Runs inside the caller's write transaction (publication's), so the actions appear with the published report or
 * not at all. Idempotent: a finding that already has an action gets no second one (and its action is not changed),
 * so calling it again creates nothing. Returns how many actions it created; audits `actions.created` (counts only)
 * when that is more than none. Throws ActionsError for an inspection that does not exist or is not approved yet.
 */
export function createActionsFromFindings(tx: Tx, inspectionId: string, now: Date, actor: Actor = SYSTEM_ACTOR): number {
  const inspection = tx
    .select({ id: inspections.id, trustCode: inspections.trustCode, status: inspections.status, visitId: inspections.visitId, arrivedAt: inspections.arrivedAt })
    .from(inspections)
    .where(eq(inspections.id, inspectionId))
    .get();
  if (!inspection) throw new ActionsError(`There is no inspection ${inspectionId}`);
  if (!FINAL_STATUSES.has(inspection.status)) throw new ActionsError(`Actions are made only from approved findings: the inspection is ${inspection.status.replaceAll("_", " ")}`);

  const visitDate =
    (inspection.visitId ? tx.select({ date: visits.visitDate }).from(visits).where(eq(visits.id, inspection.visitId)).get()?.date : undefined) ??
    (inspection.arrivedAt ? londonDate(inspection.arrivedAt) : todayInLondon(now));
  const holidays = holidaysIn(tx);

  const rows = tx
    .select({
      findingId: findings.id,
      rating: findings.rating,
      severity: findings.severity,
      recommendation: findings.recommendation,
      actionDue: findings.actionDue,
      code: frameworkCriteria.code,
      title: frameworkCriteria.title,
      scale: frameworkCriteria.scale,
      minimum: profileMinimums.minimum,
    })
    .from(findings)
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .innerJoin(
      inspectionFrameworks,
      and(eq(inspectionFrameworks.inspectionId, findings.inspectionId), eq(inspectionFrameworks.frameworkVersionId, frameworkCriteria.frameworkVersionId)),
    )
    .leftJoin(profileMinimums, and(eq(profileMinimums.profileId, inspectionFrameworks.profileId), eq(profileMinimums.criterionId, findings.criterionId)))
    .where(eq(findings.inspectionId, inspectionId))
    .orderBy(asc(frameworkCriteria.frameworkVersionId), asc(frameworkCriteria.position), asc(frameworkCriteria.id))
    .all();

  const createdAt = now.toISOString();
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let created = 0;
  for (const row of rows) {
    if (gapStatus(row.rating, row.minimum ?? null) !== "gap" || row.severity === null || !row.minimum) continue;
    const recommendation = cleanNote(row.recommendation);
    const text = recommendation !== "" ? recommendation : `Bring ${row.code} ${row.title} up to the profile's minimum (${ratingLabel(row.minimum, row.scale)})`;
    const dueOn = row.actionDue && isCalendarDate(row.actionDue) ? row.actionDue : suggestedDueDate(row.severity, visitDate, holidays);
    const result = tx
      .insert(actions)
      .values({
        id: randomUUID(),
        inspectionId,
        findingId: row.findingId,
        trustCode: inspection.trustCode,
        text,
        criterionCode: row.code,
        criterionTitle: row.title,
        severity: row.severity,
        dueOn,
        status: "open",
        version: 1,
        createdAt,
      })
      .onConflictDoNothing({ target: actions.findingId })
      .run();
    if (result.changes > 0) {
      created += 1;
      bySeverity[row.severity] += 1;
    }
  }
  if (created > 0) {
    recordAudit(tx, actor, { action: "actions.created", objectType: "inspection", objectId: inspectionId, summary: { trustCode: inspection.trustCode, created, bySeverity } }, now);
  }
  return created;
}

// ── Reading actions ────────────────────────────────────────────────────────────────────────────────────────

/** An action as the lists and the CSV file show it. */
export interface ActionListItem {
  id: string;
  inspectionId: string;
  /** The date of the visit the action comes from. */
  visitDate: CalendarDate | null;
  trustCode: string;
  text: string;
  criterionCode: string;
  criterionTitle: string;
  severity: Severity;
  dueOn: CalendarDate;
  status: ActionStatus;
  version: number;
  overdue: boolean;
  overdueWorkingDays: number;
  /** The day (in England) of the latest update, or null when never updated. */
  lastUpdateOn: CalendarDate | null;
  /** The latest progress note that says something ("" when none). */
  lastNote: string;
}

const SEVERITY_ORDER = new Map(SEVERITIES.map((s, i) => [s, i]));

/**
 * Actions of published inspections matching `where`, with whether each is overdue today: not done first, then by
 * due date, severity (critical first) and criterion code.
 */
function listActions(db: Db, where: ReturnType<typeof eq>, now: Date): ActionListItem[] {
  const today = todayInLondon(now);
  const holidays = holidaysIn(db);
  const rows = db
    .select({
      id: actions.id,
      inspectionId: actions.inspectionId,
      visitDate: visits.visitDate,
      trustCode: actions.trustCode,
      text: actions.text,
      criterionCode: actions.criterionCode,
      criterionTitle: actions.criterionTitle,
      severity: actions.severity,
      dueOn: actions.dueOn,
      status: actions.status,
      version: actions.version,
      updatedAt: actions.updatedAt,
    })
    .from(actions)
    .innerJoin(inspections, eq(inspections.id, actions.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(and(where, eq(inspections.status, "published")))
    .all();
  const notes = new Map<string, string>();
  if (rows.length > 0) {
    const updates = db
      .select({ actionId: actionUpdates.actionId, note: actionUpdates.note })
      .from(actionUpdates)
      .where(
        and(
          inArray(
            actionUpdates.actionId,
            rows.map((r) => r.id),
          ),
          sql`${actionUpdates.note} <> ''`,
        ),
      )
      .orderBy(asc(actionUpdates.createdAt), asc(sql`rowid`))
      .all();
    for (const u of updates) notes.set(u.actionId, u.note);
  }
  return rows
    .map((r) => {
      const { overdue, workingDays } = overdueStatus(r, today, holidays);
      return {
        id: r.id,
        inspectionId: r.inspectionId,
        visitDate: r.visitDate ?? null,
        trustCode: r.trustCode,
        text: r.text,
        criterionCode: r.criterionCode,
        criterionTitle: r.criterionTitle,
        severity: r.severity,
        dueOn: r.dueOn,
        status: r.status,
        version: r.version,
        overdue,
        overdueWorkingDays: workingDays,
        lastUpdateOn: r.updatedAt ? londonDate(r.updatedAt) : null,
        lastNote: notes.get(r.id) ?? "",
      };
    })
    .sort(
      (a, b) =>
        Number(a.status === "done") - Number(b.status === "done") ||
        (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0) ||
        SEVERITY_ORDER.get(a.severity)! - SEVERITY_ORDER.get(b.severity)! ||
        a.criterionCode.localeCompare(b.criterionCode, "en", { numeric: true }),
    );
}

/** The signed-in trust user's own trust's actions (the trust comes from the session, never from the URL). */
export function portalActions(user: { trustCode: string }, now: Date = new Date(), db: Db = getDb()): ActionListItem[] {
  return listActions(db, eq(actions.trustCode, user.trustCode), now);
}

/** A trust's actions, for CQC staff (programme leads and admins: the route checks the role). */
export function trustActions(trustCode: string, now: Date = new Date(), db: Db = getDb()): ActionListItem[] {
  return listActions(db, eq(actions.trustCode, trustCode), now);
}

/** One inspection's actions, for CQC staff. */
export function inspectionActions(inspectionId: string, now: Date = new Date(), db: Db = getDb()): ActionListItem[] {
  return listActions(db, eq(actions.inspectionId, inspectionId), now);
}

/** The trust an action belongs to, if it exists and its inspection is published (for the route's access check). */
export function actionTrust(actionId: string, db: Db = getDb()): string | null {
  if (!/^[0-9a-f-]{36}$/.test(actionId)) return null;
  const row = db
    .select({ trustCode: actions.trustCode })
    .from(actions)
    .innerJoin(inspections, eq(inspections.id, actions.inspectionId))
    .where(and(eq(actions.id, actionId), eq(inspections.status, "published")))
    .get();
  return row?.trustCode ?? null;
}

export interface ActionUpdateView {
  id: string;
  status: ActionStatus;
  note: string;
  progressOn: CalendarDate | null;
  byName: string;
  createdAt: string;
}

export interface ActionDetail extends ActionListItem {
  createdAt: string;
  updatedAt: string | null;
  updatedByName: string | null;
  /** Every update, newest first. */
  history: ActionUpdateView[];
}

/**
 * One action with its history, for a trust user of its trust (null for any other action, or one that does not
 * exist: the page answers 404 to both alike).
 */
export function portalAction(user: { trustCode: string }, actionId: string, now: Date = new Date(), db: Db = getDb()): ActionDetail | null {
  return actionTrust(actionId, db) === user.trustCode ? actionDetail(actionId, now, db) : null;
}

/** One action of a published inspection with its history (staff pages, after their own access check), or null. */
export function actionDetail(actionId: string, now: Date = new Date(), db: Db = getDb()): ActionDetail | null {
  const trustCode = actionTrust(actionId, db);
  if (!trustCode) return null;
  const item = listActions(db, eq(actions.id, actionId), now)[0];
  const row = db
    .select({ createdAt: actions.createdAt, updatedAt: actions.updatedAt, updatedByName: users.name })
    .from(actions)
    .leftJoin(users, eq(users.id, actions.updatedBy))
    .where(eq(actions.id, actionId))
    .get();
  if (!item || !row) return null;
  const history = actionHistories([actionId], db).get(actionId) ?? [];
  return { ...item, createdAt: row.createdAt, updatedAt: row.updatedAt, updatedByName: row.updatedByName ?? null, history };
}

/** The updates of each action, newest first, by action id. */
function actionHistories(actionIds: readonly string[], db: Db): Map<string, ActionUpdateView[]> {
  const byAction = new Map<string, ActionUpdateView[]>();
  if (actionIds.length === 0) return byAction;
  const rows = db
    .select({
      actionId: actionUpdates.actionId,
      id: actionUpdates.id,
      status: actionUpdates.status,
      note: actionUpdates.note,
      progressOn: actionUpdates.progressOn,
      byName: users.name,
      createdAt: actionUpdates.createdAt,
    })
    .from(actionUpdates)
    .innerJoin(users, eq(users.id, actionUpdates.createdBy))
    .where(inArray(actionUpdates.actionId, [...actionIds]))
    .orderBy(desc(actionUpdates.createdAt), desc(sql`${actionUpdates}.rowid`))
    .all();
  for (const { actionId, ...update } of rows) {
    const list = byAction.get(actionId);
    if (list) list.push(update);
    else byAction.set(actionId, [update]);
  }
  return byAction;
}

/** A trust's actions with every update of each (the staff view), grouped by inspection, newest visit first. */
export function trustActionsByInspection(trustCode: string, now: Date = new Date(), db: Db = getDb()): { inspectionId: string; visitDate: CalendarDate | null; actions: (ActionListItem & { history: ActionUpdateView[] })[] }[] {
  const items = trustActions(trustCode, now, db);
  const histories = actionHistories(
    items.map((a) => a.id),
    db,
  );
  const groups = new Map<string, { inspectionId: string; visitDate: CalendarDate | null; actions: (ActionListItem & { history: ActionUpdateView[] })[] }>();
  for (const a of items) {
    let group = groups.get(a.inspectionId);
    if (!group) groups.set(a.inspectionId, (group = { inspectionId: a.inspectionId, visitDate: a.visitDate, actions: [] }));
    group.actions.push({ ...a, history: histories.get(a.id) ?? [] });
  }
  return [...groups.values()].sort((a, b) => (b.visitDate ?? "").localeCompare(a.visitDate ?? ""));
}

/**
 * Audits a read of a trust's actions that takes them away or shows them to CQC: the CSV download
 * (`action-plan.downloaded`) and a staff view (`actions.viewed`). The trust's code and how many actions, nothing else.
 */
export function recordActionsRead(action: "action-plan.downloaded" | "actions.viewed", trustCode: string, count: number, actor: Actor, now: Date = new Date(), db: Db = getDb()): void {
  writeTransaction((tx) => recordAudit(tx, actor, { action, objectType: "trust", objectId: trustCode, summary: { actions: count } }, now), db);
}

// ── Updating an action ─────────────────────────────────────────────────────────────────────────────────────

/** Who is updating: the signed-in user, and how the audit trail names them. */
export interface ActionEditor {
  id: string;
  role: Role;
  trustCode: string | null;
  /** The audit trail's label (the email address). */
  label: string;
  clientAddress: string | null;
}

export interface ActionUpdateInput {
  status: string;
  note: string;
  /** yyyy-mm-dd, "" for none, or whatever the date boxes made (refused). */
  progressOn: string;
  /** The action's version the form was made from; NaN or anything else stale is refused. */
  baseVersion: number;
}

export type ActionUpdateOutcome =
  | { outcome: "saved"; version: number; status: ActionStatus }
  /** The form is not valid: nothing was stored. */
  | { outcome: "invalid"; errors: ActionUpdateErrors }
  /** Someone updated the action after the form was made: nothing was stored; `current` is the action as it now is. */
  | { outcome: "conflict"; current: { status: ActionStatus; version: number; updatedAt: string | null; updatedByName: string | null } };

/**
 * Records an update of an action by a trust user of its trust: checks the version the form was made from (a stale
 * form is refused and nothing is overwritten), checks the update (app/portal/action-rules.ts), then in one write
 * transaction appends the update to the action's history, moves the action to its new status with the next version,
 * audits `action.updated` (ids, statuses and counts, never the note) and records the trust's action indicators
 * for the risk model. Throws ActionNotFound for an action that does not exist, is not published, is another
 * trust's, or for anyone who is not a trust user (CQC staff read actions; they do not update them).
 */
export function updateAction(actionId: string, input: ActionUpdateInput, editor: ActionEditor, db: Db = getDb(), now: Date = new Date()): ActionUpdateOutcome {
  if (editor.role !== "trust_user" || !editor.trustCode) throw new ActionNotFound();
  const trustCode = editor.trustCode;
  return writeTransaction((tx) => {
    const row = tx
      .select({
        id: actions.id,
        trustCode: actions.trustCode,
        inspectionId: actions.inspectionId,
        status: actions.status,
        version: actions.version,
        updatedAt: actions.updatedAt,
        updatedByName: users.name,
        inspectionStatus: inspections.status,
        visitDate: visits.visitDate,
      })
      .from(actions)
      .innerJoin(inspections, eq(inspections.id, actions.inspectionId))
      .leftJoin(visits, eq(visits.id, inspections.visitId))
      .leftJoin(users, eq(users.id, actions.updatedBy))
      .where(eq(actions.id, actionId))
      .get();
    if (!row || row.trustCode !== trustCode || row.inspectionStatus !== "published") throw new ActionNotFound();
    if (!Number.isSafeInteger(input.baseVersion) || input.baseVersion !== row.version) {
      return { outcome: "conflict", current: { status: row.status, version: row.version, updatedAt: row.updatedAt, updatedByName: row.updatedByName ?? null } };
    }
    const checked = checkActionUpdate(input, { current: row.status, today: todayInLondon(now), earliest: row.visitDate ?? null });
    if (!checked.ok) return { outcome: "invalid", errors: checked.errors };
    const { status, note, progressOn } = checked.values;
    const at = now.toISOString();
    const version = row.version + 1;
    tx.insert(actionUpdates).values({ id: randomUUID(), actionId, status, note, progressOn, createdBy: editor.id, createdAt: at }).run();
    const moved = tx
      .update(actions)
      .set({ status, version, updatedAt: at, updatedBy: editor.id })
      .where(and(eq(actions.id, actionId), eq(actions.version, row.version)))
      .run();
    if (moved.changes !== 1) throw new Error(`Action ${actionId} changed inside its own transaction`);
    const actor: Actor = { userId: editor.id, label: editor.label, clientAddress: editor.clientAddress };
    recordAudit(
      tx,
      actor,
      {
        action: "action.updated",
        objectType: "action",
        objectId: actionId,
        summary: { inspectionId: row.inspectionId, trustCode, from: row.status, to: status, version, noteCharacters: note.length, progressOn },
      },
      now,
    );
    recordActionIndicatorsIn(tx, now, { trustCodes: [trustCode], actor });
    return { outcome: "saved", version, status };
  }, db);
}

// ── The risk indicators ────────────────────────────────────────────────────────────────────────────────────

/** The values recorded for one trust. */
export interface TrustActionIndicators {
  trustCode: string;
  /** Actions not done that are overdue today (working days; see action-rules.ts). */
  overdueActions: number;
  /** Actions not done, weighted by severity (GAP_SEVERITY_POINTS). */
  openGapPoints: number;
}

export interface ActionIndicatorsResult {
  /** Today in England: the date of every observation recorded. */
  observedOn: CalendarDate;
  /** Every trust with actions of a published inspection (or those asked for), with its values. */
  trusts: TrustActionIndicators[];
  /** Observations added (a value already recorded for today is not recorded again). */
  inserted: number;
}

/** The indicator values of every trust with published actions (or of `trustCodes`), as of `now`. Reads only. */
export function computeActionIndicators(db: Db | Tx, now: Date, trustCodes?: readonly string[]): TrustActionIndicators[] {
  const today = todayInLondon(now);
  const holidays = holidaysIn(db);
  const conditions = [eq(inspections.status, "published")];
  if (trustCodes) conditions.push(inArray(actions.trustCode, [...trustCodes]));
  const rows = db
    .select({ trustCode: actions.trustCode, status: actions.status, dueOn: actions.dueOn, severity: actions.severity })
    .from(actions)
    .innerJoin(inspections, eq(inspections.id, actions.inspectionId))
    .where(and(...conditions))
    .all();
  const byTrust = new Map<string, TrustActionIndicators>();
  for (const r of rows) {
    let t = byTrust.get(r.trustCode);
    if (!t) byTrust.set(r.trustCode, (t = { trustCode: r.trustCode, overdueActions: 0, openGapPoints: 0 }));
    if (r.status === "done") continue;
    t.openGapPoints += GAP_SEVERITY_POINTS[r.severity];
    if (overdueStatus(r, today, holidays).overdue) t.overdueActions += 1;
  }
  return [...byTrust.values()].sort((a, b) => (a.trustCode < b.trustCode ? -1 : 1));
}

const SOURCE = "Deep Dive actions";

/**
 * Records the action indicators inside the caller's write transaction: for every trust with actions of a published
 * inspection (or only `trustCodes`), an observation of `overdue_actions` and of `open_gaps_weighted` dated today
 * (in England), unless today's latest observation already has that value. Observations are never changed: a
 * changed value is a new observation, and of two on the same day the later one counts (as for imports). They hang
 * off one "import" per day (indicator_imports id `deep-dive-actions-<date>`, named "Deep Dive actions (computed)").
 * Audits `indicators.computed` (counts only) when anything was recorded.
 */
export function recordActionIndicatorsIn(tx: Tx, now: Date, options: { trustCodes?: readonly string[]; actor?: Actor } = {}): ActionIndicatorsResult {
  const observedOn = todayInLondon(now);
  const values = computeActionIndicators(tx, now, options.trustCodes);
  const importId = `deep-dive-actions-${observedOn}`;
  const latestSoFar = (trustCode: string, indicatorCode: string) =>
    tx
      .select({ value: indicatorObservations.value, observedOn: indicatorObservations.observedOn })
      .from(indicatorObservations)
      .where(and(eq(indicatorObservations.trustCode, trustCode), eq(indicatorObservations.indicatorCode, indicatorCode), sql`${indicatorObservations.observedOn} <= ${observedOn}`))
      .orderBy(desc(indicatorObservations.observedOn), desc(indicatorObservations.id))
      .limit(1)
      .get();

  const pending: { trustCode: string; indicatorCode: string; value: number }[] = [];
  for (const t of values) {
    for (const [indicatorCode, value] of [
      [ACTION_INDICATOR_CODES.overdue, t.overdueActions],
      [ACTION_INDICATOR_CODES.openGaps, t.openGapPoints],
    ] as const) {
      const last = latestSoFar(t.trustCode, indicatorCode);
      if (last && last.observedOn === observedOn && last.value === String(value)) continue;
      pending.push({ trustCode: t.trustCode, indicatorCode, value });
    }
  }
  if (pending.length === 0) return { observedOn, trusts: values, inserted: 0 };

  // The indicators are built in (inserted at every start-up); on a database not restarted since this release, insert them.
  for (const definition of BUILT_IN_INDICATORS.filter((d) => (Object.values(ACTION_INDICATOR_CODES) as string[]).includes(d.code))) {
    tx.insert(indicators)
      .values({ code: definition.code, label: definition.label, description: definition.description, valueType: definition.valueType, minValue: definition.minValue ?? null, maxValue: definition.maxValue ?? null, unit: definition.unit ?? null, higherIsWorse: definition.higherIsWorse, origin: definition.origin, isBuiltIn: true })
      .onConflictDoNothing()
      .run();
  }

  tx.insert(indicatorImports)
    .values({ id: importId, fileName: "Deep Dive actions (computed)", sha256: "", format: "long", rowCount: 0, insertedCount: 0, importedBy: SYSTEM_ACTOR.label, importedAt: now.toISOString() })
    .onConflictDoNothing()
    .run();
  let inserted = 0;
  for (const p of pending) {
    // The identity (trust, indicator, date, source, value) is unique: a value that comes back the same day (3, 2, 3)
    // is recorded under a numbered source, so that it is the latest again.
    for (let n = 1; ; n++) {
      const result = tx
        .insert(indicatorObservations)
        .values({ trustCode: p.trustCode, indicatorCode: p.indicatorCode, value: String(p.value), numericValue: p.value, observedOn, period: null, source: n === 1 ? SOURCE : `${SOURCE} (${n})`, importId, isDemo: false })
        .onConflictDoNothing()
        .run();
      if (result.changes > 0) break;
    }
    inserted += 1;
  }
  tx.update(indicatorImports)
    .set({ rowCount: sql`${indicatorImports.rowCount} + ${pending.length}`, insertedCount: sql`${indicatorImports.insertedCount} + ${inserted}` })
    .where(eq(indicatorImports.id, importId))
    .run();
  recordAudit(
    tx,
    options.actor ?? SYSTEM_ACTOR,
    {
      action: "indicators.computed",
      objectType: "indicator_import",
      objectId: importId,
      summary: { from: "actions", observedOn, trusts: new Set(pending.map((p) => p.trustCode)).size, inserted, indicators: [...new Set(pending.map((p) => p.indicatorCode))] },
    },
    now,
  );
  return { observedOn, trusts: values, inserted };
}

/**
 * Records the action indicators of every trust with published actions, in a write transaction of its own (see
 * recordActionIndicatorsIn). Called at start-up, and by publication after its transaction (or use
 * recordActionIndicatorsIn inside it).
 */
export function recordActionIndicators(db: Db = getDb(), now: Date = new Date(), actor: Actor = SYSTEM_ACTOR): ActionIndicatorsResult {
  return writeTransaction((tx) => recordActionIndicatorsIn(tx, now, { actor }), db);
}
