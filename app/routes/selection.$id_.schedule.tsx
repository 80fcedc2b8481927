import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { loadHolidaySet } from "~/scheduling/bank-holidays.server";
import { monthCalendar } from "~/scheduling/month-calendar";
import {
  acceptSchedule,
  discardProposals,
  planSchedule,
  recordScheduleViewed,
  ScheduleError,
  ScheduleNotFound,
  scheduleView,
  type ScheduleView,
} from "~/scheduling/schedule.server";
import { formatCalendarDate, formatCalendarDateWithWeekday, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Radios } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
import { TableHead } from "~/ui/table";
import { WarningText } from "~/ui/warning-text";
import { TeamList, VisitStatusTag } from "~/scheduling/visit-display";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Visits – ${data?.schedule.round.name ?? "Round"} – Deep Dive` }];

const DONE_MESSAGES = {
  planned: "Visits planned. They are proposals: only programme leads see them until you accept them",
  accepted: "Schedule accepted. Each team now sees its visits in My visits and in their calendar feed",
  discarded: "Proposed visits discarded",
  changed: "Visit changed",
} as const;

type View = "table" | "calendar";

/** The schedule is confidential: programme leads only, everyone else 404; every view is audited. */
export function loader(args: LoaderFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const schedule = scheduleView(id);
  if (!schedule) throw notFound();
  const params = new URL(args.request.url).searchParams;
  const view: View = params.get("view") === "calendar" ? "calendar" : "table";
  recordScheduleViewed({ roundId: id, page: view === "calendar" ? "schedule-calendar" : "schedule" }, actorFor(lead, args.context));
  const done = params.get("done");
  const holidays = loadHolidaySet();
  return {
    schedule,
    view,
    calendar:
      view === "calendar"
        ? monthCalendar(
            { start: schedule.round.periodStart, end: schedule.round.periodEnd },
            schedule.visits.map((v) => ({ date: v.date, id: v.id, trustCode: v.trustCode, trustName: v.trustName, status: v.status, breaches: v.breaches.length })),
            holidays,
          )
        : [],
    done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
  };
}

type Intent = "plan" | "accept" | "discard";
type ActionData = { errors: Partial<Record<"schedule" | "teamSize", string>>; breaches: string[] };

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const form = await args.request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, 20) : "";
  };
  const actor = actorFor(lead, args.context);
  const intent = field("intent") as Intent;
  const done = (what: keyof typeof DONE_MESSAGES) => redirect(`/selection/${encodeURIComponent(id)}/schedule?done=${what}`);
  try {
    switch (intent) {
      case "plan":
        planSchedule(id, field("teamSize"), actor);
        return done("planned");
      case "accept":
        acceptSchedule(id, actor);
        return done("accepted");
      case "discard":
        discardProposals(id, actor);
        return done("discarded");
      default:
        if (!scheduleView(id)) throw notFound();
        return data<ActionData>({ errors: { schedule: "Choose what to do with the schedule" }, breaches: [] }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof ScheduleNotFound) throw notFound();
    if (error instanceof ScheduleError) {
      return data<ActionData>(
        { errors: { schedule: error.fieldErrors.schedule ?? (error.breaches.length ? undefined : error.message), teamSize: error.fieldErrors.teamSize }, breaches: error.breaches.map((b) => b.message) },
        { status: 400 },
      );
    }
    throw error;
  }
}

const STATUS_TEXT: Record<ScheduleView["status"], { text: string; className: string }> = {
  "not-planned": { text: "Not planned", className: "govuk-tag--grey" },
  proposed: { text: "Proposed: not yet accepted", className: "govuk-tag--yellow" },
  accepted: { text: "Accepted", className: "govuk-tag--green" },
};

export default function SchedulePage() {
  const { schedule, view, calendar, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const { round } = schedule;
  const proposed = schedule.visits.filter((v) => v.status === "proposed").length;
  const withBreaches = schedule.visits.filter((v) => v.breaches.length > 0).length;
  const canPlan = round.status !== "open" && schedule.unplaced.length > 0;
  const status = STATUS_TEXT[schedule.status];
  const errorItems = [
    ...(errors?.schedule ? [{ field: "schedule-actions", text: errors.schedule }] : []),
    ...(errors?.teamSize ? [{ field: "teamSize", text: errors.teamSize }] : []),
    ...(actionData?.breaches ?? []).map((text) => ({ field: "visits", text })),
  ];
  return (
    <>
      <Link to={`/selection/${round.id}`} className="govuk-back-link">
        Back to the round
      </Link>
      {done && !actionData ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary items={errorItems} description={actionData?.breaches.length ? "Some proposed visits break a rule. Change them, then accept the schedule." : undefined} />
      <span className="govuk-caption-l">{round.name}</span>
      <h1 className="govuk-heading-l">Visits</h1>

      <WarningText>Confidential: visits are unannounced. Never tell a trust, or anyone outside the programme, when or whether it will be visited.</WarningText>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <SummaryRow label="Status">
              <strong className={`govuk-tag ${status.className}`}>{status.text}</strong>
            </SummaryRow>
            <SummaryRow label="Period">
              {formatCalendarDate(round.periodStart)} to {formatCalendarDate(round.periodEnd)}
            </SummaryRow>
            <SummaryRow label="Visits">{`${schedule.visits.length} planned, ${schedule.unplaced.length} not yet planned`}</SummaryRow>
            <SummaryRow label="Bank holidays in the period">
              {schedule.holidays.length === 0 ? "None" : schedule.holidays.map((d) => formatCalendarDate(d)).join(", ")}
            </SummaryRow>
            {schedule.plannedAt ? <SummaryRow label="Last planned">{formatDateTime(schedule.plannedAt)}</SummaryRow> : null}
            {schedule.acceptedAt ? <SummaryRow label="Last accepted">{formatDateTime(schedule.acceptedAt)}</SummaryRow> : null}
            <SummaryRow label="Inspectors available to plan">
              {`${schedule.inspectorsWithProfile}`}
              {schedule.inspectorsWithoutProfile > 0 ? (
                <>
                  {` (${schedule.inspectorsWithoutProfile} more have no profile yet and are left out: `}
                  <Link className="govuk-link" to="/inspectors">
                    see inspectors
                  </Link>
                  )
                </>
              ) : null}
            </SummaryRow>
          </dl>
        </div>
      </div>

      <div id="schedule-actions" tabIndex={-1}>
        {round.status === "open" ? <p className="govuk-body">Draw the round before planning its visits.</p> : null}
        {canPlan ? (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="plan" />
            <h2 className="govuk-heading-m">Plan visits</h2>
            <p className="govuk-body">
              Plans a date and a team for each of the {schedule.unplaced.length} trusts without a visit. Visits already planned stay as they are. Every visit
              is on a working day in the period, with a team free that day, within their weekly limits, not on leave, without a conflict of interest, and
              with someone who does technical testing. Among equally good days the date is chosen at random from a secret seed, so visits follow no
              pattern.
            </p>
            <Radios
              name="teamSize"
              legend="People in each team"
              options={[
                { value: "2", text: "2 (a lead and a member)" },
                { value: "3", text: "3 (a lead and two members)" },
              ]}
              defaultValue={String(schedule.teamSize)}
              error={errors?.teamSize}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Plan visits
            </button>
          </Form>
        ) : null}
        {proposed > 0 ? (
          <>
            <h2 className="govuk-heading-m">Accept the schedule</h2>
            <p className="govuk-body">
              {`${proposed} proposed ${proposed === 1 ? "visit is" : "visits are"} seen only by programme leads. Accepting checks every rule again and then shows each team its visits.`}
            </p>
            {withBreaches > 0 ? <WarningText>{`${withBreaches} ${withBreaches === 1 ? "visit breaks" : "visits break"} a rule: change ${withBreaches === 1 ? "it" : "them"} before accepting.`}</WarningText> : null}
            <div className="govuk-button-group">
              <Form method="post">
                <input type="hidden" name="intent" value="accept" />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Accept the schedule
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="discard" />
                <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                  Discard proposed visits
                </button>
              </Form>
            </div>
          </>
        ) : null}
      </div>

      <h2 className="govuk-heading-m" id="visits" tabIndex={-1}>
        Planned visits
      </h2>
      <nav className="app-view-switch" aria-label="Show the visits as">
        <ul className="govuk-list app-view-switch__list">
          <li>
            {view === "table" ? (
              <span aria-current="page">Table</span>
            ) : (
              <Link className="govuk-link" to="?view=table">
                Table
              </Link>
            )}
          </li>
          <li>
            {view === "calendar" ? (
              <span aria-current="page">Month calendar</span>
            ) : (
              <Link className="govuk-link" to="?view=calendar">
                Month calendar
              </Link>
            )}
          </li>
        </ul>
      </nav>

      {schedule.visits.length === 0 ? (
        <p className="govuk-body">No visits planned yet.</p>
      ) : view === "table" ? (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Visits, by date</caption>
            <TableHead headings={["Date", "Trust", "Team", "Status", "Rules", { hidden: "Actions" }]} />
            <tbody className="govuk-table__body">
              {schedule.visits.map((v) => (
                <tr className="govuk-table__row" key={v.id}>
                  <td className="govuk-table__cell">{formatCalendarDateWithWeekday(v.date)}</td>
                  <th scope="row" className="govuk-table__header">
                    {v.trustName} ({v.trustCode})<span className="govuk-body-s govuk-!-display-block govuk-!-margin-0">{v.regionName}</span>
                  </th>
                  <td className="govuk-table__cell">
                    <TeamList team={v.team} />
                  </td>
                  <td className="govuk-table__cell">
                    <VisitStatusTag status={v.status} />
                  </td>
                  <td className="govuk-table__cell">
                    {v.breaches.length === 0 ? (
                      "Keeps every rule"
                    ) : (
                      <ul className="govuk-list govuk-error-message govuk-!-margin-0">
                        {v.breaches.map((b) => (
                          <li key={b}>{b}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" to={`/visits/${v.id}`}>
                      View<span className="govuk-visually-hidden"> the visit to {v.trustName}</span>
                    </Link>
                    {v.status === "proposed" || v.status === "scheduled" ? (
                      <>
                        {" "}
                        <Link className="govuk-link" to={`/visits/${v.id}/change`}>
                          Change<span className="govuk-visually-hidden"> the visit to {v.trustName}</span>
                        </Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        calendar.map((month) => (
          <div className="app-table-wrapper" key={month.month}>
            <table className="govuk-table app-month-calendar">
              <caption className="govuk-table__caption govuk-table__caption--m">{monthName(month.month)}</caption>
              <TableHead headings={["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]} />
              <tbody className="govuk-table__body">
                {month.weeks.map((week) => (
                  <tr className="govuk-table__row" key={week[0]!.date}>
                    {week.map((day) => (
                      <td key={day.date} className={`govuk-table__cell${day.inMonth && day.inPeriod ? "" : " app-month-calendar__outside"}`}>
                        {day.inMonth ? (
                          <>
                            <span className="app-month-calendar__day">
                              {day.day}
                              <span className="govuk-visually-hidden"> {monthName(month.month)}</span>
                            </span>
                            {day.holiday ? <span className="govuk-body-s govuk-!-display-block">Bank holiday</span> : null}
                            {day.items.length > 0 ? (
                              <ul className="govuk-list govuk-body-s govuk-!-margin-0">
                                {day.items.map((item) => (
                                  <li key={item.id}>
                                    <Link className="govuk-link" to={`/visits/${item.id}`}>
                                      {item.trustName}
                                    </Link>
                                    {item.status === "proposed" ? " (proposed)" : ""}
                                    {item.breaches > 0 ? <strong className="govuk-error-message govuk-!-margin-0"> Breaks a rule</strong> : null}
                                  </li>
                                ))}
                              </ul>
                            ) : null}
                          </>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}

      {schedule.unplaced.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Trusts without a visit</h2>
          <div className="app-table-wrapper">
            <table className="govuk-table govuk-table--small-text-until-tablet">
              <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Trusts in the round without a visit, and why</caption>
              <TableHead headings={["Trust", "Why not planned"]} />
              <tbody className="govuk-table__body">
                {schedule.unplaced.map((u) => (
                  <tr className="govuk-table__row" key={u.trustCode}>
                    <th scope="row" className="govuk-table__header">
                      {u.trustName} ({u.trustCode})
                    </th>
                    <td className="govuk-table__cell">
                      <ul className="govuk-list govuk-!-margin-0">
                        {u.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {schedule.cancelled.length > 0 ? (
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">{`Cancelled visits (${schedule.cancelled.length})`}</span>
          </summary>
          <div className="govuk-details__text">
            <ul className="govuk-list">
              {schedule.cancelled.map((v) => (
                <li key={v.id}>{`${v.trustName} (${v.trustCode}), was ${formatCalendarDateWithWeekday(v.date)}`}</li>
              ))}
            </ul>
          </div>
        </details>
      ) : null}
    </>
  );
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const monthName = (yyyyMm: string) => `${MONTHS[Number(yyyyMm.slice(5, 7)) - 1]} ${yyyyMm.slice(0, 4)}`;
