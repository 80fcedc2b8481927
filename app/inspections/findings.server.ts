/**
 * Saving findings without ever losing one (issue 5, "No lost update, ever").
 *
 * - Each finding has a version. A save names the version it was based on; when another save came first the save
 *   is refused as a conflict (nothing overwritten) and the caller gets the finding as it now is, to show both.
 * - Each save request carries an idempotency key made by the client. The outcome of every key is stored, so a
 *   retried request (a late network retry, a replayed offline outbox) gets the same answer and is never applied
 *   twice.
 * - Every accepted save is kept as a revision (append-only), so nothing typed is lost even after later saves.
 * - All of it in one synchronous BEGIN IMMEDIATE transaction (writeTransaction), so concurrent savers queue on
 *   SQLite's lock (busy_timeout) instead of failing.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import {
  findingRevisions,
  findings,
  findingSaves,
  frameworkCriteria,
  frameworkIndicators,
  inspectionFrameworks,
  inspections,
  profileMinimums,
  visitTeamMembers,
} from "../../db/schema";
import { deriveRating, isGap, resolveRating, SEVERITIES, type IndicatorAnswers, type Rating } from "../baseline/rating";
import { RATINGS } from "../baseline/framework-file";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { isCalendarDate } from "../scheduling/working-days";

// Shared with the finding page, which also runs in the browser.
import { RECORDING_STATUSES, TEXT_LIMITS } from "./finding-rules";
// Text is stored as app/clean-text.ts makes it (NFC, no control characters other than tab and new line).
import { cleanText as clean } from "../clean-text";
export { RECORDING_STATUSES, TEXT_LIMITS };

export class FindingNotFound extends Error {}

/** The save is not allowed at all (not on the team, inspection not open for findings): the route answers 404. */
export class FindingNotEditable extends Error {}

/** What was sent cannot be saved as it is; nothing was saved. */
export class FindingInputError extends Error {
  constructor(readonly fieldErrors: Partial<Record<keyof FindingFields | "idempotencyKey" | "baseVersion", string>>) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** The fields of a finding an inspector edits. */
export interface FindingFields {
  /** The rating the inspector chose, or null to take the derived one (or leave it not assessed). */
  chosenRating: Rating | null;
  overrideReason: string;
  indicatorAnswers: Record<string, boolean>;
  observed: string;
  evidenceDocuments: string;
  evidencePeople: string;
  evidenceSystems: string;
  devicesSampled: number | null;
  devicesFailing: number | null;
  severity: (typeof SEVERITIES)[number] | null;
  recommendation: string;
  actionDue: string | null;
}

export interface FindingView extends Omit<FindingFields, "chosenRating"> {
  id: string;
  inspectionId: string;
  criterionId: number;
  rating: Rating;
  derivedRating: Rating | null;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type SaveOutcome =
  | { outcome: "saved"; finding: FindingView; replayed: boolean }
  /** Someone else saved first: `current` is the finding as it now is; nothing of this save was stored. */
  | { outcome: "conflict"; current: FindingView; baseVersion: number; replayed: boolean };

/** Text as stored (clean) is what the limit applies to: NFC normalisation can lengthen text. */
const limited = (max: number, label: string) =>
  z
    .string()
    .default("")
    .transform(clean)
    .pipe(z.string().max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`));
const count = (label: string) =>
  z
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(0, `${label} cannot be negative`)
    .max(100_000, `${label} must be 100,000 or fewer`)
    .nullable()
    .default(null);

const fieldsSchema = z.object({
  chosenRating: z.enum(RATINGS, { error: "Choose one of the ratings offered" }).nullable().default(null),
  overrideReason: limited(TEXT_LIMITS.overrideReason, "The reason"),
  indicatorAnswers: z.record(z.string().max(40), z.boolean()).default({}),
  observed: limited(TEXT_LIMITS.observed, "What was observed"),
  evidenceDocuments: limited(TEXT_LIMITS.evidence, "Documents seen"),
  evidencePeople: limited(TEXT_LIMITS.evidence, "People spoken to"),
  evidenceSystems: limited(TEXT_LIMITS.evidence, "Systems seen"),
  devicesSampled: count("Devices sampled"),
  devicesFailing: count("Devices failing"),
  severity: z.enum(SEVERITIES, { error: "Choose a severity" }).nullable().default(null),
  recommendation: limited(TEXT_LIMITS.recommendation, "The recommendation"),
  actionDue: z
    .string()
    .refine((v) => isCalendarDate(v), "The action's due date must be a real date")
    .nullable()
    .default(null),
});

const saveSchema = z.object({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "The save has no valid idempotency key"),
  baseVersion: z.number().int().min(0),
  fields: fieldsSchema,
});

export type SaveRequest = z.input<typeof saveSchema>;


function toView(row: typeof findings.$inferSelect): FindingView {
  return {
    id: row.id,
    inspectionId: row.inspectionId,
    criterionId: row.criterionId,
    rating: row.rating,
    derivedRating: (row.derivedRating as Rating | null) ?? null,
    overrideReason: row.overrideReason,
    indicatorAnswers: JSON.parse(row.indicatorAnswers) as Record<string, boolean>,
    observed: row.observed,
    evidenceDocuments: row.evidenceDocuments,
    evidencePeople: row.evidencePeople,
    evidenceSystems: row.evidenceSystems,
    devicesSampled: row.devicesSampled,
    devicesFailing: row.devicesFailing,
    severity: row.severity,
    recommendation: row.recommendation,
    actionDue: row.actionDue,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

export function findingView(findingId: string, db: Db | Tx = getDb()): FindingView | undefined {
  const row = db.select().from(findings).where(eq(findings.id, findingId)).get();
  return row ? toView(row) : undefined;
}

/** The findings of an inspection's criteria, by criterion id, in one query (criteria not in it are absent). */
export function findingViewsOf(inspectionId: string, criterionIds: readonly number[], db: Db | Tx = getDb()): Map<number, FindingView> {
  if (criterionIds.length === 0) return new Map();
  const rows = db
    .select()
    .from(findings)
    .where(and(eq(findings.inspectionId, inspectionId), inArray(findings.criterionId, [...criterionIds])))
    .all();
  return new Map(rows.map((row) => [row.criterionId, toView(row)]));
}

/** Whether a user is on the team of the visit an inspection is for. */
export function isOnInspectionTeam(db: Db | Tx, inspectionId: string, userId: string): boolean {
  const inspection = db.select({ visitId: inspections.visitId }).from(inspections).where(eq(inspections.id, inspectionId)).get();
  if (!inspection?.visitId) return false;
  return !!db
    .select({ id: visitTeamMembers.inspectorId })
    .from(visitTeamMembers)
    .where(and(eq(visitTeamMembers.visitId, inspection.visitId), eq(visitTeamMembers.inspectorId, userId)))
    .get();
}

/**
 * Saves a finding for a member of the inspection's team. Returns "saved" with the new version, or "conflict" with
 * the finding as it now is; a retried key gets the outcome it had the first time. Throws FindingInputError (nothing
 * saved) for input that cannot be stored, and FindingNotEditable when this user may not save here.
 */
export function saveFinding(findingId: string, request: SaveRequest, user: { id: string }, db: Db = getDb(), now = new Date()): SaveOutcome {
  const parsed = saveSchema.safeParse(request);
  if (!parsed.success) {
    const errors: FindingInputError["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = (issue.path[0] === "fields" ? issue.path[1] : issue.path[0]) as keyof FindingInputError["fieldErrors"];
      errors[field] ??= issue.message;
    }
    throw new FindingInputError(errors);
  }
  const { idempotencyKey, baseVersion, fields } = parsed.data;

  return writeTransaction((tx) => {
    const row = tx.select().from(findings).where(eq(findings.id, findingId)).get();
    if (!row) throw new FindingNotFound(findingId);

    // Only the team, while findings are being recorded: checked first, so a retried key reveals nothing to someone
    // taken off the team since.
    const inspection = tx.select({ status: inspections.status }).from(inspections).where(eq(inspections.id, row.inspectionId)).get()!;
    if (!(RECORDING_STATUSES as readonly string[]).includes(inspection.status) || !isOnInspectionTeam(tx, row.inspectionId, user.id)) {
      throw new FindingNotEditable(findingId);
    }

    // A key seen before: the same answer again, nothing applied twice. (A key is only ever one user's one finding.)
    const earlier = tx.select().from(findingSaves).where(eq(findingSaves.idempotencyKey, idempotencyKey)).get();
    if (earlier) {
      if (earlier.findingId !== findingId || earlier.userId !== user.id) throw new FindingInputError({ idempotencyKey: "That idempotency key was used for another save" });
      if (earlier.outcome === "conflict") return { outcome: "conflict", current: toView(row), baseVersion: earlier.baseVersion, replayed: true };
      // The answer it had: the finding as this save left it, at the version it was told (not as later saves left
      // it, or a client retrying a lost response would take their version as its own and overwrite them unseen).
      const revision = tx
        .select()
        .from(findingRevisions)
        .where(and(eq(findingRevisions.findingId, findingId), eq(findingRevisions.version, earlier.resultVersion)))
        .get()!;
      const asSaved = { ...row, ...(JSON.parse(revision.content) as Partial<typeof row>), version: revision.version, updatedAt: revision.savedAt, updatedBy: revision.savedBy };
      return { outcome: "saved", finding: toView(asSaved), replayed: true };
    }

    const at = now.toISOString();
    if (row.version !== baseVersion) {
      tx.insert(findingSaves).values({ idempotencyKey, findingId, userId: user.id, baseVersion, outcome: "conflict", resultVersion: row.version, savedAt: at }).run();
      return { outcome: "conflict", current: toView(row), baseVersion, replayed: false };
    }

    // The rating: derived from the indicators where they decide it, otherwise the inspector's choice.
    const criterion = tx.select().from(frameworkCriteria).where(eq(frameworkCriteria.id, row.criterionId)).get()!;
    const indicators = tx
      .select({ id: frameworkIndicators.code, level: frameworkIndicators.level })
      .from(frameworkIndicators)
      .where(eq(frameworkIndicators.criterionId, criterion.id))
      .all();
    const known = new Set(indicators.map((i) => i.id));
    const answers: Record<string, boolean> = {};
    for (const [id, answer] of Object.entries(fields.indicatorAnswers)) if (known.has(id)) answers[id] = answer;
    const derived = deriveRating(criterion.scale, indicators, answers as IndicatorAnswers);
    let rating: Rating = "not_assessed";
    let overrideReason = "";
    if (derived !== null || fields.chosenRating !== null) {
      const resolved = resolveRating({ scale: criterion.scale, derived, chosen: fields.chosenRating, overrideReason: clean(fields.overrideReason) });
      if (!resolved.ok) throw new FindingInputError({ chosenRating: resolved.error });
      rating = resolved.rating;
      overrideReason = resolved.reason ?? "";
    }
    if (!criterion.recordsDevices && (fields.devicesSampled !== null || fields.devicesFailing !== null)) {
      throw new FindingInputError({ devicesSampled: "Devices are recorded only for Cyber Essentials Plus tests" });
    }
    if (fields.devicesSampled !== null && fields.devicesFailing !== null && fields.devicesFailing > fields.devicesSampled) {
      throw new FindingInputError({ devicesFailing: "Devices failing cannot be more than devices sampled" });
    }

    // A severity belongs to a gap (a rating below the profile's minimum); anything else keeps none. A gap may be
    // saved without one while recording: it is required when the inspection is submitted.
    const minimum =
      tx
        .select({ minimum: profileMinimums.minimum })
        .from(profileMinimums)
        .innerJoin(inspectionFrameworks, eq(inspectionFrameworks.profileId, profileMinimums.profileId))
        .where(and(eq(inspectionFrameworks.inspectionId, row.inspectionId), eq(profileMinimums.criterionId, criterion.id)))
        .get()?.minimum ?? null;
    const severity = isGap(rating, minimum) ? fields.severity : null;

    const content = {
      rating,
      derivedRating: derived,
      overrideReason: clean(overrideReason),
      indicatorAnswers: JSON.stringify(answers),
      observed: clean(fields.observed),
      evidenceDocuments: clean(fields.evidenceDocuments),
      evidencePeople: clean(fields.evidencePeople),
      evidenceSystems: clean(fields.evidenceSystems),
      devicesSampled: fields.devicesSampled,
      devicesFailing: fields.devicesFailing,
      severity,
      recommendation: clean(fields.recommendation),
      actionDue: fields.actionDue,
    };
    const version = row.version + 1;
    tx.update(findings)
      .set({ ...content, version, updatedAt: at, updatedBy: user.id })
      .where(and(eq(findings.id, findingId), eq(findings.version, row.version)))
      .run();
    tx.insert(findingRevisions).values({ findingId, version, content: JSON.stringify(content), savedBy: user.id, savedAt: at }).run();
    tx.insert(findingSaves).values({ idempotencyKey, findingId, userId: user.id, baseVersion, outcome: "saved", resultVersion: version, savedAt: at }).run();
    return { outcome: "saved", finding: toView(tx.select().from(findings).where(eq(findings.id, findingId)).get()!), replayed: false };
  }, db);
}
