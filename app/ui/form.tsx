/** GOV.UK form patterns: error summary, text input, textarea, select, and the error message inside a field. */
import type { ReactNode } from "react";

export type Errors = Partial<Record<string, string>>;

export interface ErrorItem {
  /** The id of the field the error is about, so the link moves focus to it. */
  field: string;
  text: string;
}

/**
 * Lists every error at the top of the page, each linking to its field (GOV.UK error summary). Takes either
 * one message per field (`errors`) or a list (`items`), for several problems with one field such as a file.
 */
export function ErrorSummary({ errors, items, description }: { errors?: Errors; items?: ErrorItem[]; description?: string }) {
  const entries: ErrorItem[] = [
    ...Object.entries(errors ?? {}).flatMap(([field, text]) => (text ? [{ field, text }] : [])),
    ...(items ?? []),
  ];
  if (entries.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} role="alert">
      <h2 className="govuk-error-summary__title">There is a problem</h2>
      <div className="govuk-error-summary__body">
        {description ? <p className="govuk-body">{description}</p> : null}
        <ul className="govuk-list govuk-error-summary__list">
          {entries.map((entry, i) => (
            <li key={`${entry.field}-${i}`}>
              <a href={`#${entry.field}`}>{entry.text}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** A field's hint and error message, with the ids its aria-describedby points at. */
function HintAndError({ name, hint, error }: { name: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <div id={`${name}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
    </>
  );
}

const describedByFor = (name: string, hint?: string, error?: string) =>
  [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;

interface FieldProps {
  name: string;
  /** The control's id, when it differs from its name (several forms on a page); the hint and error ids follow it. */
  id?: string;
  label: string;
  error?: string;
  hint?: string;
  /** Classes added to the label's govuk-label, like govuk-label--m or govuk-visually-hidden. */
  labelClassName?: string;
  /** Classes added to the form group's, like govuk-!-margin-bottom-0. */
  groupClassName?: string;
  children: (describedBy: string | undefined) => ReactNode;
}

/**
 * A GOV.UK form group: the label, hint and error message of one control, which `children` renders with the
 * field's id (`id`, by default `name`) and the aria-describedby it is given.
 */
export function Field({ name, id = name, label, error, hint, labelClassName, groupClassName, children }: FieldProps) {
  const describedBy = describedByFor(id, hint, error);
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}${groupClassName ? ` ${groupClassName}` : ""}`}>
      <label className={`govuk-label ${labelClassName ?? ""}`.trim()} htmlFor={id}>
        {label}
      </label>
      <HintAndError name={id} hint={hint} error={error} />
      {children(describedBy)}
    </div>
  );
}

export function TextInput({
  name,
  id = name,
  label,
  error,
  hint,
  defaultValue,
  type = "text",
  autoComplete,
  width,
  spellCheck,
}: {
  name: string;
  id?: string;
  label: string;
  error?: string;
  hint?: string;
  defaultValue?: string | null;
  type?: "text" | "email" | "password" | "search";
  autoComplete?: string;
  width?: "10" | "20" | "30";
  spellCheck?: boolean;
}) {
  return (
    <Field name={name} id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <input
          className={`govuk-input${width ? ` govuk-input--width-${width}` : ""}${error ? " govuk-input--error" : ""}`}
          id={id}
          name={name}
          type={type}
          defaultValue={defaultValue ?? undefined}
          autoComplete={autoComplete}
          spellCheck={spellCheck}
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );
}

export function Textarea({
  name,
  id = name,
  label,
  error,
  hint,
  defaultValue,
  rows = 3,
  required,
}: {
  name: string;
  id?: string;
  label: string;
  error?: string;
  hint?: string;
  defaultValue?: string | null;
  rows?: number;
  /** Marks the box as needed (aria-required), for a field that is needed only in some cases; no browser validation. */
  required?: boolean;
}) {
  return (
    <Field name={name} id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <textarea
          className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
          id={id}
          name={name}
          rows={rows}
          defaultValue={defaultValue ?? undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
        />
      )}
    </Field>
  );
}

export function Select({
  name,
  label,
  options,
  error,
  hint,
  defaultValue,
}: {
  name: string;
  label: string;
  options: { value: string; text: string }[];
  error?: string;
  hint?: string;
  defaultValue?: string | null;
}) {
  return (
    <Field name={name} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <select
          className={`govuk-select${error ? " govuk-select--error" : ""}`}
          id={name}
          name={name}
          defaultValue={defaultValue ?? ""}
          aria-describedby={describedBy}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** GOV.UK radios in a fieldset; the first radio has the field's id, so the error summary link lands on it. */
export function Radios({
  name,
  legend,
  options,
  defaultValue,
  error,
  hint,
}: {
  name: string;
  legend: string;
  options: { value: string; text: string; hint?: string }[];
  defaultValue?: string | null;
  error?: string;
  hint?: string;
}) {
  const describedBy = describedByFor(name, hint, error);
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <HintAndError name={name} hint={hint} error={error} />
        <div className="govuk-radios" data-module="govuk-radios">
          {options.map((option, i) => {
            const id = i === 0 ? name : `${name}-${i + 1}`;
            return (
              <div key={option.value} className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={option.value}
                  defaultChecked={option.value === defaultValue}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {option.text}
                </label>
                {option.hint ? (
                  <div id={`${id}-item-hint`} className="govuk-hint govuk-radios__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/**
 * GOV.UK checkboxes in a fieldset, all with the same name (the form sends each ticked value); the first checkbox
 * has the field's id, so the error summary link lands on it.
 */
export function Checkboxes({
  name,
  legend,
  options,
  defaultValues,
  error,
  hint,
  small,
}: {
  name: string;
  legend: string;
  options: { value: string; text: string; hint?: string }[];
  defaultValues?: readonly string[] | null;
  error?: string;
  hint?: string;
  /** The smaller checkboxes (govuk-checkboxes--small), for a long list or a form within a page. */
  small?: boolean;
}) {
  const describedBy = describedByFor(name, hint, error);
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <HintAndError name={name} hint={hint} error={error} />
        <div className={`govuk-checkboxes${small ? " govuk-checkboxes--small" : ""}`} data-module="govuk-checkboxes">
          {options.map((option, i) => {
            const id = i === 0 ? name : `${name}-${i + 1}`;
            return (
              <div key={option.value} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={id}
                  name={name}
                  type="checkbox"
                  value={option.value}
                  defaultChecked={defaultValues?.includes(option.value) ?? false}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {option.text}
                </label>
                {option.hint ? (
                  <div id={`${id}-item-hint`} className="govuk-hint govuk-checkboxes__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** A GOV.UK notification banner, for the result of what the user just did. */
export function NotificationBanner({ title = "Success", children, success = true }: { title?: string; children: ReactNode; success?: boolean }) {
  return (
    <div
      className={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
      role={success ? "alert" : "region"}
      aria-labelledby="notification-banner-title"
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="notification-banner-title">
          {title}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">{children}</div>
    </div>
  );
}
