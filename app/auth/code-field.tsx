/** The field where a person types a code from their authenticator app (or a recovery code, where one is allowed). */
import { Field } from "~/ui/form";

export function CodeField({
  name = "code",
  id = name,
  label = "Code from your authenticator app",
  hint = "The 6-digit code your app shows now",
  error,
}: {
  name?: string;
  id?: string;
  label?: string;
  hint?: string;
  error?: string;
}) {
  return (
    <Field name={name} id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <input
          className={`govuk-input govuk-input--width-20${error ? " govuk-input--error" : ""}`}
          id={id}
          name={name}
          type="text"
          autoComplete="one-time-code"
          spellCheck={false}
          autoCapitalize="none"
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );
}
