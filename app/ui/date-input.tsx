/** The GOV.UK date input (day, month, year boxes), and reading it back from a submitted form. */

export const DATE_PARTS = ["day", "month", "year"] as const;
export type DateParts = Record<(typeof DATE_PARTS)[number], string>;

const capitalised = (part: string) => part[0]!.toUpperCase() + part.slice(1);

/** The three boxes of date input `name` (fields nameDay, nameMonth, nameYear), each capped at 10 characters. */
export function datePartsFrom(form: FormData, name: string): DateParts {
  const field = (suffix: string) => {
    const value = form.get(`${name}${suffix}`);
    return typeof value === "string" ? value.slice(0, 10) : "";
  };
  return { day: field("Day"), month: field("Month"), year: field("Year") };
}

/** The boxes showing a yyyy-mm-dd date (for a form that starts filled in). */
export function datePartsOf(isoDate: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? "");
  return match ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1]! } : { day: "", month: "", year: "" };
}

/** yyyy-mm-dd from the three boxes: "" when all are blank, and something that is not a date when any is not a number. */
export function isoFromParts(parts: DateParts): string {
  if (DATE_PARTS.every((p) => parts[p].trim() === "")) return "";
  if (!DATE_PARTS.every((p) => /^\d{1,4}$/.test(parts[p].trim()))) return "not a date";
  const [d, m, y] = [parts.day.trim(), parts.month.trim(), parts.year.trim()];
  if (y.length !== 4) return "not a date";
  return `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
}

/** `id`: the first box's id, and the prefix of the others' (by default `name`), when several forms share a page. */
export function DateInput({ name, id: baseId = name, legend, hint, error, value }: { name: string; id?: string; legend: string; hint: string; error?: string; value?: DateParts }) {
  const describedBy = [`${baseId}-hint`, error ? `${baseId}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div id={`${baseId}-hint`} className="govuk-hint">
          {hint}
        </div>
        {error ? (
          <p id={`${baseId}-error`} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className="govuk-date-input">
          {DATE_PARTS.map((part, i) => {
            // The first box carries the field's id, so the error summary's link lands on it.
            const id = i === 0 ? baseId : `${baseId}-${part}`;
            return (
              <div className="govuk-date-input__item" key={part}>
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={id}>
                    {capitalised(part)}
                  </label>
                  <input
                    className={`govuk-input govuk-date-input__input govuk-input--width-${part === "year" ? "4" : "2"}${error ? " govuk-input--error" : ""}`}
                    id={id}
                    name={`${name}${capitalised(part)}`}
                    type="text"
                    inputMode="numeric"
                    defaultValue={value?.[part] ?? ""}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
