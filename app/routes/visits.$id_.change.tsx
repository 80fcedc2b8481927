import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import {
  breachesOfChange,
  CHANGE_REASON_MAX,
  changeVisit,
  recordScheduleViewed,
  ScheduleError,
  ScheduleNotFound,
  teamChoices,
  VisitChangedError,
  visitView,
  type ScheduleFieldErrors,
  type VisitView,
} from "~/scheduling/schedule.server";
import { TeamList } from "~/scheduling/visit-display";
import { formatCalendarDateWithWeekday } from "~/ui/dates";
import { DateInput, datePartsFrom, datePartsOf, isoFromParts, type DateParts } from "~/ui/date-input";
import { ErrorSummary, NotificationBanner, Select, Textarea } from "~/ui/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Change the visit to ${data?.visit.trustName ?? "a trust"} – Deep Dive` }];

const SKILL_LABELS: Record<string, string> = { technical_testing: "technical testing", governance_risk: "governance and risk" };

/** Programme leads only; everyone else 404. Opening the form is a view of the visit, so it is audited. */
export function loader(args: LoaderFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const visit = visitView(args.params.id ?? "");
  if (!visit || visit.status === "cancelled") throw notFound();
  recordScheduleViewed({ visitId: visit.id, page: "visit-change" }, actorFor(lead, args.context));
  const current = currentChange(visit);
  return {
    visit,
    inspectors: teamChoices().map((i) => ({ value: i.id, text: `${i.name}, ${i.regionName} (${i.skills.map((s) => SKILL_LABELS[s] ?? s).join(", ")})` })),
    // The rules the visit breaks as it stands (leave or a conflict of interest may have been added since planning).
    breachesNow: visit.status === "completed" ? [] : breachesOfChange(visit.id, current).map((b) => b.message),
    reasonMax: CHANGE_REASON_MAX,
    changed: new URL(args.request.url).searchParams.get("done") === "changed",
  };
}

function currentChange(visit: VisitView) {
  return {
    date: visit.date,
    leadId: visit.team.find((m) => m.role === "lead")?.id ?? "",
    memberIds: visit.team.filter((m) => m.role === "member").map((m) => m.id),
  };
}

interface Values {
  date: DateParts;
  leadId: string;
  member1: string;
  member2: string;
  reason: string;
}
type ActionData =
  | { outcome: "refused"; errors: ScheduleFieldErrors; breaches: string[]; values: Values }
  | { outcome: "checked"; breaches: string[]; values: Values }
  | { outcome: "conflict"; current: VisitView; values: Values };

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const visitId = args.params.id ?? "";
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const values: Values = {
    date: datePartsFrom(form, "date"),
    leadId: field("leadId", 100),
    member1: field("member1", 100),
    member2: field("member2", 100),
    reason: field("reason", CHANGE_REASON_MAX + 1000),
  };
  const date = isoFromParts(values.date);
  const change = { date, leadId: values.leadId, memberIds: [values.member1, values.member2].filter(Boolean) };
  try {
    if (field("intent", 10) === "check") {
      if (!visitView(visitId)) throw notFound();
      const breaches = /^\d{4}-\d{2}-\d{2}$/.test(date) ? breachesOfChange(visitId, change).map((b) => b.message) : ["Enter a real date for the visit"];
      return data<ActionData>({ outcome: "checked", breaches, values });
    }
    changeVisit(visitId, { ...change, reason: values.reason, version: Number(field("version", 20)) }, actorFor(lead, args.context));
    return redirect(`/visits/${encodeURIComponent(visitId)}/change?done=changed`);
  } catch (error) {
    if (error instanceof ScheduleNotFound) throw notFound();
    if (error instanceof VisitChangedError) return data<ActionData>({ outcome: "conflict", current: error.current, values }, { status: 409 });
    if (error instanceof ScheduleError) {
      return data<ActionData>({ outcome: "refused", errors: error.fieldErrors, breaches: error.breaches.map((b) => b.message), values }, { status: 400 });
    }
    throw error;
  }
}

export default function ChangeVisit() {
  const { visit, inspectors, breachesNow, reasonMax, changed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values;
  const current = currentChange(visit);
  const errors = result?.outcome === "refused" ? result.errors : undefined;
  const breaches = result?.outcome === "refused" ? result.breaches : [];
  const memberOptions = [{ value: "", text: "No one" }, ...inspectors];
  const editable = visit.status === "proposed" || visit.status === "scheduled";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to={`/visits/${visit.id}`} className="govuk-back-link">
          Back to the visit
        </Link>
        {changed && !result ? (
          <NotificationBanner>
            <p className="govuk-notification-banner__heading">Visit changed</p>
          </NotificationBanner>
        ) : null}
        {result?.outcome === "conflict" ? (
          <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} role="alert">
            <h2 className="govuk-error-summary__title">Someone else changed this visit</h2>
            <div className="govuk-error-summary__body">
              <p className="govuk-body">Your change was not saved. The visit now is:</p>
              <p className="govuk-body">{formatCalendarDateWithWeekday(result.current.date)}</p>
              <TeamList team={result.current.team} />
              <p className="govuk-body govuk-!-margin-top-4">The form below still holds your change. Check it against the visit above and save again if it is still right.</p>
            </div>
          </div>
        ) : null}
        <ErrorSummary
          errors={{ date: errors?.date, leadId: errors?.leadId, member1: errors?.memberIds, reason: errors?.reason, "change-form": errors?.schedule }}
          items={breaches.map((text) => ({ field: "breaches", text }))}
          description={breaches.length ? "This change would break the rules below, so it was not saved." : undefined}
        />
        <span className="govuk-caption-l">{visit.trustName}</span>
        <h1 className="govuk-heading-l">Change the visit</h1>
        <p className="govuk-body">
          {`Now: ${formatCalendarDateWithWeekday(visit.date)}, with `}
          {visit.team.map((m) => `${m.name}${m.role === "lead" ? " (lead)" : ""}`).join(" and ")}.
        </p>
        {breachesNow.length > 0 ? (
          <div className="govuk-inset-text">
            <p className="govuk-body">As it stands, this visit breaks these rules:</p>
            <ul className="govuk-list govuk-list--bullet">
              {breachesNow.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        ) : null}

        {result?.outcome === "checked" ? (
          <div className="govuk-inset-text" id="check-result" role="status">
            {result.breaches.length === 0 ? (
              <p className="govuk-body">This change keeps every rule. It has not been saved yet.</p>
            ) : (
              <>
                <p className="govuk-body">This change would break these rules:</p>
                <ul className="govuk-list govuk-list--bullet">
                  {result.breaches.map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ) : null}

        {breaches.length > 0 ? (
          <div id="breaches" tabIndex={-1} className="govuk-inset-text">
            <p className="govuk-body">This change would break these rules:</p>
            <ul className="govuk-list govuk-list--bullet govuk-error-message">
              {breaches.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        ) : null}

        {editable ? (
          <Form method="post" noValidate id="change-form" key={result?.outcome === "conflict" ? `v${result.current.version}` : "form"}>
            <input type="hidden" name="version" value={result?.outcome === "conflict" ? result.current.version : visit.version} />
            <DateInput name="date" legend="Date of the visit" hint="A working day in the round's period, for example 14 1 2027" value={values?.date ?? datePartsOf(current.date)} error={errors?.date} />
            <Select name="leadId" label="Lead inspector" options={[{ value: "", text: "Choose the lead" }, ...inspectors]} defaultValue={values?.leadId ?? current.leadId} error={errors?.leadId} />
            <Select name="member1" label="Team member" options={memberOptions} defaultValue={values?.member1 ?? current.memberIds[0] ?? ""} error={errors?.memberIds} />
            <Select name="member2" label="Second team member (optional)" options={memberOptions} defaultValue={values?.member2 ?? current.memberIds[1] ?? ""} />
            <Textarea
              name="reason"
              label="Reason for the change"
              hint={`${visit.status === "scheduled" ? "Required: the team has already been told of this visit." : "Optional."} ${reasonMax} characters or fewer; kept in the audit trail.`}
              defaultValue={values?.reason}
              error={errors?.reason}
            />
            <div className="govuk-button-group">
              <button type="submit" name="intent" value="save" className="govuk-button" data-module="govuk-button">
                Save the change
              </button>
              <button type="submit" name="intent" value="check" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Check the rules without saving
              </button>
            </div>
          </Form>
        ) : (
          <p className="govuk-body">{`This visit is ${visit.status} and can no longer change.`}</p>
        )}
      </div>
    </div>
  );
}
