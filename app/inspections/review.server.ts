/**
 * The review of an inspection (issue 5): on site → findings in draft (the lead leaves site) → submitted by the lead
 * → in review (a programme lead, or an inspector not on the visit's team) → returned to the team with "clarify"
 * comments on findings (back to draft: the team edits the findings and answers every comment, and the lead submits
 * again, to the same reviewer) or approved. Once submitted the team can no longer save findings (saveFinding only
 * allows on_site and draft), and after approval nothing about the findings changes.
 *
 * Every step is one synchronous BEGIN IMMEDIATE transaction (writeTransaction) that reads the inspection, checks who
 * and when, writes, bumps the inspection's version and records the audit event. Audit summaries carry ids and
 * counts, never a trust or comment text (the trail is read by admins; an inspection is confidential before
 * publication).
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import {
  conflictsOfInterest,
  findings,
  frameworkCriteria,
  inspectionFrameworks,
  inspections,
  profileMinimums,
  reviewComments,
  users,
  visits,
  visitTeamMembers,
} from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { gapStatus, resolveSeverity, type Minimum } from "../baseline/rating";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { InspectionError, InspectionNotFound } from "./inspections.server";
import { cleanText } from "../clean-text";

/** The longest review comment, and the longest answer to one, in characters once trimmed. */
export const COMMENT_MAX = 2000;

type InspectionRow = typeof inspections.$inferSelect;

export interface SubmitProblem {
  kind: "not-assessed" | "severity" | "comment";
  findingId: string;
  criterionId: number;
  code: string;
  title: string;
  /** The problem in plain English, naming the criterion. */
  text: string;
}

/** The lead tried to submit an inspection that is not ready: every problem, in the order of the criteria. */
export class SubmitRefused extends InspectionError {
  constructor(readonly problems: SubmitProblem[]) {
    super(`The findings cannot be submitted yet: ${problems.length} ${problems.length === 1 ? "problem" : "problems"} to put right`);
  }
}

/** A comment (by its position in what was sent) or an answer that cannot be stored as it is; nothing was stored. */
export class ReviewInputError extends InspectionError {
  constructor(readonly errors: { index: number | null; field: "findingId" | "text"; message: string }[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** Cleaned as all stored text is (app/clean-text.ts), then trimmed. */
const clean = (text: string) => cleanText(text).trim();

function loadInspection(tx: Tx, inspectionId: string): InspectionRow {
  const inspection = tx.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection) throw new InspectionNotFound(inspectionId);
  return inspection;
}

function teamOf(tx: Tx | Db, inspection: Pick<InspectionRow, "visitId">): { id: string; role: "lead" | "member" }[] {
  if (!inspection.visitId) return [];
  return tx.select({ id: visitTeamMembers.inspectorId, role: visitTeamMembers.role }).from(visitTeamMembers).where(eq(visitTeamMembers.visitId, inspection.visitId)).all();
}

function requireLead(tx: Tx, inspection: InspectionRow, actor: Actor, what: string) {
  const lead = teamOf(tx, inspection).find((m) => m.role === "lead");
  if (!actor.userId || lead?.id !== actor.userId) throw new InspectionError(`Only the visit's lead inspector ${what}`);
}

function requireReviewer(inspection: InspectionRow, actor: Actor, what: string) {
  if (!actor.userId || inspection.reviewerId !== actor.userId) throw new InspectionError(`Only the inspection's reviewer ${what}`);
}

function transition(tx: Tx, inspection: InspectionRow, set: Partial<InspectionRow>) {
  const changed = tx
    .update(inspections)
    .set({ ...set, version: inspection.version + 1 })
    .where(and(eq(inspections.id, inspection.id), eq(inspections.version, inspection.version)))
    .run();
  // Cannot happen inside BEGIN IMMEDIATE; a guard against a future change that reads outside the transaction.
  if (changed.changes !== 1) throw new InspectionError("The inspection changed while this was being done: try again");
}

// ── Leaving site ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * The visit's lead records that the team has left site: on site → findings in draft, and the visit is completed (it
 * then counts as the trust's latest inspection for "recently inspected" in the next draw).
 */
export function leaveSite(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireLead(tx, inspection, actor, "records that the team has left site");
    if (inspection.status !== "on_site") throw new InspectionError("The team can leave site only while the inspection is on site");
    transition(tx, inspection, { status: "draft" });
    if (inspection.visitId) {
      tx.update(visits)
        .set({ status: "completed", version: sql`${visits.version} + 1`, updatedAt: now.toISOString(), updatedBy: actor.userId })
        .where(and(eq(visits.id, inspection.visitId), eq(visits.status, "scheduled")))
        .run();
    }
    recordAudit(tx, actor, { action: "inspection.left_site", objectType: "inspection", objectId: inspectionId, summary: { from: "on_site", to: "draft" } }, now);
  }, db);
}

// ── Submitting ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What stops an inspection being submitted, in the order of the criteria: findings not assessed, gaps (ratings
 * below the profile's minimum) without a severity, and clarify comments not answered.
 */
export function submissionProblems(inspectionId: string, db: Db | Tx = getDb()): SubmitProblem[] {
  const rows = db
    .select({
      findingId: findings.id,
      criterionId: frameworkCriteria.id,
      code: frameworkCriteria.code,
      title: frameworkCriteria.title,
      rating: findings.rating,
      severity: findings.severity,
    })
    .from(findings)
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(eq(findings.inspectionId, inspectionId))
    .orderBy(asc(frameworkCriteria.frameworkVersionId), asc(frameworkCriteria.position), asc(frameworkCriteria.id))
    .all();
  const minimums = new Map(
    db
      .select({ criterionId: profileMinimums.criterionId, minimum: profileMinimums.minimum })
      .from(profileMinimums)
      .innerJoin(inspectionFrameworks, eq(inspectionFrameworks.profileId, profileMinimums.profileId))
      .where(eq(inspectionFrameworks.inspectionId, inspectionId))
      .all()
      .map((m) => [m.criterionId, m.minimum as Minimum]),
  );
  const unanswered = new Map<string, number>();
  for (const c of db
    .select({ findingId: reviewComments.findingId })
    .from(reviewComments)
    .where(and(eq(reviewComments.inspectionId, inspectionId), isNull(reviewComments.respondedAt)))
    .all()) {
    unanswered.set(c.findingId, (unanswered.get(c.findingId) ?? 0) + 1);
  }
  const problems: SubmitProblem[] = [];
  for (const row of rows) {
    const minimum = minimums.get(row.criterionId) ?? null;
    const where = { findingId: row.findingId, criterionId: row.criterionId, code: row.code, title: row.title };
    const name = `${row.code} ${row.title}`;
    if (gapStatus(row.rating, minimum) === "not-assessed") problems.push({ ...where, kind: "not-assessed", text: `${name} is not assessed yet` });
    else if (!resolveSeverity(row.rating, minimum, row.severity).ok) {
      problems.push({ ...where, kind: "severity", text: `${name} is below the profile's minimum: choose the gap's severity` });
    }
    const open = unanswered.get(row.findingId) ?? 0;
    if (open > 0) {
      problems.push({ ...where, kind: "comment", text: `${name} has ${open === 1 ? "a reviewer's comment" : `${open} reviewer's comments`} not answered yet` });
    }
  }
  return problems;
}

/**
 * The visit's lead submits the findings for review, from on site or draft (a draft returned by the reviewer
 * included). Refused with SubmitRefused, listing every problem, when any finding is not assessed, a gap has no
 * severity, or a clarify comment is not answered. From then on the team cannot save findings.
 */
export function submitInspection(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireLead(tx, inspection, actor, "submits the findings");
    if (inspection.status !== "on_site" && inspection.status !== "draft") {
      throw new InspectionError(inspection.status === "planned" ? "The findings can be submitted once the team has arrived and recorded them" : "The findings are already submitted");
    }
    const problems = submissionProblems(inspectionId, tx);
    if (problems.length > 0) throw new SubmitRefused(problems);
    const at = now.toISOString();
    transition(tx, inspection, { status: "submitted", submittedAt: at, submittedBy: actor.userId });
    recordAudit(
      tx,
      actor,
      {
        action: "inspection.submitted",
        objectType: "inspection",
        objectId: inspectionId,
        summary: { from: inspection.status, to: "submitted", resubmission: inspection.reviewerId !== null, reviewerId: inspection.reviewerId },
      },
      now,
    );
  }, db);
}

// ── The review ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Why a user may not review an inspection, or null when they may: a programme lead or an inspector (never an
 * admin), not on the visit's team, with no conflict of interest with the trust; once an inspection has a reviewer
 * (returned and submitted again), only that reviewer.
 */
function reviewRefusal(tx: Tx, inspection: InspectionRow, userId: string, today: string): string | null {
  const user = tx.select({ role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).get();
  if (!user || user.disabledAt) return "Only a programme lead or an inspector reviews an inspection";
  if (user.role !== "programme_lead" && user.role !== "inspector") return "Only a programme lead or an inspector who was not on the visit reviews an inspection";
  if (teamOf(tx, inspection).some((m) => m.id === userId)) return "The visit's team cannot review its own findings: a programme lead or another inspector reviews them";
  if (inspection.reviewerId && inspection.reviewerId !== userId) return "This inspection already has a reviewer";
  const conflict = tx
    .select({ id: conflictsOfInterest.id })
    .from(conflictsOfInterest)
    .where(
      and(
        eq(conflictsOfInterest.inspectorId, userId),
        eq(conflictsOfInterest.trustCode, inspection.trustCode),
        isNull(conflictsOfInterest.withdrawnAt),
        gte(conflictsOfInterest.until, today),
      ),
    )
    .get();
  if (conflict) return "You have a conflict of interest with this trust: someone else must review it";
  return null;
}

/** A programme lead or an inspector not on the visit's team starts the review: submitted → in review, as its reviewer. */
export function startReview(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    if (!actor.userId) throw new InspectionError("Only a programme lead or an inspector reviews an inspection");
    const refusal = reviewRefusal(tx, inspection, actor.userId, now.toISOString().slice(0, 10));
    if (refusal) throw new InspectionError(refusal);
    if (inspection.status !== "submitted") {
      throw new InspectionError(inspection.status === "in_review" ? "The review has already started" : "Only submitted findings can be reviewed");
    }
    transition(tx, inspection, { status: "in_review", reviewerId: actor.userId });
    recordAudit(tx, actor, { action: "inspection.review_started", objectType: "inspection", objectId: inspectionId, summary: { from: "submitted", to: "in_review", reviewerId: actor.userId } }, now);
  }, db);
}

/**
 * The reviewer returns the findings to the team with "clarify" comments (at least one; each on a finding of this
 * inspection, non-empty and at most COMMENT_MAX characters once trimmed): in review → findings in draft. Throws
 * ReviewInputError, storing nothing, for comments that cannot be stored. Returns the comments' ids.
 */
export function returnForClarification(
  inspectionId: string,
  comments: readonly { findingId: string; text: string }[],
  actor: Actor,
  db: Db = getDb(),
  now = new Date(),
): string[] {
  return writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireReviewer(inspection, actor, "returns the findings to the team");
    if (inspection.status !== "in_review") throw new InspectionError("The findings can be returned only while they are in review");
    if (comments.length === 0) throw new ReviewInputError([{ index: null, field: "text", message: "Add at least one comment for the team to clarify" }]);
    const own = new Set(
      tx
        .select({ id: findings.id })
        .from(findings)
        .where(
          and(
            eq(findings.inspectionId, inspectionId),
            inArray(
              findings.id,
              comments.map((c) => String(c.findingId)),
            ),
          ),
        )
        .all()
        .map((f) => f.id),
    );
    const errors: ReviewInputError["errors"] = [];
    const texts = comments.map((comment, index) => {
      if (!own.has(comment.findingId)) errors.push({ index, field: "findingId", message: `Comment ${index + 1}: choose a criterion of this inspection` });
      const text = clean(typeof comment.text === "string" ? comment.text : "");
      if (text === "") errors.push({ index, field: "text", message: `Comment ${index + 1}: write what the team should clarify` });
      else if (text.length > COMMENT_MAX) errors.push({ index, field: "text", message: `Comment ${index + 1} must be ${COMMENT_MAX.toLocaleString("en-GB")} characters or fewer` });
      return text;
    });
    if (errors.length > 0) throw new ReviewInputError(errors);
    const at = now.toISOString();
    const ids = comments.map((comment, i) => {
      const id = randomUUID();
      tx.insert(reviewComments).values({ id, inspectionId, findingId: comment.findingId, authorId: actor.userId!, text: texts[i]!, createdAt: at }).run();
      return id;
    });
    transition(tx, inspection, { status: "draft" });
    recordAudit(
      tx,
      actor,
      {
        action: "inspection.returned",
        objectType: "inspection",
        objectId: inspectionId,
        summary: { from: "in_review", to: "draft", comments: ids.length, commentIds: ids, findingIds: [...new Set(comments.map((c) => c.findingId))] },
      },
      now,
    );
    return ids;
  }, db);
}

/**
 * A member of the visit's team answers a clarify comment while the findings are in draft (once: an answer is
 * kept as given). The response is non-empty and at most COMMENT_MAX characters once trimmed.
 */
export function answerComment(commentId: string, response: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const comment = tx.select().from(reviewComments).where(eq(reviewComments.id, commentId)).get();
    if (!comment) throw new InspectionNotFound(commentId);
    const inspection = loadInspection(tx, comment.inspectionId);
    if (!actor.userId || !teamOf(tx, inspection).some((m) => m.id === actor.userId)) throw new InspectionError("Only the visit's team answers the reviewer's comments");
    if (inspection.status !== "draft") throw new InspectionError("Comments are answered while the findings are in draft, before they are submitted again");
    if (comment.respondedAt) throw new InspectionError("This comment has already been answered");
    const text = clean(typeof response === "string" ? response : "");
    if (text === "") throw new ReviewInputError([{ index: null, field: "text", message: "Write your answer to the comment" }]);
    if (text.length > COMMENT_MAX) throw new ReviewInputError([{ index: null, field: "text", message: `The answer must be ${COMMENT_MAX.toLocaleString("en-GB")} characters or fewer` }]);
    const at = now.toISOString();
    tx.update(reviewComments).set({ response: text, respondedBy: actor.userId, respondedAt: at }).where(eq(reviewComments.id, commentId)).run();
    transition(tx, inspection, {});
    recordAudit(
      tx,
      actor,
      { action: "inspection.comment_answered", objectType: "inspection", objectId: inspection.id, summary: { commentId, findingId: comment.findingId } },
      now,
    );
  }, db);
}

/** The reviewer approves the findings: in review → approved. Nothing about the findings changes after this. */
export function approveInspection(inspectionId: string, actor: Actor, db: Db = getDb(), now = new Date()): void {
  writeTransaction((tx) => {
    const inspection = loadInspection(tx, inspectionId);
    requireReviewer(inspection, actor, "approves the findings");
    if (inspection.status !== "in_review") throw new InspectionError(inspection.status === "approved" ? "The findings are already approved" : "The findings can be approved only while they are in review");
    const open = tx
      .select({ id: reviewComments.id })
      .from(reviewComments)
      .where(and(eq(reviewComments.inspectionId, inspectionId), isNull(reviewComments.respondedAt)))
      .get();
    if (open) throw new InspectionError("A comment to the team is not answered yet");
    const at = now.toISOString();
    transition(tx, inspection, { status: "approved", approvedAt: at, approvedBy: actor.userId });
    recordAudit(tx, actor, { action: "inspection.approved", objectType: "inspection", objectId: inspectionId, summary: { from: "in_review", to: "approved" } }, now);
  }, db);
}

// ── What the pages show ────────────────────────────────────────────────────────────────────────────────────

export interface ReviewCommentView {
  id: string;
  findingId: string;
  text: string;
  authorName: string;
  createdAt: string;
  response: string | null;
  respondedByName: string | null;
  respondedAt: string | null;
}

export interface FindingComments {
  findingId: string;
  criterionId: number;
  code: string;
  title: string;
  comments: ReviewCommentView[];
}

export interface ReviewView {
  reviewer: { id: string; name: string } | null;
  submittedAt: string | null;
  submittedByName: string | null;
  approvedAt: string | null;
  approvedByName: string | null;
  /** Findings with comments, in the order of the criteria; each finding's comments oldest first. */
  findings: FindingComments[];
  comments: number;
  unanswered: number;
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

function commentRows(db: Db, where: ReturnType<typeof eq>) {
  const rows = db
    .select({
      comment: reviewComments,
      criterionId: frameworkCriteria.id,
      code: frameworkCriteria.code,
      title: frameworkCriteria.title,
      frameworkVersionId: frameworkCriteria.frameworkVersionId,
      position: frameworkCriteria.position,
    })
    .from(reviewComments)
    .innerJoin(findings, eq(findings.id, reviewComments.findingId))
    .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, findings.criterionId))
    .where(where)
    .orderBy(asc(frameworkCriteria.frameworkVersionId), asc(frameworkCriteria.position), asc(reviewComments.createdAt), asc(reviewComments.id))
    .all();
  const names = namesOf(
    db,
    rows.flatMap((r) => [r.comment.authorId, r.comment.respondedBy]),
  );
  return rows.map((r) => ({
    criterionId: r.criterionId,
    code: r.code,
    title: r.title,
    view: {
      id: r.comment.id,
      findingId: r.comment.findingId,
      text: r.comment.text,
      authorName: names.get(r.comment.authorId) ?? "Unknown",
      createdAt: r.comment.createdAt,
      response: r.comment.response,
      respondedByName: r.comment.respondedBy ? (names.get(r.comment.respondedBy) ?? "Unknown") : null,
      respondedAt: r.comment.respondedAt,
    } satisfies ReviewCommentView,
  }));
}

/** The review of an inspection: who reviews it, when it was submitted and approved, and the comments by finding. */
export function reviewView(inspectionId: string, db: Db = getDb()): ReviewView | undefined {
  const inspection = db.select().from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection) return undefined;
  const names = namesOf(db, [inspection.reviewerId, inspection.submittedBy, inspection.approvedBy]);
  const byFinding = new Map<string, FindingComments>();
  let unanswered = 0;
  const rows = commentRows(db, eq(reviewComments.inspectionId, inspectionId));
  for (const row of rows) {
    let entry = byFinding.get(row.view.findingId);
    if (!entry) {
      entry = { findingId: row.view.findingId, criterionId: row.criterionId, code: row.code, title: row.title, comments: [] };
      byFinding.set(row.view.findingId, entry);
    }
    entry.comments.push(row.view);
    if (!row.view.respondedAt) unanswered += 1;
  }
  return {
    reviewer: inspection.reviewerId ? { id: inspection.reviewerId, name: names.get(inspection.reviewerId) ?? "Unknown" } : null,
    submittedAt: inspection.submittedAt,
    submittedByName: inspection.submittedBy ? (names.get(inspection.submittedBy) ?? "Unknown") : null,
    approvedAt: inspection.approvedAt,
    approvedByName: inspection.approvedBy ? (names.get(inspection.approvedBy) ?? "Unknown") : null,
    findings: [...byFinding.values()],
    comments: rows.length,
    unanswered,
  };
}

/** The reviewer's comments on one finding, oldest first, with their answers. */
export function findingComments(findingId: string, db: Db = getDb()): ReviewCommentView[] {
  return commentRows(db, eq(reviewComments.findingId, findingId)).map((r) => r.view);
}
