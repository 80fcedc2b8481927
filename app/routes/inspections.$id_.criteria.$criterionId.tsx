import { randomBytes } from "node:crypto";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { deriveRating, DUE_WORKING_DAYS, ratingLabel, ratingsFor, SEVERITIES, SEVERITY_LABELS, suggestedDueDate, gapStatus, type Rating } from "~/baseline/rating";
import {
  FindingInputError,
  FindingNotEditable,
  FindingNotFound,
  saveFinding,
  type FindingFields,
  type FindingView,
} from "~/inspections/findings.server";
// Not from findings.server: the component uses them, and runs in the browser too.
import { FINDING_TEXT_FIELDS, mergeFindingText, RECORDING_STATUSES, TEXT_LIMITS } from "~/inspections/finding-rules";
import { InspectionError, InspectionNotFound } from "~/inspections/inspections.server";
import { FindingRecord, FindingReviewComments } from "~/inspections/review-display";
import { answerComment, findingComments } from "~/inspections/review.server";
import { criterionWorkspace, inspectionAccess } from "~/inspections/workspace.server";
import { othersPresent, recordWorkspaceView } from "~/inspections/presence.server";
import { isPresenceBeat, PresencePanel } from "~/inspections/presence";
import { loadHolidaySet } from "~/scheduling/bank-holidays.server";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { DateInput, datePartsFrom, datePartsOf, isoFromParts } from "~/ui/date-input";
import { ErrorSummary, NotificationBanner, Textarea, TextInput } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
// Autosave and keyboard shortcuts (JavaScript only; the form works as before without it).
import { useRef } from "react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { AUTOSAVE_MODE, useFindingAutosave, useFindingShortcuts, type AutosaveSaved } from "~/inspections/autosave";
import { AutosaveStatusLine, KeyboardShortcuts } from "~/inspections/autosave-ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.workspace.criterion.code ?? ""} ${data?.workspace.criterion.title ?? "Finding"} – ${data?.workspace.inspection.trustName ?? "Inspection"} – Deep Dive` },
];

/** A fresh key for each rendering of the form: a form sent twice (a double click, a retry) is saved once. */
const newIdempotencyKey = () => randomBytes(16).toString("base64url");

function load(args: LoaderFunctionArgs | ActionFunctionArgs, user: SessionUser) {
  const criterionId = /^\d{1,12}$/.test(args.params.criterionId ?? "") ? Number(args.params.criterionId) : NaN;
  const workspace = Number.isSafeInteger(criterionId) ? criterionWorkspace(args.params.id ?? "", criterionId) : undefined;
  if (!workspace) throw notFound();
  const access = inspectionAccess(user, workspace.inspection) ?? refuse(args, user, "an inspection the user is not on");
  return { workspace, access };
}

/** The team records findings while on site and in draft; programme leads and admins read them. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  recordWorkspaceView(workspace.inspection.id, `criterion ${workspace.criterion.code}`, workspace.criterion.id, actorFor(user, args.context));
  const holidays = loadHolidaySet();
  const visitDate = workspace.inspection.visitDate;
  return {
    workspace,
    canEdit: access === "team" && (RECORDING_STATUSES as readonly string[]).includes(workspace.inspection.status),
    // The reviewer's comments on this finding; the team answers them while the findings are in draft.
    comments: findingComments(workspace.finding.id),
    canAnswer: access === "team" && workspace.inspection.status === "draft",
    idempotencyKey: newIdempotencyKey(),
    suggestedDue: visitDate ? Object.fromEntries(SEVERITIES.map((s) => [s, suggestedDueDate(s, visitDate, holidays)])) : null,
    saved: new URL(args.request.url).searchParams.get("saved"),
    others: othersPresent(workspace.inspection.id, user.id),
  };
}

type Values = Omit<FindingFields, "actionDue"> & { actionDue: string };
type ActionData =
  | { outcome: "invalid"; errors: Partial<Record<string, string>>; values: Values; idempotencyKey: string; baseVersion: number }
  | { outcome: "conflict"; current: FindingView; values: Values; idempotencyKey: string };

function readValues(form: FormData, scale: "caf" | "met", indicatorCodes: string[]): Values {
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
  if (scale === "caf") {
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
  const due = isoFromParts(datePartsFrom(form, "actionDue"));
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
    actionDue: due,
  };
}

/** The team answers a reviewer's comment on this finding (intent=answer): apart from saving the finding. */
function answer(args: ActionFunctionArgs, form: FormData, findingId: string, user: SessionUser) {
  const commentId = typeof form.get("commentId") === "string" ? String(form.get("commentId")) : "";
  if (!findingComments(findingId).some((c) => c.id === commentId)) throw notFound();
  const response = typeof form.get("response") === "string" ? String(form.get("response")).slice(0, 4000) : "";
  try {
    answerComment(commentId, response, actorFor(user, args.context));
  } catch (error) {
    if (error instanceof InspectionNotFound) throw notFound();
    if (error instanceof InspectionError) return data({ outcome: "answer" as const, commentId, error: error.message, response }, { status: 400 });
    throw error;
  }
  return redirect(`${new URL(args.request.url).pathname}#comment-${commentId}`);
}

export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  // Only the team records findings; programme leads and admins read them.
  if (access !== "team") refuse(args, user, "saving a finding of an inspection the user is not on");
  const form = await args.request.formData();
  if (form.get("intent") === "answer") return answer(args, form, workspace.finding.id, user);
  const { criterion, finding } = workspace;
  const values = readValues(
    form,
    criterion.scale,
    criterion.indicators.map((i) => i.code),
  );
  const key = typeof form.get("idempotencyKey") === "string" ? String(form.get("idempotencyKey")).slice(0, 100) : "";
  const baseVersion = Number(form.get("baseVersion"));
  // Merge: both versions' text, one after the other, in the form to edit; nothing is saved until Save.
  if (form.get("intent") === "merge") {
    return data<ActionData>({ outcome: "conflict", current: finding, values: mergeFindingText(finding, values), idempotencyKey: newIdempotencyKey() }, { status: 409 });
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
      return data<ActionData>({ outcome: "conflict", current: result.current, values, idempotencyKey: newIdempotencyKey() }, { status: 409 });
    }
    // Autosave (a fetcher, with JavaScript): the new version and when, as data; the page stays as it is.
    if (form.get("mode") === AUTOSAVE_MODE) return data<AutosaveSaved>({ outcome: "saved", version: result.finding.version, savedAt: result.finding.updatedAt });
    const next = form.get("then") === "next" && workspace.next !== null ? workspace.next : criterion.id;
    return redirect(`/inspections/${workspace.inspection.id}/criteria/${next}?saved=${criterion.id === next ? "this" : criterion.code}`);
  } catch (error) {
    if (error instanceof FindingNotFound) throw notFound();
    if (error instanceof FindingNotEditable) throw notFound();
    if (error instanceof FindingInputError) {
      const errors: Partial<Record<string, string>> = { ...error.fieldErrors };
      if (errors.chosenRating) {
        errors.rating = errors.chosenRating;
        delete errors.chosenRating;
      }
      return data<ActionData>({ outcome: "invalid", errors, values, idempotencyKey: newIdempotencyKey(), baseVersion }, { status: 400 });
    }
    throw error;
  }
}

/** An autosave changes nothing on the page but the status and the base version: its data is not loaded again. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, formAction, defaultShouldRevalidate }) =>
  formData?.get("mode") === AUTOSAVE_MODE || isPresenceBeat(formAction) ? false : defaultShouldRevalidate;

const FIELD_LABELS: Record<(typeof FINDING_TEXT_FIELDS)[number], string> = {
  observed: "What was observed",
  evidenceDocuments: "Documents seen",
  evidencePeople: "People spoken to",
  evidenceSystems: "Systems seen",
  recommendation: "Recommendation",
};

export default function CriterionPage() {
  const { workspace, canEdit, idempotencyKey, suggestedDue, saved, comments, canAnswer, others } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const answered = actionData?.outcome === "answer" ? actionData : undefined;
  const fromAction = actionData?.outcome === "answer" || actionData?.outcome === "saved" ? undefined : actionData;
  const { inspection, criterion, finding, minimum, earlier } = workspace;
  // Autosave: the form's hidden base version and key follow its saves; a problem it meets is shown like the Save button's.
  const formRef = useRef<HTMLFormElement>(null);
  const serverKey = fromAction?.idempotencyKey ?? idempotencyKey;
  const autosave = useFindingAutosave<NonNullable<typeof fromAction>>({
    formRef,
    enabled: canEdit && fromAction?.outcome !== "conflict",
    serverKey,
    serverVersion: fromAction?.outcome === "conflict" ? fromAction.current.version : fromAction?.outcome === "invalid" ? fromAction.baseVersion : finding.version,
  });
  const criterionUrl = (id: number | null) => (id === null ? null : `/inspections/${inspection.id}/criteria/${id}`);
  useFindingShortcuts({ formRef, nextUrl: criterionUrl(workspace.next), previousUrl: criterionUrl(workspace.previous), saveNow: canEdit ? autosave.saveNow : null });
  const result = autosave.touched ? autosave.result : fromAction;
  const values: Values = result?.values ?? { ...finding, chosenRating: finding.rating === finding.derivedRating ? null : finding.rating, actionDue: finding.actionDue ?? "" };
  const baseVersion = autosave.baseVersion;
  const key = autosave.idempotencyKey;
  const errors = result?.outcome === "invalid" ? result.errors : undefined;
  const derived = deriveRating(criterion.scale, criterion.indicators.map((i) => ({ id: i.code, level: i.level })), values.indicatorAnswers);
  const gap = gapStatus(finding.rating, minimum);
  return (
    <>
      <Link to={`/inspections/${inspection.id}`} className="govuk-back-link">
        Back to the inspection
      </Link>
      {saved && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{saved === "this" ? `Saved at ${formatDateTime(finding.updatedAt)}` : `${saved} saved`}</p>
        </NotificationBanner>
      ) : null}
      {result?.outcome === "conflict" ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} role="alert" id="conflict">
          <h2 className="govuk-error-summary__title">Someone else saved this finding while you were working</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">Nothing of yours was lost, and nothing was saved over theirs. Compare the two versions, then:</p>
            <ul className="govuk-list govuk-list--bullet">
              <li>keep yours: check the form below (it holds your version) and save it;</li>
              <li>
                take theirs:{" "}
                <Link className="govuk-link" to={`/inspections/${inspection.id}/criteria/${criterion.id}`}>
                  open the finding as they saved it
                </Link>
                ;
              </li>
              <li>or merge: &quot;Merge the text&quot; puts their text and yours together in the form for you to edit, then save.</li>
            </ul>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">Their version and yours</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Field
                  </th>
                  <th scope="col" className="govuk-table__header">
                    {`Theirs (saved ${formatDateTime(result.current.updatedAt)})`}
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Yours
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                <tr className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    Rating
                  </th>
                  <td className="govuk-table__cell">{ratingLabel(result.current.rating, criterion.scale)}</td>
                  <td className="govuk-table__cell">{values.chosenRating ? ratingLabel(values.chosenRating, criterion.scale) : derived ? ratingLabel(derived, criterion.scale) : "Not chosen"}</td>
                </tr>
                {FINDING_TEXT_FIELDS.filter((f) => result.current[f] !== values[f]).map((f) => (
                  <tr className="govuk-table__row" key={f}>
                    <th scope="row" className="govuk-table__header">
                      {FIELD_LABELS[f]}
                    </th>
                    <td className="govuk-table__cell app-preserve-lines">{result.current[f]}</td>
                    <td className="govuk-table__cell app-preserve-lines">{values[f]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {answered ? <ErrorSummary errors={{ [`response-${answered.commentId}`]: answered.error }} /> : null}
      <span className="govuk-caption-l">{`${inspection.trustName} · ${workspace.sectionTrail.join(" › ")}`}</span>
      <h1 className="govuk-heading-l">{`${criterion.code} ${criterion.title}`}</h1>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-s">What good looks like</h2>
          <p className="govuk-body">{criterion.goodLooksLike}</p>
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Evidence to seek</span>
            </summary>
            <div className="govuk-details__text">{criterion.evidence}</div>
          </details>
          <dl className="govuk-summary-list">
            <SummaryRow label="Minimum for the profile">{minimum ? ratingLabel(minimum, criterion.scale) : "None"}</SummaryRow>
            <SummaryRow label="Rating now">
              {`${ratingLabel(finding.rating, criterion.scale)}${gap === "gap" ? " (a gap against the profile)" : ""}`}
            </SummaryRow>
            {earlier ? <SummaryRow label="Last inspection">{`${ratingLabel(earlier.rating, criterion.scale)}${earlier.date ? `, ${formatCalendarDate(earlier.date)}` : ""}`}</SummaryRow> : null}
          </dl>

          <PresencePanel inspectionId={inspection.id} criterionId={criterion.id} initial={others} />
          <KeyboardShortcuts ratings={canEdit ? ratingsFor(criterion.scale).length : 0} />
          {canEdit ? (
            <Form method="post" noValidate id="finding-form" key={serverKey} ref={formRef} onSubmit={autosave.onSubmit}>
              <input type="hidden" name="baseVersion" value={baseVersion} />
              <input type="hidden" name="idempotencyKey" value={key} />
              {criterion.indicators.length > 0 ? (
                criterion.scale === "caf" ? (
                  <div className="govuk-form-group">
                    <fieldset className="govuk-fieldset">
                      <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Indicators of good practice seen</legend>
                      <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        {criterion.indicators.map((indicator, i) => (
                          <div className="govuk-checkboxes__item" key={indicator.code}>
                            <input
                              className="govuk-checkboxes__input"
                              id={i === 0 ? "indicator" : `indicator-${indicator.code}`}
                              name="indicator"
                              type="checkbox"
                              value={indicator.code}
                              defaultChecked={values.indicatorAnswers[indicator.code] === true}
                            />
                            <label className="govuk-label govuk-checkboxes__label" htmlFor={i === 0 ? "indicator" : `indicator-${indicator.code}`}>
                              {`${ratingLabel(indicator.level, "caf")}: ${indicator.text}`}
                            </label>
                          </div>
                        ))}
                      </div>
                    </fieldset>
                  </div>
                ) : (
                  criterion.indicators.map((indicator) => (
                    <div className="govuk-form-group" key={indicator.code}>
                      <fieldset className="govuk-fieldset">
                        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{`${indicator.code}: ${indicator.text}`}</legend>
                        <div className="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
                          {(
                            [
                              ["met", "Met", true],
                              ["not_met", "Not met", false],
                              ["", "Not answered", undefined],
                            ] as const
                          ).map(([value, label, answer]) => (
                            <div className="govuk-radios__item" key={value}>
                              <input
                                className="govuk-radios__input"
                                id={`met-${indicator.code}-${value || "none"}`}
                                name={`met-${indicator.code}`}
                                type="radio"
                                value={value}
                                defaultChecked={values.indicatorAnswers[indicator.code] === answer}
                              />
                              <label className="govuk-label govuk-radios__label" htmlFor={`met-${indicator.code}-${value || "none"}`}>
                                {label}
                              </label>
                            </div>
                          ))}
                        </div>
                      </fieldset>
                    </div>
                  ))
                )
              ) : null}

              <div className={`govuk-form-group${errors?.rating ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby="rating-hint">
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Rating</legend>
                  <div id="rating-hint" className="govuk-hint">
                    {derived
                      ? `The ${criterion.scale === "met" ? "requirements" : "indicators"} saved give ${ratingLabel(derived, criterion.scale)}. To rate it differently, choose another rating and give the reason.`
                      : criterion.indicators.length > 0
                        ? "The answers so far do not decide the rating: choose one."
                        : "Choose the rating."}
                  </div>
                  {errors?.rating ? (
                    <p id="rating-error" className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {errors.rating}
                    </p>
                  ) : null}
                  <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
                    {[null, ...ratingsFor(criterion.scale)].map((rating, i) => {
                      const id = i === 0 ? "rating" : `rating-${rating}`;
                      return (
                        <div className="govuk-radios__item" key={rating ?? "derived"}>
                          <input className="govuk-radios__input" id={id} name="rating" type="radio" value={rating ?? ""} defaultChecked={values.chosenRating === rating} />
                          <label className="govuk-label govuk-radios__label" htmlFor={id}>
                            {rating ? ratingLabel(rating, criterion.scale) : criterion.indicators.length > 0 ? "As the answers give it" : "Not rated yet"}
                          </label>
                        </div>
                      );
                    })}
                  </div>
                </fieldset>
              </div>
              <Textarea
                name="overrideReason"
                label="Reason for a rating other than the one the answers give"
                hint={`Only needed when you override. ${TEXT_LIMITS.overrideReason.toLocaleString("en-GB")} characters or fewer.`}
                defaultValue={values.overrideReason}
                error={errors?.overrideReason}
              />
              <Textarea name="observed" label="What was observed" defaultValue={values.observed} error={errors?.observed} hint={`${TEXT_LIMITS.observed.toLocaleString("en-GB")} characters or fewer.`} />
              <Textarea name="evidenceDocuments" label="Documents seen" defaultValue={values.evidenceDocuments} error={errors?.evidenceDocuments} />
              <Textarea name="evidencePeople" label="People spoken to" defaultValue={values.evidencePeople} error={errors?.evidencePeople} />
              <Textarea name="evidenceSystems" label="Systems seen" defaultValue={values.evidenceSystems} error={errors?.evidenceSystems} />
              {criterion.recordsDevices ? (
                <>
                  <TextInput name="devicesSampled" label="Devices sampled" defaultValue={values.devicesSampled === null ? "" : String(values.devicesSampled)} error={errors?.devicesSampled} width="10" />
                  <TextInput name="devicesFailing" label="Devices failing" defaultValue={values.devicesFailing === null ? "" : String(values.devicesFailing)} error={errors?.devicesFailing} width="10" />
                </>
              ) : null}
              <div className={`govuk-form-group${errors?.severity ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby="severity-hint">
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Severity of the gap</legend>
                  <div id="severity-hint" className="govuk-hint">
                    {`Needed when the rating is below the profile's minimum. The action's due date can follow it: ${SEVERITIES.map((s) => `${SEVERITY_LABELS[s].toLowerCase()} ${DUE_WORKING_DAYS[s]} working days${suggestedDue ? ` (${formatCalendarDate(suggestedDue[s])})` : ""}`).join(", ")}.`}
                  </div>
                  <div className="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
                    {[...SEVERITIES, "" as const].map((s, i) => (
                      <div className="govuk-radios__item" key={s || "none"}>
                        <input className="govuk-radios__input" id={i === 0 ? "severity" : `severity-${s || "none"}`} name="severity" type="radio" value={s} defaultChecked={(values.severity ?? "") === s} />
                        <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "severity" : `severity-${s || "none"}`}>
                          {s ? SEVERITY_LABELS[s] : "No gap"}
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </div>
              <Textarea name="recommendation" label="Recommendation" defaultValue={values.recommendation} error={errors?.recommendation} />
              <DateInput name="actionDue" legend="Action due by" hint="For example, 27 3 2027. Leave blank if there is no action." value={datePartsOf(values.actionDue)} error={errors?.actionDue} />
              <AutosaveStatusLine status={autosave.status} />
              <div className="govuk-button-group">
                <button type="submit" name="then" value="stay" className="govuk-button" data-module="govuk-button">
                  Save
                </button>
                {workspace.next !== null ? (
                  <button type="submit" name="then" value="next" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                    Save and go to the next criterion
                  </button>
                ) : null}
                {result?.outcome === "conflict" ? (
                  <button type="submit" name="intent" value="merge" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                    Merge the text
                  </button>
                ) : null}
              </div>
            </Form>
          ) : (
            <>
              <p className="govuk-body">
                {(RECORDING_STATUSES as readonly string[]).includes(inspection.status)
                  ? "Only the inspection team records findings."
                  : inspection.status === "planned"
                    ? "Findings are recorded once the team has arrived on site."
                    : inspection.status === "approved"
                      ? "The findings are approved: they can no longer be changed."
                      : "The findings are submitted for review: they can no longer be changed."}
              </p>
              {inspection.status !== "planned" ? <FindingRecord finding={finding} scale={criterion.scale} /> : null}
            </>
          )}
          <FindingReviewComments comments={comments} canAnswer={canAnswer} answer={answered} />
          <nav className="govuk-pagination govuk-pagination--block" aria-label="Criteria">
            {workspace.previous !== null ? (
              <div className="govuk-pagination__prev">
                <Link className="govuk-link govuk-pagination__link" to={`/inspections/${inspection.id}/criteria/${workspace.previous}`} rel="prev">
                  <span className="govuk-pagination__link-title">Previous criterion</span>
                </Link>
              </div>
            ) : null}
            {workspace.next !== null ? (
              <div className="govuk-pagination__next">
                <Link className="govuk-link govuk-pagination__link" to={`/inspections/${inspection.id}/criteria/${workspace.next}`} rel="next">
                  <span className="govuk-pagination__link-title">Next criterion</span>
                </Link>
              </div>
            ) : null}
          </nav>
        </div>
      </div>
    </>
  );
}
