import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireTrustUser, type GuardArgs, type TrustUser } from "~/auth/guards.server";
import { SEVERITY_LABELS } from "~/baseline/rating";
import { ACTION_NOTE_FIELD_MAX, ACTION_NOTE_MAX, ACTION_STATUS_LABELS, statusOptions, type ActionStatus, type ActionUpdateErrors } from "~/portal/action-rules";
import { ActionHistory, ActionStatusTag, OverdueTag, SeverityTag } from "~/portal/actions-display";
import { ActionNotFound, actionTrust, portalAction, updateAction } from "~/portal/actions.server";
import { DateInput, datePartsFrom, isoFromParts, type DateParts } from "~/ui/date-input";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Radios, Textarea } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.action ? `${data.action.criterionCode} action – Deep Dive` : "Page not found – Deep Dive" },
];

/**
 * Only the trust's own actions: any other id (another trust's action, or none) answers the same 404; asking for
 * another trust's action is audited as a refusal. The trust comes from the session, never from the URL.
 */
function ownActionId(args: GuardArgs & { params: LoaderFunctionArgs["params"] }, user: TrustUser): string {
  const id = args.params.id ?? "";
  const trust = actionTrust(id);
  if (trust === null) throw notFound();
  if (trust !== user.trustCode) refuse(args, user, "another trust's action");
  return id;
}

export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const id = ownActionId(args, user);
  const action = portalAction(user, id);
  if (!action) throw notFound();
  const updated = new URL(args.request.url).searchParams.get("updated") === "1";
  return { action, options: statusOptions(action.status), noteMax: ACTION_NOTE_MAX, updated };
}

type Values = { status: string; note: string; progressOn: DateParts };
type ActionData =
  | { outcome: "invalid"; errors: ActionUpdateErrors; values: Values }
  | { outcome: "conflict"; current: { status: ActionStatus; updatedAt: string | null; updatedByName: string | null }; values: Values }
  | { outcome: "incomplete"; values: Values };

export async function action(args: ActionFunctionArgs) {
  const user = requireTrustUser(args);
  const id = ownActionId(args, user);
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const values: Values = { status: field("status", 20), note: field("note", ACTION_NOTE_FIELD_MAX), progressOn: datePartsFrom(form, "progressOn") };
  const baseVersion = field("baseVersion", 12);
  if (!/^[0-9]{1,9}$/.test(baseVersion)) return data<ActionData>({ outcome: "incomplete", values }, { status: 400 });
  const actor = actorFor(user, args.context);
  try {
    const result = updateAction(
      id,
      { status: values.status, note: values.note, progressOn: isoFromParts(values.progressOn), baseVersion: Number(baseVersion) },
      { id: user.id, role: user.role, trustCode: user.trustCode, label: actor.label, clientAddress: actor.clientAddress },
    );
    if (result.outcome === "saved") return redirect(`/portal/actions/${id}?updated=1`);
    if (result.outcome === "invalid") return data<ActionData>({ outcome: "invalid", errors: result.errors, values }, { status: 400 });
    return data<ActionData>({ outcome: "conflict", current: result.current, values }, { status: 409 });
  } catch (error) {
    if (error instanceof ActionNotFound) throw notFound();
    throw error;
  }
}

export default function PortalAction() {
  const { action: item, options, noteMax, updated } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.outcome === "invalid" ? result.errors : undefined;
  const values = result?.values;
  const problem =
    result?.outcome === "conflict"
      ? `This action was updated${result.current.updatedByName ? ` by ${result.current.updatedByName}` : ""}${result.current.updatedAt ? ` at ${formatDateTime(result.current.updatedAt)}` : ""} after you opened it: it is now ${ACTION_STATUS_LABELS[result.current.status].toLowerCase()}. Your update has not been saved. The action and its history below are as they are now: check them, then save your update again.`
      : result?.outcome === "incomplete"
        ? "Your update could not be read: open the action again and save your update."
        : null;
  return (
    <>
      <Link to="/portal#actions-heading" className="govuk-back-link">
        Back to your trust
      </Link>
      <ErrorSummary errors={errors} items={problem ? [{ field: "status", text: problem }] : undefined} />
      {updated && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Your update has been saved.</p>
        </NotificationBanner>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Action for {item.criterionCode}</span>
          <h1 className="govuk-heading-l">{item.criterionTitle}</h1>
          <dl className="govuk-summary-list">
            <SummaryRow label="Action">
              <span className="app-preserve-lines">{item.text}</span>
            </SummaryRow>
            <SummaryRow label="Severity">
              <SeverityTag severity={item.severity} />
            </SummaryRow>
            <SummaryRow label="Due">
              {formatCalendarDate(item.dueOn)} <OverdueTag overdue={item.overdue} workingDays={item.overdueWorkingDays} />
            </SummaryRow>
            <SummaryRow label="Status">
              <ActionStatusTag status={item.status} />
            </SummaryRow>
            {item.visitDate ? <SummaryRow label="From the deep dive of">{formatCalendarDate(item.visitDate)}</SummaryRow> : null}
            <SummaryRow label="Last updated">{item.updatedAt ? `${formatDateTime(item.updatedAt)}${item.updatedByName ? `, by ${item.updatedByName}` : ""}` : "Not updated yet"}</SummaryRow>
          </dl>

          <h2 className="govuk-heading-m">Update the action</h2>
          <Form method="post" noValidate key={`${item.version}-${result ? "again" : "new"}`}>
            <input type="hidden" name="baseVersion" value={item.version} />
            <Radios
              name="status"
              legend="Status"
              options={options}
              defaultValue={values?.status ?? item.status}
              error={errors?.status}
              hint={`${SEVERITY_LABELS[item.severity]} severity. A done action can be reopened if the fix does not hold.`}
            />
            <Textarea
              name="note"
              label="Progress note"
              hint={`What has been done and what is next: needed when marking the action done or reopening it. Up to ${noteMax.toLocaleString("en-GB")} characters.`}
              rows={5}
              defaultValue={values?.note ?? ""}
              error={errors?.note}
            />
            <DateInput
              name="progressOn"
              legend="Date of the progress"
              hint="The day the work was done, for example 27 11 2026. Needed when marking the action done."
              value={values?.progressOn}
              error={errors?.progressOn}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save update
            </button>
          </Form>

          <h2 className="govuk-heading-m">History</h2>
          <ActionHistory history={item.history} />
        </div>
      </div>
    </>
  );
}
