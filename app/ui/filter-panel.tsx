/**
 * The filter panel beside a list: a GET form, so a filtered list is in the address (it can be bookmarked and works
 * without JavaScript), with "Apply filters" and a "Clear filters" link back to the unfiltered list.
 */
import { Form, Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";

export function FilterPanel({ action, label, children }: { action: string; label: string; children: ReactNode }) {
  const location = useLocation();
  return (
    // Keyed by the query, so the fields show the filters in force after back and forward.
    <Form method="get" action={action} className="app-filter-panel" key={location.search} role="search" aria-label={label}>
      <h2 className="govuk-heading-s">Filter</h2>
      {children}
      <div className="govuk-button-group">
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Apply filters
        </button>
        <Link to={action} className="govuk-link govuk-link--no-visited-state">
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
