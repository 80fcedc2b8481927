/**
 * The finding form, and the screen a save that met someone else's shows: one component for the criterion page and
 * the section page (several forms on one page: every id carries `idPrefix`, the field names stay the same).
 *
 * Without JavaScript it is a plain form: the rating defaults to "as the answers give it" and the server works the
 * rating out from the indicators when it saves. With JavaScript the rating derived from the indicators (deriveRating,
 * the same pure function the server uses) is shown as they are ticked, in a polite live region, and the rating
 * radios follow it unless the inspector chooses another rating while the indicators give one: that is an override,
 * and the reason is then marked as needed (the server refuses the save without one, as before).
 */
import { Form, Link } from "@remix-run/react";
import { useEffect, useState, type FormEvent, type ReactNode, type Ref } from "react";
import type { CriterionView } from "~/baseline/frameworks.server";
import {
  deriveRating,
  DUE_WORKING_DAYS,
  ratingLabel,
  ratingsFor,
  SEVERITIES,
  SEVERITY_LABELS,
  type IndicatorAnswers,
  type Rating,
  type Scale,
  type Severity,
} from "~/baseline/rating";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { DateInput, datePartsOf } from "~/ui/date-input";
import { Textarea, TextInput } from "~/ui/form";
import type { FindingFields, FindingView } from "./findings.server";
import { FINDING_TEXT_FIELDS, TEXT_LIMITS } from "./finding-rules";

/** The form's fields as sent (the due date as typed, "" for none). */
export type FindingValues = Omit<FindingFields, "actionDue"> & { actionDue: string };

/** What a finding form's post answers when nothing was saved (the same on both pages). */
export type FindingProblem =
  | { outcome: "invalid"; criterionId: number; errors: Partial<Record<string, string>>; values: FindingValues; idempotencyKey: string; baseVersion: number }
  | { outcome: "conflict"; criterionId: number; current: FindingView; values: FindingValues; idempotencyKey: string };

/** What the form needs of a criterion. */
export type FormCriterion = Pick<CriterionView, "id" | "code" | "scale" | "recordsDevices" | "indicators">;

/**
 * The form as the finding stands: the rating is "chosen" only when it is not the derived one. Not assessed with
 * nothing derived is what a save with nothing chosen gives, so it shows as nothing chosen: answering the indicators
 * then gives their rating, not an override of "Not assessed".
 */
export function valuesOf(finding: FindingView): FindingValues {
  const chosen = finding.rating === finding.derivedRating || (finding.rating === "not_assessed" && finding.derivedRating === null) ? null : finding.rating;
  return { ...finding, chosenRating: chosen, actionDue: finding.actionDue ?? "" };
}

const indicatorsOf = (criterion: FormCriterion) => criterion.indicators.map((i) => ({ id: i.code, level: i.level }));
const answersWord = (scale: Scale) => (scale === "met" ? "requirements" : "indicators");

/** The answers the form holds now, read from its boxes (as the server reads the post). */
function answersIn(form: HTMLFormElement, criterion: FormCriterion): IndicatorAnswers {
  const data = new FormData(form);
  const answers: Record<string, boolean> = {};
  if (criterion.scale === "caf") {
    const ticked = new Set(data.getAll("indicator"));
    for (const i of criterion.indicators) if (ticked.has(i.code)) answers[i.code] = true;
  } else {
    for (const i of criterion.indicators) {
      const answer = data.get(`met-${i.code}`);
      if (answer === "met") answers[i.code] = true;
      if (answer === "not_met") answers[i.code] = false;
    }
  }
  return answers;
}

const FIELD_LABELS: Record<(typeof FINDING_TEXT_FIELDS)[number], string> = {
  observed: "What was observed",
  evidenceDocuments: "Documents seen",
  evidencePeople: "People spoken to",
  evidenceSystems: "Systems seen",
  recommendation: "Recommendation",
};

/**
 * Someone else saved the finding first: both versions side by side (the rating and every text that differs), and
 * what the inspector can do. Their own version stays in the form below it.
 */
export function FindingConflict({
  id,
  criterion,
  current,
  values,
  theirsUrl,
  subject = "this finding",
}: {
  id: string;
  criterion: FormCriterion;
  current: FindingView;
  values: FindingValues;
  /** Where "take theirs" goes: the finding as it now is. */
  theirsUrl: string;
  subject?: string;
}) {
  const derived = deriveRating(criterion.scale, indicatorsOf(criterion), values.indicatorAnswers);
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} role="alert" id={id}>
      <h2 className="govuk-error-summary__title">{`Someone else saved ${subject} while you were working`}</h2>
      <div className="govuk-error-summary__body">
        <p className="govuk-body">Nothing of yours was lost, and nothing was saved over theirs. Compare the two versions, then:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>keep yours: check the form below (it holds your version) and save it;</li>
          <li>
            take theirs:{" "}
            <Link className="govuk-link" to={theirsUrl}>
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
                {`Theirs (saved ${formatDateTime(current.updatedAt)})`}
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
              <td className="govuk-table__cell">{ratingLabel(current.rating, criterion.scale)}</td>
              <td className="govuk-table__cell">{values.chosenRating ? ratingLabel(values.chosenRating, criterion.scale) : derived ? ratingLabel(derived, criterion.scale) : "Not chosen"}</td>
            </tr>
            {FINDING_TEXT_FIELDS.filter((f) => current[f] !== values[f]).map((f) => (
              <tr className="govuk-table__row" key={f}>
                <th scope="row" className="govuk-table__header">
                  {FIELD_LABELS[f]}
                </th>
                <td className="govuk-table__cell app-preserve-lines">{current[f]}</td>
                <td className="govuk-table__cell app-preserve-lines">{values[f]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export interface FindingFormProps {
  /** The form's id. */
  id: string;
  /** Put before every id in the form: "" on the criterion page, "c12-" for criterion 12 on a section page. */
  idPrefix?: string;
  criterion: FormCriterion;
  /** What the form starts with (the finding, or what was sent when it was not saved). */
  values: FindingValues;
  /** Problems by field name (rating, observed, actionDue…). */
  errors?: Partial<Record<string, string>>;
  baseVersion: number;
  idempotencyKey: string;
  /** The due date each severity suggests, from the visit date. */
  suggestedDue: Partial<Record<Severity, string>> | null;
  /** More hidden fields (the section page says which criterion the form is for). */
  hidden?: Record<string, string>;
  formRef?: Ref<HTMLFormElement>;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  /** Shown above the buttons (the autosave status). */
  status?: ReactNode;
  /** Read out after "Save", for a page with several forms ("Save A1.a"). */
  saveSuffix?: string;
  /** A second button that saves and goes on ("Save and go to the next criterion"), if any. */
  nextLabel?: string | null;
  /** After a conflict: offer "Merge the text". */
  merge?: boolean;
  /** The size of the rating's legend: "m" alone on a page, "s" among others. */
  legendSize?: "m" | "s";
}

/** The finding form: indicators, rating (with the derived rating live, with JavaScript), text, severity and due date. */
export function FindingForm({
  id,
  idPrefix: p = "",
  criterion,
  values,
  errors,
  baseVersion,
  idempotencyKey,
  suggestedDue,
  hidden,
  formRef,
  onSubmit,
  status,
  saveSuffix,
  nextLabel,
  merge = false,
  legendSize = "m",
}: FindingFormProps) {
  const { scale } = criterion;
  const indicators = indicatorsOf(criterion);
  const what = answersWord(scale);
  // Until the page's JavaScript runs (and without it) the form is exactly what the server rendered.
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const [answers, setAnswers] = useState<IndicatorAnswers>(values.indicatorAnswers);
  const derived = deriveRating(scale, indicators, answers);
  // The inspector's last choice of rating, and whether it overrides the indicators (chosen while they gave another).
  const [choice, setChoice] = useState(() => {
    const given = deriveRating(scale, indicators, values.indicatorAnswers);
    return { rating: values.chosenRating, override: values.chosenRating !== null && given !== null && values.chosenRating !== given };
  });
  const checked: Rating | null = !scripted ? values.chosenRating : choice.override ? choice.rating : (derived ?? choice.rating);
  const needsReason = scripted && choice.override && derived !== null && choice.rating !== null && choice.rating !== derived;
  const choose = (rating: Rating | null) =>
    setChoice(rating === null ? { rating: null, override: false } : { rating, override: derived !== null && rating !== derived });
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name === "indicator" || name.startsWith("met-")) setAnswers(answersIn(event.currentTarget, criterion));
  };
  const label = (rating: Rating) => ratingLabel(rating, scale);
  const hasIndicators = criterion.indicators.length > 0;
  const legendClass = `govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`;

  return (
    <Form method="post" noValidate id={id} ref={formRef} onSubmit={onSubmit} onChange={onChange}>
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      {hasIndicators ? (
        scale === "caf" ? (
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Indicators of good practice seen</legend>
              <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                {criterion.indicators.map((indicator, i) => (
                  <div className="govuk-checkboxes__item" key={indicator.code}>
                    <input
                      className="govuk-checkboxes__input"
                      id={i === 0 ? `${p}indicator` : `${p}indicator-${indicator.code}`}
                      name="indicator"
                      type="checkbox"
                      value={indicator.code}
                      defaultChecked={values.indicatorAnswers[indicator.code] === true}
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor={i === 0 ? `${p}indicator` : `${p}indicator-${indicator.code}`}>
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
                  ).map(([value, text, answer]) => (
                    <div className="govuk-radios__item" key={value}>
                      <input
                        className="govuk-radios__input"
                        id={`${p}met-${indicator.code}-${value || "none"}`}
                        name={`met-${indicator.code}`}
                        type="radio"
                        value={value}
                        defaultChecked={values.indicatorAnswers[indicator.code] === answer}
                      />
                      <label className="govuk-label govuk-radios__label" htmlFor={`${p}met-${indicator.code}-${value || "none"}`}>
                        {text}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
          ))
        )
      ) : null}

      {hasIndicators ? (
        <p className="govuk-body govuk-!-font-weight-bold" id={`${p}derived-rating`} role="status" aria-live="polite">
          {derived
            ? `Derived from the ${what}: ${label(derived)}`
            : `Derived from the ${what}: nothing yet. The ${what} ${scale === "met" ? "answered" : "ticked"} do not decide the rating, so choose one.`}
        </p>
      ) : null}
      <div className={`govuk-form-group${errors?.rating ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset" aria-describedby={`${p}rating-hint${errors?.rating ? ` ${p}rating-error` : ""}`}>
          <legend className={legendClass}>Rating</legend>
          <div id={`${p}rating-hint`} className="govuk-hint">
            {!hasIndicators
              ? "Choose the rating."
              : scripted
                ? `The rating follows the ${what} as you ${scale === "met" ? "answer" : "tick"} them. To rate it differently, choose another rating and give the reason.`
                : `When you save, the rating is worked out from the ${what}. To rate it differently, choose another rating and give the reason.`}
          </div>
          {errors?.rating ? (
            <p id={`${p}rating-error`} className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.rating}
            </p>
          ) : null}
          <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
            {[null, ...ratingsFor(scale)].map((rating, i) => {
              const radioId = i === 0 ? `${p}rating` : `${p}rating-${rating}`;
              return (
                <div className="govuk-radios__item" key={rating ?? "derived"}>
                  <input
                    className="govuk-radios__input"
                    id={radioId}
                    name="rating"
                    type="radio"
                    value={rating ?? ""}
                    checked={checked === rating}
                    onChange={() => choose(rating)}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor={radioId}>
                    {rating ? label(rating) : hasIndicators ? "As the answers give it" : "Not rated yet"}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
      <Textarea
        name="overrideReason"
        id={`${p}overrideReason`}
        label="Reason for a rating other than the one the answers give"
        hint={
          needsReason && derived && choice.rating
            ? `Needed: the ${what} give ${label(derived)} and you chose ${label(choice.rating)}. ${TEXT_LIMITS.overrideReason.toLocaleString("en-GB")} characters or fewer.`
            : `Only needed when you override. ${TEXT_LIMITS.overrideReason.toLocaleString("en-GB")} characters or fewer.`
        }
        required={needsReason}
        defaultValue={values.overrideReason}
        error={errors?.overrideReason}
      />
      <Textarea
        name="observed"
        id={`${p}observed`}
        label="What was observed"
        defaultValue={values.observed}
        error={errors?.observed}
        hint={`${TEXT_LIMITS.observed.toLocaleString("en-GB")} characters or fewer.`}
      />
      <Textarea name="evidenceDocuments" id={`${p}evidenceDocuments`} label="Documents seen" defaultValue={values.evidenceDocuments} error={errors?.evidenceDocuments} />
      <Textarea name="evidencePeople" id={`${p}evidencePeople`} label="People spoken to" defaultValue={values.evidencePeople} error={errors?.evidencePeople} />
      <Textarea name="evidenceSystems" id={`${p}evidenceSystems`} label="Systems seen" defaultValue={values.evidenceSystems} error={errors?.evidenceSystems} />
      {criterion.recordsDevices ? (
        <>
          <TextInput
            name="devicesSampled"
            id={`${p}devicesSampled`}
            label="Devices sampled"
            defaultValue={values.devicesSampled === null ? "" : String(values.devicesSampled)}
            error={errors?.devicesSampled}
            width="10"
          />
          <TextInput
            name="devicesFailing"
            id={`${p}devicesFailing`}
            label="Devices failing"
            defaultValue={values.devicesFailing === null ? "" : String(values.devicesFailing)}
            error={errors?.devicesFailing}
            width="10"
          />
        </>
      ) : null}
      <div className={`govuk-form-group${errors?.severity ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset" aria-describedby={`${p}severity-hint${errors?.severity ? ` ${p}severity-error` : ""}`}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Severity of the gap</legend>
          <div id={`${p}severity-hint`} className="govuk-hint">
            {`Needed when the rating is below the profile's minimum. The action's due date can follow it: ${SEVERITIES.map((s) => `${SEVERITY_LABELS[s].toLowerCase()} ${DUE_WORKING_DAYS[s]} working days${suggestedDue?.[s] ? ` (${formatCalendarDate(suggestedDue[s])})` : ""}`).join(", ")}.`}
          </div>
          {errors?.severity ? (
            <p id={`${p}severity-error`} className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.severity}
            </p>
          ) : null}
          <div className="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
            {[...SEVERITIES, "" as const].map((s, i) => (
              <div className="govuk-radios__item" key={s || "none"}>
                <input
                  className="govuk-radios__input"
                  id={i === 0 ? `${p}severity` : `${p}severity-${s || "none"}`}
                  name="severity"
                  type="radio"
                  value={s}
                  defaultChecked={(values.severity ?? "") === s}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? `${p}severity` : `${p}severity-${s || "none"}`}>
                  {s ? SEVERITY_LABELS[s] : "No gap"}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <Textarea name="recommendation" id={`${p}recommendation`} label="Recommendation" defaultValue={values.recommendation} error={errors?.recommendation} />
      <DateInput
        name="actionDue"
        id={`${p}actionDue`}
        legend="Action due by"
        hint="For example, 27 3 2027. Leave blank if there is no action."
        value={datePartsOf(values.actionDue)}
        error={errors?.actionDue}
      />
      {status}
      <div className="govuk-button-group">
        <button type="submit" name="then" value="stay" className="govuk-button" data-module="govuk-button">
          Save
          {saveSuffix ? <span className="govuk-visually-hidden">{` ${saveSuffix}`}</span> : null}
        </button>
        {nextLabel ? (
          <button type="submit" name="then" value="next" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            {nextLabel}
          </button>
        ) : null}
        {merge ? (
          <button type="submit" name="intent" value="merge" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Merge the text
            {saveSuffix ? <span className="govuk-visually-hidden">{` of ${saveSuffix}`}</span> : null}
          </button>
        ) : null}
      </div>
    </Form>
  );
}
