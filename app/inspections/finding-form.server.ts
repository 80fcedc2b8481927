/**
 * The finding form's post (app/inspections/finding-form.tsx), read and saved: the same for the criterion page and the
 * section page. The form is read as a browser sends it (ticked boxes, Met / Not met radios, the three date boxes),
 * "Merge the text" puts both versions' text in the form without saving, and saveFinding's outcomes become what the
 * page shows: saved, refused with the problems (400), or met someone else's save (409, both versions).
 */
import { randomBytes } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { notFound, refuse } from "../auth/guards.server";
import type { SessionUser } from "../auth/session.server";
import type { CriterionView } from "../baseline/frameworks.server";
import { SEVERITIES, suggestedDueDate, type Rating, type Severity } from "../baseline/rating";
import { loadHolidaySet } from "../scheduling/bank-holidays.server";
import { datePartsFrom, isoFromParts } from "../ui/date-input";
import { mergeFindingText, TEXT_LIMITS } from "./finding-rules";
import type { FindingProblem, FindingValues } from "./finding-form";
import { FindingInputError, FindingNotEditable, FindingNotFound, saveFinding, type FindingFields, type FindingView } from "./findings.server";
import { inspectionAccess, type InspectionAccess } from "./workspace.server";

/**
 * What a criterion or section page shows, by the number in the URL's `param`, with the user's access to its
 * inspection: 404 for a param that is not a number or not of the inspection, and for an inspection the user is not on
 * (audited as a refusal, and answered exactly as one that does not exist).
 */
export function loadWorkspacePage<W extends { inspection: Parameters<typeof inspectionAccess>[1] }>(
  args: LoaderFunctionArgs | ActionFunctionArgs,
  user: SessionUser,
  param: "criterionId" | "sectionId",
  find: (inspectionId: string, id: number) => W | undefined,
): { workspace: W; access: InspectionAccess } {
  const id = /^\d{1,12}$/.test(args.params[param] ?? "") ? Number(args.params[param]) : Number.NaN;
  const workspace = Number.isSafeInteger(id) ? find(args.params.id ?? "", id) : undefined;
  if (!workspace) throw notFound();
  const access = inspectionAccess(user, workspace.inspection) ?? refuse(args, user, "an inspection the user is not on");
  return { workspace, access };
}

/** The due date the form suggests for each severity: working days from the visit, none before a visit date. */
export function suggestedDueDates(visitDate: string | null): Record<Severity, string> | null {
  if (!visitDate) return null;
  const holidays = loadHolidaySet();
  return Object.fromEntries(SEVERITIES.map((s) => [s, suggestedDueDate(s, visitDate, holidays)])) as Record<Severity, string>;
}

/** A fresh key for each rendering of a form: a form sent twice (a double click, a retry) is saved once. */
export const newIdempotencyKey = () => randomBytes(16).toString("base64url");

/** The finding form's fields from a post, for a criterion of `scale` with these indicators (others are ignored). */
export function readFindingValues(form: FormData, criterion: Pick<CriterionView, "scale" | "indicators">): FindingValues {
  const indicatorCodes = criterion.indicators.map((i) => i.code);
  const text = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max + 1) : "";
  };
  const number = (name: string) => {
    const value = text(name, 20).trim();
    // Not a whole number: NaN, which the save refuses with "must be a whole number".
    return value === "" ? null : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  };
  const answers: Record<string, boolean> = {};
  if (criterion.scale === "caf") {
    for (const code of form.getAll("indicator")) if (typeof code === "string" && indicatorCodes.includes(code)) answers[code] = true;
  } else {
    for (const code of indicatorCodes) {
      const answer = form.get(`met-${code}`);
      if (answer === "met") answers[code] = true;
      if (answer === "not_met") answers[code] = false;
    }
  }
  const chosen = text("rating", 30);
  const severity = text("severity", 20);
  return {
    chosenRating: chosen === "" ? null : (chosen as Rating),
    overrideReason: text("overrideReason", TEXT_LIMITS.overrideReason),
    indicatorAnswers: answers,
    observed: text("observed", TEXT_LIMITS.observed),
    evidenceDocuments: text("evidenceDocuments", TEXT_LIMITS.evidence),
    evidencePeople: text("evidencePeople", TEXT_LIMITS.evidence),
    evidenceSystems: text("evidenceSystems", TEXT_LIMITS.evidence),
    devicesSampled: number("devicesSampled"),
    devicesFailing: number("devicesFailing"),
    severity: severity === "" ? null : (severity as FindingFields["severity"]),
    recommendation: text("recommendation", TEXT_LIMITS.recommendation),
    actionDue: isoFromParts(datePartsFrom(form, "actionDue")),
  };
}

export type FindingPostOutcome =
  | { outcome: "saved"; finding: FindingView }
  /** Nothing saved: the page shows `problem` with this status (400 refused, 409 someone else saved first or a merge). */
  | { outcome: "problem"; status: 400 | 409; problem: FindingProblem };

/**
 * Saves the finding form posted for `target` as `user` (intent=merge: their text and this form's together, back in
 * the form, nothing saved). Throws a 404 Response when the finding is gone or the user may not save it (not on the
 * team, or the inspection not open for findings); the route has already checked the user may see the inspection.
 */
export function saveFindingForm(form: FormData, target: { criterion: Pick<CriterionView, "id" | "scale" | "indicators">; finding: FindingView }, user: { id: string }): FindingPostOutcome {
  const { criterion, finding } = target;
  const values = readFindingValues(form, criterion);
  const key = typeof form.get("idempotencyKey") === "string" ? String(form.get("idempotencyKey")).slice(0, 100) : "";
  const baseVersion = Number(form.get("baseVersion"));
  // Merge: both versions' text, one after the other, in the form to edit; nothing is saved until Save.
  if (form.get("intent") === "merge") {
    return {
      outcome: "problem",
      status: 409,
      problem: { outcome: "conflict", criterionId: criterion.id, current: finding, values: mergeFindingText(finding, values), idempotencyKey: newIdempotencyKey() },
    };
  }
  try {
    const result = saveFinding(
      finding.id,
      {
        idempotencyKey: key,
        baseVersion: Number.isSafeInteger(baseVersion) ? baseVersion : -1,
        fields: { ...values, actionDue: values.actionDue === "" ? null : values.actionDue },
      },
      user,
    );
    if (result.outcome === "conflict") {
      return { outcome: "problem", status: 409, problem: { outcome: "conflict", criterionId: criterion.id, current: result.current, values, idempotencyKey: newIdempotencyKey() } };
    }
    return { outcome: "saved", finding: result.finding };
  } catch (error) {
    if (error instanceof FindingNotFound || error instanceof FindingNotEditable) throw notFound();
    if (error instanceof FindingInputError) {
      const errors: Partial<Record<string, string>> = { ...error.fieldErrors };
      // The form's field is "rating".
      if (errors.chosenRating) {
        errors.rating = errors.chosenRating;
        delete errors.chosenRating;
      }
      return { outcome: "problem", status: 400, problem: { outcome: "invalid", criterionId: criterion.id, errors, values, idempotencyKey: newIdempotencyKey(), baseVersion } };
    }
    throw error;
  }
}
