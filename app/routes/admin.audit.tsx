import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import {
  AUDIT_PAGE_SIZE,
  auditChainStatus,
  auditFilterOptions,
  parseAuditQuery,
  queryAuditEvents,
  type AuditFilters,
} from "~/audit/audit-query.server";
import { requireRole } from "~/auth/guards.server";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Select, TextInput } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Audit trail – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  const { filters, page: requestedPage, errors } = parseAuditQuery(new URL(args.request.url).searchParams);
  const { events, total, page, pageCount } = queryAuditEvents(filters, requestedPage, AUDIT_PAGE_SIZE);
  const first = (page - 1) * AUDIT_PAGE_SIZE + 1;
  return {
    filters,
    errors,
    events: events.map((event) => ({ ...event, summaryLines: summaryLines(event.summary) })),
    total,
    page,
    pageCount,
    shown: events.length > 0 ? { first, last: first + events.length - 1 } : null,
    options: auditFilterOptions(),
    chain: auditChainStatus(),
  };
}

/** The query string for a page of the same filtered list. */
function pageHref(filters: AuditFilters, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : "/admin/audit";
}

/** A select's options, keeping a value that came in the URL even if it is not (or no longer) in the list. */
function selectOptions(anyText: string, values: string[], current: string | undefined) {
  const all = current && !values.includes(current) ? [current, ...values] : values;
  return [{ value: "", text: anyText }, ...all.map((v) => ({ value: v, text: v }))];
}

/** The summary is stored as JSON text: shown as one "key: value" line per top-level field, or as it is. */
function summaryLines(summary: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(summary);
  } catch {
    return [summary];
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [summary];
  return Object.entries(parsed).map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

export default function AuditTrail() {
  const { filters, errors, events, total, page, pageCount, shown, options, chain } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="govuk-heading-l">Audit trail</h1>
      {chain.ok ? (
        <p className="govuk-body" id="chain-status">
          <strong className="govuk-tag govuk-tag--green">Intact</strong> Chain verified: {chain.checked} events, intact
        </p>
      ) : (
        <NotificationBanner title="Important" success={false}>
          <p className="govuk-notification-banner__heading" id="chain-status">
            Chain broken at event {chain.brokenAt}: {chain.reason}
          </p>
          <p className="govuk-body">
            An event has been changed or removed outside the service. Export the trail with <code>npm run audit:export</code> and investigate.
          </p>
        </NotificationBanner>
      )}

      <div className="app-filter-panel">
        <Form method="get">
          <h2 className="govuk-heading-m">Filter events</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <Select name="action" label="Action" options={selectOptions("Any action", options.actions, filters.action)} defaultValue={filters.action} />
              <TextInput name="actor" label="Actor" hint="All or part of an email address" type="search" spellCheck={false} defaultValue={filters.actor} />
              <Select
                name="objectType"
                label="Object type"
                options={selectOptions("Any object type", options.objectTypes, filters.objectType)}
                defaultValue={filters.objectType}
              />
            </div>
            <div className="govuk-grid-column-one-half">
              <TextInput name="objectId" label="Object ID" spellCheck={false} defaultValue={filters.objectId} />
              <TextInput name="from" label="From date" hint="For example, 2026-03-27 (UK time)" width="10" defaultValue={filters.from} error={errors.from} />
              <TextInput name="to" label="To date" hint="The last day to include, for example, 2026-03-28" width="10" defaultValue={filters.to} error={errors.to} />
            </div>
          </div>
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Apply filters
            </button>
            {filtered ? (
              <Link className="govuk-link" to="/admin/audit">
                Clear filters
              </Link>
            ) : null}
          </div>
        </Form>
      </div>

      <div className="app-table-wrapper">
        <table className="govuk-table govuk-!-font-size-16">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {!shown
              ? filtered
                ? "No events match these filters"
                : "No events"
              : `${filtered ? "Matching events" : "Events"}, newest first: ${shown.first} to ${shown.last} of ${total}`}
          </caption>
          <TableHead headings={["Event", "Time", "Actor", "Client address", "Action", "Object", "Summary"]} />
          <tbody className="govuk-table__body">
            {events.map((event) => (
              <tr key={event.seq} className="govuk-table__row">
                <td className="govuk-table__cell">{event.seq}</td>
                <td className="govuk-table__cell">
                  <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                </td>
                <td className="govuk-table__cell">{event.actorLabel}</td>
                <td className="govuk-table__cell">{event.clientAddress ?? ""}</td>
                <td className="govuk-table__cell">{event.action}</td>
                <td className="govuk-table__cell">
                  {event.objectType ?? ""}
                  {event.objectId ? (
                    <>
                      {" "}
                      {event.objectType === "user" ? (
                        <Link className="govuk-link" to={`/admin/users/${encodeURIComponent(event.objectId)}`}>
                          {event.objectId}
                        </Link>
                      ) : (
                        event.objectId
                      )}
                    </>
                  ) : null}
                </td>
                <td className="govuk-table__cell">
                  {event.summaryLines.map((line, i) => (
                    <Fragment key={i}>
                      {i > 0 ? <br /> : null}
                      {line}
                    </Fragment>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {pageCount > 1 ? (
        <nav className="govuk-pagination govuk-pagination--block" aria-label="Pagination">
          {page > 1 ? (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" to={pageHref(filters, page - 1)} rel="prev">
                <svg className="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
                  <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path>
                </svg>
                <span className="govuk-pagination__link-title">
                  Previous<span className="govuk-visually-hidden"> page</span>
                </span>
                <span className="govuk-visually-hidden">:</span>
                <span className="govuk-pagination__link-label">Newer events</span>
              </Link>
            </div>
          ) : null}
          {page < pageCount ? (
            <div className="govuk-pagination__next">
              <Link className="govuk-link govuk-pagination__link" to={pageHref(filters, page + 1)} rel="next">
                <svg className="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
                  <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>
                </svg>
                <span className="govuk-pagination__link-title">
                  Next<span className="govuk-visually-hidden"> page</span>
                </span>
                <span className="govuk-visually-hidden">:</span>
                <span className="govuk-pagination__link-label">Older events</span>
              </Link>
            </div>
          ) : null}
        </nav>
      ) : null}
      <p className="govuk-body-s">
        Page {page} of {pageCount}. Times are UK time.
      </p>
    </>
  );
}
