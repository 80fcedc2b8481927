/** The GOV.UK file upload form of the import pages (one CSV file, checked first or imported), and how a refused file is shown. */
import { Form, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field } from "./form";

/**
 * A multipart form with the file field `file` (label, hint, error message) and its submit buttons, disabled while
 * the form is submitting. By default, for the CSV imports, two buttons named `intent`: "Check the file" (check) and
 * "Import" (import); `accept` and `buttons` change the file types offered and the buttons. Give it a new `key`
 * after a successful check or import, so the file field is emptied.
 */
export function FileUploadForm({
  label,
  hint,
  error,
  accept = ".csv,text/csv",
  buttons = [
    { intent: "check", text: "Check the file", secondary: true },
    { intent: "import", text: "Import" },
  ],
}: {
  label: string;
  hint: string;
  error?: string;
  accept?: string;
  buttons?: { intent: string; text: string; secondary?: boolean }[];
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      <Field name="file" label={label} hint={hint} error={error} labelClassName="govuk-label--m">
        {(describedBy) => (
          <input
            className={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
            id="file"
            name="file"
            type="file"
            accept={accept}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <div className="govuk-button-group">
        {buttons.map((b) => (
          <button
            key={b.intent}
            type="submit"
            name="intent"
            value={b.intent}
            className={`govuk-button${b.secondary ? " govuk-button--secondary" : ""}`}
            data-module="govuk-button"
            disabled={busy}
          >
            {b.text}
          </button>
        ))}
      </div>
    </Form>
  );
}

/** A file the server refused: its first few problems ("Line 3: …") and how many there are in all. */
export interface RefusedFile {
  problems: string[];
  totalErrors: number;
}

/** "3 problems": each page counts in its own way. */
type Plural = (n: number, one: string) => string;

/** The error message at the file field: the one problem, or how many there are. */
export function refusedFileError(refused: RefusedFile, plural: Plural): string {
  return refused.totalErrors === 1 && refused.problems[0]
    ? refused.problems[0]
    : `The selected file has ${plural(refused.totalErrors, "problem")}: correct the file and select it again`;
}

/**
 * The error summary for a refused file: each listed problem links to the file field, then "and 5 more problems"
 * (followed by `unlistedNote`) when not all of them are listed.
 */
export function RefusedFileSummary({
  refused,
  description,
  plural,
  unlistedNote = "",
}: {
  refused: RefusedFile;
  description: string;
  plural: Plural;
  unlistedNote?: string;
}) {
  const unlisted = refused.totalErrors - refused.problems.length;
  return (
    <ErrorSummary
      description={description}
      items={[
        ...refused.problems.map((text) => ({ field: "file", text })),
        ...(unlisted > 0 ? [{ field: "file", text: `and ${plural(unlisted, "more problem")}${unlistedNote}` }] : []),
      ]}
    />
  );
}
