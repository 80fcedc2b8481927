/**
 * Factual accuracy and publication (issue 6): approved → factual accuracy check (the trust's users see the draft
 * report and comment for ACCURACY_WINDOW_WORKING_DAYS working days; a reviewer not on the visit accepts, editing the
 * finding, or rejects each comment, always with a reason) → published (report version 1: the PDF rendered once,
 * stored with its SHA-256, and the actions made from the gaps) → corrections (version 2, 3…, each with a note of what
 * changed; earlier versions kept, superseded).
 *
 * Every write is one synchronous BEGIN IMMEDIATE transaction (writeTransaction) that reads the inspection, checks who
 * and when, writes, bumps the inspection's version and records the audit event, as in app/inspections/review.server.ts.
 * Rendering a PDF is asynchronous (it runs in a worker), so publishing renders first, outside any transaction, and
 * then stores the bytes in one transaction that first checks the inspection has not changed since the render began
 * (its version: every comment, decision and finding edit bumps it). Audit summaries carry ids, counts and hashes,
 * never a comment's text or a trust.
 *
 * The rules themselves (the window, who may act, when a report may be published) are in publication-rules.ts.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, asc, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import {
  accuracyComments,
  conflictsOfInterest,
  findingRevisions,
  findings,
  frameworkCriteria,
  inspections,
  reportVersions,
  users,
  visits,
  visitTeamMembers,
  ACCURACY_CATEGORIES as SCHEMA_CATEGORIES,
  REPORT_PARTS as SCHEMA_PARTS,
} from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { TEXT_LIMITS } from "../inspections/finding-rules";
import { InspectionError, InspectionNotFound } from "../inspections/inspections.server";
import { createActionsFromFindings, recordActionIndicatorsIn } from "../portal/actions.server";
import { loadHolidaySet } from "../scheduling/bank-holidays.server";
import { todayInLondon } from "../trusts/register.server";
import { formatCalendarDate } from "../ui/dates";
import {
  ACCURACY_COMMENTS_PER_INSPECTION_MAX,
  ACCURACY_DECISIONS,
  accuracyCloseDate,
  checkCommentInput,
  cleanText,
  CORRECTABLE_FIELD_LABELS,
  CORRECTABLE_FIELDS,
  CORRECTION_NOTE_MAX,
  DECISION_REASON_MAX,
  isWindowOpen,
  publicationStaffRefusal,
  publishRefusal,
  requiredText,
  withSuperseded,
  type AccuracyCategory,
  type AccuracyDecision,
  type CommentField,
  type CommentInput,
  type CorrectableField,
  type ReportPart,
} from "./publication-rules";
import { renderReportPdf } from "./render.server";

// The rules' lists are the schema's: a change to one without the other fails the typecheck.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const LISTS_MATCH_SCHEMA: [Same<AccuracyCategory, (typeof SCHEMA_CATEGORIES)[number]>, Same<ReportPart, (typeof SCHEMA_PARTS)[number]>] = [true, true];

type InspectionRow = typeof inspections.$inferSelect;
type FindingRow = typeof findings.$inferSelect;

/** What was sent cannot be stored as it is (by field); nothing was stored. */
export class AccuracyInputError extends InspectionError {
  constructor(readonly fieldErrors: Partial<Record<string, string>>) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** A finding edit was based on a version someone else has changed since; nothing was stored. */
export class FindingEditConflict extends InspectionError {
  constructor(
    readonly findingId: string,
    readonly baseVersion: number,
    readonly currentVersion: number,
  ) {
    super("The finding has been changed by someone else since you opened this page: read it again, then make your change");
  }
}

/** The inspection changed between rendering the report and storing it: nothing was published. */
export class PublicationChanged extends InspectionError {
  constructor() {
    super("The inspection changed while the report was being made (a comment or a decision came in): nothing was published. Check it and publish again");
  }
}

// ── Shared steps ───────────────────────────────────────────────────────────────────────────────────────────

function loadInspection(tx: Tx | Db, inspectionId: string): InspectionRow {
  const inspection = tx.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection) throw new InspectionNotFound(inspectionId);
  return inspection;
}

function teamIdsOf(tx: Tx | Db, inspection: Pick<InspectionRow, "visitId">): string[] {
  if (!inspection.visitId) return [];
  return tx
    .select({ id: visitTeamMembers.inspectorId })
    .from(visitTeamMembers)
    .where(eq(visitTeamMembers.visitId, inspection.visitId))
    .all()
    .map((m) => m.id);
}

function hasConflict(tx: Tx | Db, userId: string, trustCode: string, today: string): boolean {
  return !!tx
    .select({ id: conflictsOfInterest.id })
    .from(conflictsOfInterest)
    .where(
      and(
        eq(conflictsOfInterest.inspectorId, userId),
        eq(conflictsOfInterest.trustCode, trustCode),
        isNull(conflictsOfInterest.withdrawnAt),
        gte(conflictsOfInterest.until, today),
      ),
    )
    .get();
}

/** Why `userId` may not act on the inspection's report (see publicationStaffRefusal), or null. */
function staffRefusal(tx: Tx | Db, inspection: InspectionRow, userId: string | null, what: string, now: Date): string | null {
  const user = userId ? tx.select({ id: users.id, role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).get() : undefined;
  if (!user) return `Only the inspection's reviewer, or a programme lead who was not on the visit, ${what}`;
  return publicationStaffRefusal(
    { id: user.id, role: user.role, disabled: user.disabledAt !== null },
    { reviewerId: inspection.reviewerId, teamIds: teamIdsOf(tx, inspection), conflicted: hasConflict(tx, user.id, inspection.trustCode, todayInLondon(now)) },
    what,
  );
}

function requireStaff(tx: Tx | Db, inspection: InspectionRow, actor: Actor, what: string, now: Date) {
  const refusal = staffRefusal(tx, inspection, actor.userId, what, now);
  if (refusal) throw new InspectionError(refusal);
}

function transition(tx: Tx, inspection: InspectionRow, set: Partial<InspectionRow>): number {
  const version = inspection.version + 1;
  const changed = tx
    .update(inspections)
    .set({ ...set, version })
    .where(and(eq(inspections.id, inspection.id), eq(inspections.version, inspection.version)))
    .run();
  if (changed.changes !== 1) throw new InspectionError("The inspection changed while this was being done: try again");
  return version;
}

function undecidedCount(tx: Tx | Db, inspectionId: string): number {
  return tx
    .select({ n: sql<number>`count(*)` })
    .from(accuracyComments)
    .where(and(eq(accuracyComments.inspectionId, inspectionId), isNull(accuracyComments.decision)))
    .get()!.n;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// ── Correcting a finding's text ────────────────────────────────────────────────────────────────────────────

/** An edit of a finding's text fields, based on the version of the finding the editor was shown. */
export interface FindingTextEdit {
  findingId: string;
  baseVersion: number;
  fields: Partial<Record<CorrectableField, string>>;
}

const FIELD_MAX: Record<CorrectableField, number> = {
  observed: TEXT_LIMITS.observed,
  evidenceDocuments: TEXT_LIMITS.evidence,
  evidencePeople: TEXT_LIMITS.evidence,
  evidenceSystems: TEXT_LIMITS.evidence,
  recommendation: TEXT_LIMITS.recommendation,
};

/** The edit's fields cleaned as saveFinding cleans them; errors keyed `<findingId>.<field>`. */
function cleanEdit(edit: FindingTextEdit): Partial<Record<CorrectableField, string>> {
  const errors: Record<string, string> = {};
  const cleaned: Partial<Record<CorrectableField, string>> = {};
  for (const field of CORRECTABLE_FIELDS) {
    const value = edit.fields[field];
    if (value === undefined) continue;
    const text = cleanText(typeof value === "string" ? value : "");
    if (text.length > FIELD_MAX[field]) errors[`${edit.findingId}.${field}`] = `${CORRECTABLE_FIELD_LABELS[field]} must be ${FIELD_MAX[field].toLocaleString("en-GB")} characters or fewer`;
    cleaned[field] = text;
  }
  if (Object.keys(errors).length > 0) throw new AccuracyInputError(errors);
  return cleaned;
}

/** The text fields of a finding as they were at `version` (its revision), or undefined when there is no such revision. */
function textAt(tx: Tx, findingId: string, version: number): Record<CorrectableField, string> | undefined {
  if (version === 0) return Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, ""])) as Record<CorrectableField, string>;
  const revision = tx
    .select({ content: findingRevisions.content })
    .from(findingRevisions)
    .where(and(eq(findingRevisions.findingId, findingId), eq(findingRevisions.version, version)))
    .get();
  if (!revision) return undefined;
  const content = JSON.parse(revision.content) as Partial<Record<CorrectableField, string>>;
  return Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, content[f] ?? ""])) as Record<CorrectableField, string>;
}

/**
 * A reviewer's correction of a finding's text after approval (an accepted factual accuracy comment, or a correction
 * after publication), inside the caller's transaction: a new version of the finding and a new revision saved by the
 * reviewer, audited. Not saveFinding: the team's recording rules (statuses, team membership, idempotency keys) do not
 * apply, and only the text fields change, never the rating, severity or due date.
 *
 * The version check is kept: when the finding has changed since `baseVersion` and this edit changes anything the
 * editor was shown, FindingEditConflict (nothing stored). Fields the editor left as they were shown are not an edit:
 * returns null when nothing would change.
 */
function reviseFindingText(
  tx: Tx,
  inspection: InspectionRow,
  edit: FindingTextEdit,
  via: { kind: "accuracy_comment"; commentId: string } | { kind: "correction" },
  actor: Actor,
  now: Date,
): { findingId: string; version: number; fields: CorrectableField[] } | null {
  if (inspection.status !== "factual_accuracy" && inspection.status !== "published") throw new InspectionError("Findings are corrected this way only after approval");
  const row = tx.select().from(findings).where(eq(findings.id, edit.findingId)).get();
  if (!row || row.inspectionId !== inspection.id) throw new AccuracyInputError({ findingId: "Choose a finding of this inspection" });
  if (!Number.isSafeInteger(edit.baseVersion) || edit.baseVersion < 0) throw new AccuracyInputError({ [`${edit.findingId}.baseVersion`]: "The page was not complete: reload it and try again" });
  const cleaned = cleanEdit(edit);
  const current = Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, row[f]])) as Record<CorrectableField, string>;
  if (row.version !== edit.baseVersion) {
    // Someone saved since the editor's page was made: an edit of anything they were shown would overwrite it unseen.
    const base = edit.baseVersion < row.version ? textAt(tx, row.id, edit.baseVersion) : undefined;
    const edited = base ? CORRECTABLE_FIELDS.filter((f) => cleaned[f] !== undefined && cleaned[f] !== base[f]) : CORRECTABLE_FIELDS.filter((f) => cleaned[f] !== undefined);
    if (edited.length === 0) return null;
    throw new FindingEditConflict(row.id, edit.baseVersion, row.version);
  }
  const next = { ...current, ...cleaned };
  const changed = CORRECTABLE_FIELDS.filter((f) => next[f] !== current[f]);
  if (changed.length === 0) return null;
  const at = now.toISOString();
  const version = row.version + 1;
  // The revision holds every field, as saveFinding's do, so any revision alone says what the finding was.
  const content = {
    rating: row.rating,
    derivedRating: row.derivedRating,
    overrideReason: row.overrideReason,
    indicatorAnswers: row.indicatorAnswers,
    observed: next.observed,
    evidenceDocuments: next.evidenceDocuments,
    evidencePeople: next.evidencePeople,
    evidenceSystems: next.evidenceSystems,
    devicesSampled: row.devicesSampled,
    devicesFailing: row.devicesFailing,
    severity: row.severity,
    recommendation: next.recommendation,
    actionDue: row.actionDue,
  } satisfies Omit<FindingRow, "id" | "inspectionId" | "criterionId" | "version" | "updatedAt" | "updatedBy">;
  const updated = tx
    .update(findings)
    .set({ ...next, version, updatedAt: at, updatedBy: actor.userId })
    .where(and(eq(findings.id, row.id), eq(findings.version, row.version)))
    .run();
  if (updated.changes !== 1) throw new FindingEditConflict(row.id, edit.baseVersion, row.version + 1);
  tx.insert(findingRevisions).values({ findingId: row.id, version, content: JSON.stringify(content), savedBy: actor.userId!, savedAt: at }).run();
  recordAudit(
    tx,
    actor,
    {
      action: "finding.revised",
      objectType: "inspection",
      objectId: inspection.id,
      summary: { findingId: row.id, version, fields: changed, via: via.kind, ...(via.kind === "accuracy_comment" ? { commentId: via.commentId } : {}) },
    },
    now,
  );
  return { findingId: row.id, version, fields: changed };
}

// ── Opening the check ──────────────────────────────────────────────────────────────────────────────────────

/** The close date a check opened at `now` would have (Europe/London, bank holidays excluded). */
export function accuracyCloseDateFrom(now: Date, db: Db = getDb()): string {
  return accuracyCloseDate(todayInLondon(now), loadHolidaySet(db));
}

/**
 * The inspection's reviewer or a programme lead (not on the team) opens the trust's factual accuracy check after
 * approval: approved → factual accuracy, closing ACCURACY_WINDOW_WORKING_DAYS working days after today. Returns the
 * close date.
 */
export function openAccuracyCheck(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): string {
  const closesOn = accuracyCloseDateFrom(now, db);
  return writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireStaff(tx, inspection, actor, "starts the factual accuracy check", now);
    if (inspection.status !== "approved") {
      throw new InspectionError(
        inspection.status === "factual_accuracy" || inspection.status === "published" ? "The factual accuracy check has already started" : "The factual accuracy check starts once the findings are approved",
      );
    }
    transition(tx, inspection, { status: "factual_accuracy", accuracyOpenedAt: now.toISOString(), accuracyOpenedBy: actor.userId, accuracyClosesOn: closesOn });
    recordAudit(tx, actor, { action: "inspection.accuracy_opened", objectType: "inspection", objectId: inspectionId, summary: { from: "approved", to: "factual_accuracy", closesOn } }, now);
    return closesOn;
  }, db);
}

// ── The trust's comments ───────────────────────────────────────────────────────────────────────────────────

/**
 * A user of the inspection's trust comments on the draft report, while the check is open (up to and including its
 * close date, in Europe/London). Anyone else, and any inspection of another trust or not in its check, gets
 * InspectionNotFound, as if it did not exist. Returns the comment's id. The audit event carries ids, not the text.
 */
export function raiseAccuracyComment(inspectionId: string, input: CommentInput, actor: Actor, db: Db = getDb(), now = new Date()): string {
  return writeTransaction((tx) => {
    // The trust is the author's own, from their account, never from what was sent.
    const author = actor.userId ? tx.select({ role: users.role, trustCode: users.trustCode, disabledAt: users.disabledAt }).from(users).where(eq(users.id, actor.userId)).get() : undefined;
    const inspection = tx.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
    if (!author || author.role !== "trust_user" || author.disabledAt || !author.trustCode || !inspection || inspection.trustCode !== author.trustCode) {
      throw new InspectionNotFound(inspectionId);
    }
    if (inspection.status !== "factual_accuracy" && inspection.status !== "published") throw new InspectionNotFound(inspectionId);
    if (inspection.status === "published" || !isWindowOpen(todayInLondon(now), inspection.accuracyClosesOn)) {
      throw new InspectionError(`The factual accuracy check closed on ${formatCalendarDate(inspection.accuracyClosesOn)}: comments can no longer be made`);
    }
    const checked = checkCommentInput(input);
    const errors: Partial<Record<CommentField, string>> = checked.ok ? {} : { ...checked.errors };
    const findingId = typeof input.findingId === "string" ? input.findingId : "";
    if (input.part === "finding" && findingId !== "" && !errors.findingId) {
      const own = tx.select({ id: findings.id }).from(findings).where(and(eq(findings.id, findingId), eq(findings.inspectionId, inspectionId))).get();
      if (!own) errors.findingId = "Choose a finding of this report";
    }
    if (!checked.ok || Object.keys(errors).length > 0) throw new AccuracyInputError(errors);
    const count = tx.select({ n: sql<number>`count(*)` }).from(accuracyComments).where(eq(accuracyComments.inspectionId, inspectionId)).get()!.n;
    if (count >= ACCURACY_COMMENTS_PER_INSPECTION_MAX) {
      throw new InspectionError(`Your trust has made ${ACCURACY_COMMENTS_PER_INSPECTION_MAX} comments on this report, the most it takes: contact CQC for anything more`);
    }
    const id = randomUUID();
    const { part, category, text } = checked.value;
    tx.insert(accuracyComments)
      .values({ id, inspectionId, part, findingId: checked.value.findingId, category, text, authorId: actor.userId!, createdAt: now.toISOString() })
      .run();
    transition(tx, inspection, {});
    recordAudit(tx, actor, { action: "accuracy.comment_raised", objectType: "inspection", objectId: inspectionId, summary: { commentId: id, part, category, findingId: checked.value.findingId } }, now);
    return id;
  }, db);
}

export interface DecisionInput {
  decision: unknown;
  reason: unknown;
  /** For an accepted comment on a finding: the finding's text as the reviewer corrected it. */
  findingEdit?: Omit<FindingTextEdit, "findingId"> | null;
}

/**
 * The inspection's reviewer, or a programme lead not on the visit's team, accepts or rejects a comment, always with a
 * reason the trust sees; accepting a comment on a finding may correct the finding's text (a new revision, with the
 * version check). During the check and after its close date, until publication. Once decided, a decision stands.
 */
export function decideAccuracyComment(
  commentId: string,
  input: DecisionInput,
  actor: Actor,
  db: Db = getDb(),
  now = new Date(),
): { decision: AccuracyDecision; revised: { findingId: string; version: number; fields: CorrectableField[] } | null } {
  return writeTransaction((tx) => {
    const comment = tx.select().from(accuracyComments).where(eq(accuracyComments.id, commentId)).get();
    if (!comment) throw new InspectionNotFound(commentId);
    const inspection = loadInspection(tx, comment.inspectionId);
    requireStaff(tx, inspection, actor, "decides the trust's comments", now);
    if (inspection.status !== "factual_accuracy") throw new InspectionError("Comments are decided during the factual accuracy check, before the report is published");
    if (comment.decision) throw new InspectionError("This comment has already been decided");
    const errors: Record<string, string> = {};
    const decision = (ACCURACY_DECISIONS as readonly unknown[]).includes(input.decision) ? (input.decision as AccuracyDecision) : null;
    if (!decision) errors.decision = "Choose whether to accept or reject the comment";
    const reason = requiredText(input.reason, DECISION_REASON_MAX, {
      empty: decision === "rejected" ? "Give the reason for rejecting the comment: the trust will see it" : "Give the reason for your decision: the trust will see it",
      long: `The reason must be ${DECISION_REASON_MAX.toLocaleString("en-GB")} characters or fewer`,
    });
    if (!reason.ok) errors.reason = reason.error;
    if (Object.keys(errors).length > 0 || !decision || !reason.ok) throw new AccuracyInputError(errors);
    let revised: ReturnType<typeof reviseFindingText> = null;
    if (input.findingEdit) {
      if (comment.part === "finding" && comment.findingId && decision === "accepted") {
        revised = reviseFindingText(tx, inspection, { ...input.findingEdit, findingId: comment.findingId }, { kind: "accuracy_comment", commentId }, actor, now);
      } else if (decision === "rejected" && comment.findingId) {
        // The edit form is sent with every decision; a rejection must not change the finding.
        const row = tx.select().from(findings).where(eq(findings.id, comment.findingId)).get()!;
        const cleaned = cleanEdit({ ...input.findingEdit, findingId: comment.findingId });
        const base = row.version === input.findingEdit.baseVersion ? Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, row[f]])) : textAt(tx, row.id, input.findingEdit.baseVersion);
        if (!base || CORRECTABLE_FIELDS.some((f) => cleaned[f] !== undefined && cleaned[f] !== base[f])) {
          throw new AccuracyInputError({ decision: "A rejected comment does not change the finding: accept it to make your change, or undo your change" });
        }
      }
    }
    const at = now.toISOString();
    tx.update(accuracyComments)
      .set({ decision, decisionReason: reason.text, decidedBy: actor.userId, decidedAt: at })
      .where(and(eq(accuracyComments.id, commentId), isNull(accuracyComments.decision)))
      .run();
    transition(tx, inspection, {});
    recordAudit(
      tx,
      actor,
      {
        action: "accuracy.comment_decided",
        objectType: "inspection",
        objectId: inspection.id,
        summary: { commentId, decision, findingId: comment.findingId, findingVersion: revised?.version ?? null },
      },
      now,
    );
    return { decision, revised };
  }, db);
}

// ── Publishing ─────────────────────────────────────────────────────────────────────────────────────────────

export interface PublishResult {
  version: number;
  sha256: string;
  sizeBytes: number;
  publishedAt: string;
}

function storeVersion(tx: Tx, inspection: InspectionRow, version: number, pdf: Buffer, publishedAt: string, actor: Actor, changeNote: string) {
  const digest = sha256(pdf);
  tx.insert(reportVersions)
    .values({ id: randomUUID(), inspectionId: inspection.id, version, pdf, sha256: digest, sizeBytes: pdf.length, publishedAt, publishedBy: actor.userId!, changeNote })
    .run();
  return digest;
}

/**
 * The inspection's reviewer, or a programme lead not on the visit's team, publishes the report: factual accuracy →
 * published, once every comment is decided and the window has closed (or the publisher confirms the trust has said it
 * has finished: `trustFinished`). The PDF is rendered once, then stored as version 1 with its SHA-256, in one
 * transaction with the status, the actions made from the gaps and the audit event, provided nothing changed in the
 * inspection while it was rendered (else PublicationChanged, nothing stored).
 */
export async function publishReport(inspectionId: string, options: { trustFinished: boolean }, actor: Actor, db: Db = getDb(), now = new Date()): Promise<PublishResult> {
  const publishedAt = now.toISOString();
  const check = (tx: Tx | Db, inspection: InspectionRow) => {
    requireStaff(tx, inspection, actor, "publishes the report", now);
    const refusal = publishRefusal(
      { status: inspection.status, undecided: undecidedCount(tx, inspection.id), today: todayInLondon(now), closesOn: inspection.accuracyClosesOn, trustFinished: options.trustFinished },
      formatCalendarDate,
    );
    if (refusal) throw new InspectionError(refusal);
  };
  const before = loadInspection(db, inspectionId);
  check(db, before);
  const pdf = await renderReportPdf(inspectionId, { version: 1, publishedAt, draft: false }, db);
  return writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    check(tx, inspection);
    if (inspection.version !== before.version) throw new PublicationChanged();
    const digest = storeVersion(tx, inspection, 1, pdf, publishedAt, actor, "");
    transition(tx, inspection, { status: "published", publishedAt });
    const actions = createActionsFromFindings(tx, inspectionId, now, actor);
    // The new gaps feed the trust's risk at once (open gaps; overdue actions as they fall due).
    recordActionIndicatorsIn(tx, now, { trustCodes: [inspection.trustCode], actor });
    const comments = tx.select({ decision: accuracyComments.decision }).from(accuracyComments).where(eq(accuracyComments.inspectionId, inspectionId)).all();
    recordAudit(
      tx,
      actor,
      {
        action: "report.published",
        objectType: "inspection",
        objectId: inspectionId,
        summary: {
          from: "factual_accuracy",
          to: "published",
          version: 1,
          sha256: digest,
          sizeBytes: pdf.length,
          actions,
          comments: comments.length,
          accepted: comments.filter((c) => c.decision === "accepted").length,
          // Published before the close date on the publisher's word that the trust had finished.
          beforeCloseDate: isWindowOpen(todayInLondon(now), inspection.accuracyClosesOn),
        },
      },
      now,
    );
    return { version: 1, sha256: digest, sizeBytes: pdf.length, publishedAt };
  }, db);
}

export interface CorrectionInput {
  note: unknown;
  findingEdits: readonly FindingTextEdit[];
}

/**
 * After publication, the inspection's reviewer or a programme lead not on the visit's team corrects findings (each a
 * new revision, with the version check) and publishes the next report version with a note of what changed. Earlier
 * versions are kept as they were (the table refuses any change) and shown as superseded.
 *
 * The corrections are saved first (one transaction, all or nothing), then the report is rendered, then stored, again
 * only if nothing changed in between. If rendering fails the corrected findings stay saved and nothing is published:
 * publishing the correction again (with no further edits) publishes them.
 */
export async function publishCorrection(inspectionId: string, input: CorrectionInput, actor: Actor, db: Db = getDb(), now = new Date()): Promise<PublishResult & { revised: string[] }> {
  const note = requiredText(input.note, CORRECTION_NOTE_MAX, {
    empty: "Say what this correction changes: the trust sees the note with the new version",
    long: `The note must be ${CORRECTION_NOTE_MAX.toLocaleString("en-GB")} characters or fewer`,
  });
  if (!note.ok) throw new AccuracyInputError({ note: note.error });
  const seen = new Set<string>();
  for (const edit of input.findingEdits) {
    if (seen.has(edit.findingId)) throw new AccuracyInputError({ findingId: "Correct each finding once" });
    seen.add(edit.findingId);
  }
  const latestOf = (tx: Tx | Db) =>
    tx.select({ version: reportVersions.version }).from(reportVersions).where(eq(reportVersions.inspectionId, inspectionId)).orderBy(desc(reportVersions.version)).limit(1).get()?.version ?? 0;
  const prepared = writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireStaff(tx, inspection, actor, "publishes a correction", now);
    if (inspection.status !== "published") throw new InspectionError("A correction is published after the report is");
    const revised = input.findingEdits.flatMap((edit) => {
      const result = reviseFindingText(tx, inspection, edit, { kind: "correction" }, actor, now);
      return result ? [result.findingId] : [];
    });
    const version = revised.length > 0 ? transition(tx, inspection, {}) : inspection.version;
    return { version, latest: latestOf(tx), revised };
  }, db);
  const next = prepared.latest + 1;
  const publishedAt = now.toISOString();
  const pdf = await renderReportPdf(inspectionId, { version: next, publishedAt, draft: false }, db);
  return writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireStaff(tx, inspection, actor, "publishes a correction", now);
    if (inspection.status !== "published" || inspection.version !== prepared.version || latestOf(tx) !== prepared.latest) throw new PublicationChanged();
    const digest = storeVersion(tx, inspection, next, pdf, publishedAt, actor, note.text);
    transition(tx, inspection, {});
    recordAudit(
      tx,
      actor,
      {
        action: "report.corrected",
        objectType: "inspection",
        objectId: inspectionId,
        summary: { version: next, supersedes: prepared.latest, sha256: digest, sizeBytes: pdf.length, revisedFindings: prepared.revised },
      },
      now,
    );
    return { version: next, sha256: digest, sizeBytes: pdf.length, publishedAt, revised: prepared.revised };
  }, db);
}

// ── What the pages show ────────────────────────────────────────────────────────────────────────────────────

export interface AccuracyCommentView {
  id: string;
  part: ReportPart;
  findingId: string | null;
  /** The criterion of a comment on a finding: "A1.a Board direction". */
  criterion: { id: number; code: string; title: string } | null;
  category: AccuracyCategory;
  text: string;
  authorName: string;
  createdAt: string;
  decision: AccuracyDecision | null;
  decisionReason: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
}

function namesOf(db: Db, ids: (string | null)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  return new Map(
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, wanted))
      .all()
      .map((u) => [u.id, u.name]),
  );
}

const PART_ORDER: Record<ReportPart, number> = { summary: 0, finding: 1, action_plan: 2, method: 3 };

/**
 * An inspection's factual accuracy comments in the order of the report (the summary, the findings in the order of
 * the criteria, the action plan, the method), each part's oldest first, with their decisions.
 */
export function accuracyCommentsOf(inspectionId: string, db: Db = getDb()): AccuracyCommentView[] {
  const rows = db
    .select({ comment: accuracyComments, criterionId: frameworkCriteria.id, code: frameworkCriteria.code, title: frameworkCriteria.title, fv: frameworkCriteria.frameworkVersionId, position: frameworkCriteria.position })
    .from(accuracyComments)
    .leftJoin(findings, eq(findings.id, accuracyComments.findingId))
    .leftJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(eq(accuracyComments.inspectionId, inspectionId))
    .orderBy(asc(accuracyComments.createdAt), asc(accuracyComments.id))
    .all();
  rows.sort((a, b) => PART_ORDER[a.comment.part] - PART_ORDER[b.comment.part] || (a.fv ?? 0) - (b.fv ?? 0) || (a.position ?? 0) - (b.position ?? 0));
  const names = namesOf(
    db,
    rows.flatMap((r) => [r.comment.authorId, r.comment.decidedBy]),
  );
  return rows.map(({ comment, criterionId, code, title }) => ({
    id: comment.id,
    part: comment.part,
    findingId: comment.findingId,
    criterion: criterionId !== null && code !== null && title !== null ? { id: criterionId, code, title } : null,
    category: comment.category,
    text: comment.text,
    authorName: names.get(comment.authorId) ?? "Unknown",
    createdAt: comment.createdAt,
    decision: comment.decision,
    decisionReason: comment.decisionReason,
    decidedByName: comment.decidedBy ? (names.get(comment.decidedBy) ?? "Unknown") : null,
    decidedAt: comment.decidedAt,
  }));
}

export interface ReportVersionView {
  version: number;
  sha256: string;
  sizeBytes: number;
  publishedAt: string;
  publishedByName: string;
  changeNote: string;
  superseded: boolean;
}

/** The published versions of an inspection's report, newest first, without their bytes. */
export function reportVersionsOf(inspectionId: string, db: Db = getDb()): ReportVersionView[] {
  const rows = db
    .select({
      version: reportVersions.version,
      sha256: reportVersions.sha256,
      sizeBytes: reportVersions.sizeBytes,
      publishedAt: reportVersions.publishedAt,
      publishedBy: reportVersions.publishedBy,
      changeNote: reportVersions.changeNote,
    })
    .from(reportVersions)
    .where(eq(reportVersions.inspectionId, inspectionId))
    .orderBy(desc(reportVersions.version))
    .all();
  const names = namesOf(
    db,
    rows.map((r) => r.publishedBy),
  );
  return withSuperseded(rows).map(({ publishedBy, ...r }) => ({ ...r, publishedByName: names.get(publishedBy) ?? "Unknown" }));
}

/** The day of an inspection as its report is named: its visit's date, else the London day the team arrived. */
export function inspectedOn(visitDate: string | null, arrivedAt: string | null): string | null {
  return visitDate ?? (arrivedAt ? todayInLondon(new Date(arrivedAt)) : null);
}

/** One stored report version's bytes (as published, never re-rendered), for the staff download. */
export function storedReport(inspectionId: string, version: number, db: Db = getDb()) {
  const row = db
    .select({ pdf: reportVersions.pdf, version: reportVersions.version, trustCode: inspections.trustCode, visitDate: visits.visitDate, arrivedAt: inspections.arrivedAt })
    .from(reportVersions)
    .innerJoin(inspections, eq(inspections.id, reportVersions.inspectionId))
    .leftJoin(visits, eq(visits.id, inspections.visitId))
    .where(and(eq(reportVersions.inspectionId, inspectionId), eq(reportVersions.version, version)))
    .get();
  return row ? { pdf: row.pdf, version: row.version, trustCode: row.trustCode, inspectedOn: inspectedOn(row.visitDate, row.arrivedAt) } : undefined;
}

/** Records a download of a published report (or a draft), by whom and which version. */
export function recordReportDownload(inspectionId: string, version: number | "draft", actor: Actor, db: Db = getDb(), now = new Date()) {
  writeTransaction((tx) => recordAudit(tx, actor, { action: version === "draft" ? "report.draft_downloaded" : "report.downloaded", objectType: "inspection", objectId: inspectionId, summary: { version } }, now), db);
}

export interface PublicationPanel {
  status: InspectionRow["status"];
  /** Whether this user may open the check, decide, publish and correct (the reviewer, or a lead not on the team). */
  mayAct: boolean;
  /** Why not, for the page. */
  refusal: string | null;
  /** For an approved inspection: the close date if the check were opened today. */
  wouldCloseOn: string | null;
  openedAt: string | null;
  openedByName: string | null;
  closesOn: string | null;
  windowOpen: boolean;
  comments: number;
  undecided: number;
  versions: number;
}

/** The state of the factual accuracy check and publication, for the inspection's page. */
export function publicationPanel(inspectionId: string, user: { id: string }, db: Db = getDb(), now = new Date()): PublicationPanel | undefined {
  const inspection = db.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection) return undefined;
  const refusal = staffRefusal(db, inspection, user.id, "does this", now);
  const counts = db
    .select({ total: sql<number>`count(*)`, undecided: sql<number>`coalesce(sum(${accuracyComments.decision} IS NULL), 0)` })
    .from(accuracyComments)
    .where(eq(accuracyComments.inspectionId, inspectionId))
    .get()!;
  const versions = db.select({ n: sql<number>`count(*)` }).from(reportVersions).where(eq(reportVersions.inspectionId, inspectionId)).get()!.n;
  return {
    status: inspection.status,
    mayAct: refusal === null,
    refusal,
    wouldCloseOn: inspection.status === "approved" ? accuracyCloseDateFrom(now, db) : null,
    openedAt: inspection.accuracyOpenedAt,
    openedByName: inspection.accuracyOpenedBy ? (namesOf(db, [inspection.accuracyOpenedBy]).get(inspection.accuracyOpenedBy) ?? "Unknown") : null,
    closesOn: inspection.accuracyClosesOn,
    windowOpen: inspection.status === "factual_accuracy" && isWindowOpen(todayInLondon(now), inspection.accuracyClosesOn),
    comments: counts.total,
    undecided: counts.undecided,
    versions,
  };
}

/** Why the report cannot be published now (publishRefusal), or null; for the page before the publisher tries. */
export function publishBlocker(inspectionId: string, trustFinished: boolean, db: Db = getDb(), now = new Date()): string | null {
  const inspection = loadInspection(db, inspectionId);
  return publishRefusal(
    { status: inspection.status, undecided: undecidedCount(db, inspectionId), today: todayInLondon(now), closesOn: inspection.accuracyClosesOn, trustFinished },
    formatCalendarDate,
  );
}

/** The text of a finding with its version, for the reviewer's edit forms. */
export function findingText(findingId: string, db: Db = getDb()): ({ id: string; version: number } & Record<CorrectableField, string>) | undefined {
  const row = db.select().from(findings).where(eq(findings.id, findingId)).get();
  if (!row) return undefined;
  return { id: row.id, version: row.version, ...(Object.fromEntries(CORRECTABLE_FIELDS.map((f) => [f, row[f]])) as Record<CorrectableField, string>) };
}

/** The inspection's findings in the order of the criteria, for choosing one to correct or comment on. */
export function findingChoices(inspectionId: string, db: Db = getDb()): { findingId: string; criterionId: number; code: string; title: string }[] {
  return db
    .select({ findingId: findings.id, criterionId: frameworkCriteria.id, code: frameworkCriteria.code, title: frameworkCriteria.title })
    .from(findings)
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(eq(findings.inspectionId, inspectionId))
    .orderBy(asc(frameworkCriteria.frameworkVersionId), asc(frameworkCriteria.position), asc(frameworkCriteria.id))
    .all();
}
