import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  createFeedToken,
  feedPath,
  hasFeed,
  recordMyVisitsViewed,
  revokeFeed,
  visitsForInspector,
  type InspectorVisit,
} from "~/scheduling/inspector-visits.server";
import { formatCalendarDateWithWeekday, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "My visits – Deep Dive" }];

/**
 * An inspector's own scheduled and completed visits, and their private calendar link
 * (docs/decisions/0011-calendar-feeds.md). Inspectors only; every view is audited with the visits it showed.
 */
export function loader(args: LoaderFunctionArgs) {
  const inspector = requireRole(args, ["inspector"]);
  const visits = visitsForInspector(inspector.id);
  recordMyVisitsViewed(inspector.id, visits, actorFor(inspector, args.context));
  return {
    inspectorId: inspector.id,
    upcoming: visits.filter((v) => v.upcoming),
    // The most recent first.
    past: visits.filter((v) => !v.upcoming).reverse(),
    feedCreatedAt: hasFeed(inspector.id),
  };
}

type ActionData = { done: "created"; feedUrl: string } | { done: "revoked" } | { done: null; error: string };

/**
 * Makes a new calendar link (replacing any old one) or turns the feed off. The new link is in this response only,
 * never in an address (it would be in the browser's history), and is not stored: only its hash is.
 */
export async function action(args: ActionFunctionArgs) {
  const inspector = requireRole(args, ["inspector"]);
  const form = await args.request.formData();
  const intent = form.get("intent");
  const actor = actorFor(inspector, args.context);
  if (intent === "create") {
    const token = createFeedToken(inspector.id, actor);
    return data<ActionData>({ done: "created", feedUrl: new URL(args.request.url).origin + feedPath(token) });
  }
  if (intent === "revoke") {
    revokeFeed(inspector.id, actor);
    return data<ActionData>({ done: "revoked" });
  }
  return data<ActionData>({ done: null, error: "Choose what to do with your calendar link" }, { status: 400 });
}

export default function MyVisitsPage() {
  const { inspectorId, upcoming, past, feedCreatedAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      {actionData?.done === "created" ? (
        <NotificationBanner title="Calendar link created">
          <p className="govuk-notification-banner__heading">Your calendar link is ready</p>
          <p className="govuk-body">
            Copy this link now: it will not be shown again. Anyone with the link can see your visits, so keep it private.
          </p>
          <p className="govuk-body">
            <code className="govuk-!-text-break-word" id="calendar-link">
              {actionData.feedUrl}
            </code>
          </p>
        </NotificationBanner>
      ) : null}
      {actionData?.done === "revoked" ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Calendar feed turned off. Your old calendar link no longer works.</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={actionData?.done === null ? { "calendar-feed": actionData.error } : undefined} />

      <h1 className="govuk-heading-l">My visits</h1>
      <p className="govuk-body">
        The visits you are on, once a programme lead has scheduled them. Visits are unannounced: do not tell anyone at the trust.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to={`/inspectors/${inspectorId}`}>
          Your profile, leave and conflicts of interest
        </Link>
      </p>

      <h2 className="govuk-heading-m">Upcoming visits</h2>
      {upcoming.length === 0 ? (
        <p className="govuk-body">You have no visits scheduled.</p>
      ) : (
        <VisitsTable visits={upcoming} caption="Upcoming visits, soonest first" withAddress />
      )}

      <h2 className="govuk-heading-m">Past visits</h2>
      {past.length === 0 ? <p className="govuk-body">You have no past visits.</p> : <VisitsTable visits={past} caption="Past visits, most recent first" />}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m" id="calendar-feed" tabIndex={-1}>
            Calendar feed
          </h2>
          <p className="govuk-body">
            You can see your visits in your own calendar by subscribing to a private calendar link. Your calendar then shows each scheduled visit as a
            confidential all-day event, and keeps up to date as visits change.
          </p>
          <ul className="govuk-list govuk-list--bullet">
            <li>Outlook: Add calendar, then Subscribe from web, and paste the link.</li>
            <li>Google Calendar: Other calendars, then From URL, and paste the link.</li>
            <li>Apple Calendar: File, then New Calendar Subscription, and paste the link.</li>
          </ul>
          <p className="govuk-body">Calendar apps check for changes every few hours, so a change can take a while to show.</p>
          {actionData?.done === null ? (
            <p className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {actionData.error}
            </p>
          ) : null}
          {feedCreatedAt ? (
            <>
              <p className="govuk-body">
                {`Your calendar link was created on ${formatDateTime(feedCreatedAt)}. It is shown only once, when it is created. If you have lost it, or think someone else has it, create a new link: the old link stops working at once.`}
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="create" />
                <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Create a new link
                </button>
              </Form>
              <p className="govuk-body">If you no longer want your visits in a calendar, turn the feed off. Your link stops working at once.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                  Turn off the calendar feed
                </button>
              </Form>
            </>
          ) : (
            <>
              <p className="govuk-body">You do not have a calendar link.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="create" />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Create a calendar link
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  );
}

const STATUS_TAGS = {
  scheduled: { text: "Scheduled", className: "govuk-tag--blue" },
  completed: { text: "Completed", className: "govuk-tag--green" },
} as const;

function VisitsTable({ visits, caption, withAddress = false }: { visits: InspectorVisit[]; caption: string; withAddress?: boolean }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet">
        <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">{caption}</caption>
        <TableHead headings={["Date", "Trust", ...(withAddress ? ["Address"] : []), "Team", ...(withAddress ? [] : ["Status"]), { hidden: "Actions" }]} />
        <tbody className="govuk-table__body">
          {visits.map((visit) => (
            <tr className="govuk-table__row" key={visit.id}>
              <th scope="row" className="govuk-table__header">
                {formatCalendarDateWithWeekday(visit.date)}
              </th>
              <td className="govuk-table__cell">{`${visit.trustName} (${visit.trustCode})`}</td>
              {withAddress ? (
                <td className="govuk-table__cell">
                  {[...visit.addressLines, ...(visit.postcode ? [visit.postcode] : [])].map((line, i, all) => (
                    <span key={i}>
                      {line}
                      {i < all.length - 1 ? <br /> : null}
                    </span>
                  ))}
                </td>
              ) : null}
              <td className="govuk-table__cell">
                <ul className="govuk-list govuk-!-margin-bottom-0">
                  {visit.team.map((member, i) => (
                    <li key={i}>{`${member.role === "lead" ? "Lead" : "Member"}: ${member.name}`}</li>
                  ))}
                </ul>
              </td>
              {withAddress ? null : (
                <td className="govuk-table__cell">
                  <strong className={`govuk-tag ${STATUS_TAGS[visit.status].className}`}>{STATUS_TAGS[visit.status].text}</strong>
                </td>
              )}
              <td className="govuk-table__cell">
                <Link className="govuk-link" to={`/visits/${visit.id}`}>
                  View visit<span className="govuk-visually-hidden">{` to ${visit.trustName} on ${formatCalendarDateWithWeekday(visit.date)}`}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
