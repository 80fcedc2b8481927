/** The header row of a GOV.UK table. A heading given as `{ hidden }` is read out but not shown (e.g. "Actions"). */
export function TableHead({ headings }: { headings: (string | { hidden: string })[] }) {
  return (
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        {headings.map((heading) =>
          typeof heading === "string" ? (
            <th key={heading} scope="col" className="govuk-table__header">
              {heading}
            </th>
          ) : (
            <th key={heading.hidden} scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">{heading.hidden}</span>
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
