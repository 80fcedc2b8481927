import type { ReactNode } from "react";

/** One row of a GOV.UK summary list: a key and its value (given as `value` or as children). */
export function SummaryRow({ label, value, children }: { label: string; value?: ReactNode; children?: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{value ?? children}</dd>
    </div>
  );
}
