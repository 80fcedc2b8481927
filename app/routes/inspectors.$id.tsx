import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { actorFor, notFound, requireRole, requireSelfOrRole } from "~/auth/guards.server";
import {
  BASE_LABEL_MAX,
  CONFLICT_REASON_MAX,
  LEAVE_KIND_LABELS,
  LEAVE_KINDS,
  LEAVE_MAX_DAYS,
  LEAVE_NOTE_MAX,
  MAX_NON_WORKING_DAYS,
  MAX_VISITS_PER_WEEK,
  SKILL_LABELS,
  WEEKDAY_LABELS,
  WEEKDAYS,
} from "~/scheduling/inspector-fields";
import {
  addConflict,
  addLeave,
  cancelLeave,
  InspectorError,
  InspectorNotFound,
  inspectorView,
  listRegions,
  openTrusts,
  saveProfile,
  withdrawConflict,
  type InspectorFieldErrors,
} from "~/scheduling/inspectors.server";
import { DateInput, datePartsFrom, isoFromParts, type DateParts } from "~/ui/date-input";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { Checkboxes, ErrorSummary, NotificationBanner, Radios, Select, Textarea, TextInput } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.inspector.name ?? "Inspector"} – Inspectors – Deep Dive` }];

const DONE_MESSAGES = {
  "profile-saved": "Profile saved",
  "leave-added": "Leave added",
  "leave-cancelled": "Leave cancelled",
  "conflict-declared": "Conflict of interest declared",
  "conflict-withdrawn": "Conflict of interest withdrawn",
} as const;

/**
 * A programme lead may open any inspector's page; an inspector only their own. Everyone else, and an inspector
 * opening someone else's, gets 404 (audited), so the page does not tell them whether that inspector exists.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "inspector"]);
  const id = args.params.id ?? "";
  requireSelfOrRole(args, user, id, ["programme_lead"]);
  const inspector = inspectorView(id);
  if (!inspector) throw notFound();
  const done = new URL(args.request.url).searchParams.get("done");
  return {
    inspector,
    isSelf: user.id === id,
    isLead: user.role === "programme_lead",
    regions: listRegions(),
    trusts: openTrusts(),
    done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
  };
}

type Intent = "saveProfile" | "addLeave" | "cancelLeave" | "addConflict" | "withdrawConflict";
const INTENTS: readonly Intent[] = ["saveProfile", "addLeave", "cancelLeave", "addConflict", "withdrawConflict"];

interface ProfileValues {
  homeRegionCode: string;
  baseLabel: string;
  baseTrustCode: string;
  skills: string[];
  maxVisitsPerWeek: string;
  nonWorkingWeekdays: string[];
}
interface LeaveValues {
  startDate: DateParts;
  endDate: DateParts;
  kind: string;
  note: string;
}
interface ConflictValues {
  trustCode: string;
  reason: string;
  until: DateParts;
}
type ActionData = {
  intent: Intent | null;
  errors: InspectorFieldErrors;
  profile?: ProfileValues;
  leave?: LeaveValues;
  conflict?: ConflictValues;
};

/** Errors in the order their fields appear, so the error summary reads down the page. */
const FIELD_ORDER: (keyof InspectorFieldErrors)[] = [
  "form",
  "homeRegionCode",
  "baseLabel",
  "baseTrustCode",
  "skills",
  "maxVisitsPerWeek",
  "nonWorkingWeekdays",
  "leaveId",
  "startDate",
  "endDate",
  "kind",
  "note",
  "conflictId",
  "trustCode",
  "reason",
  "until",
];
const inPageOrder = (e: InspectorFieldErrors): InspectorFieldErrors => Object.fromEntries(FIELD_ORDER.flatMap((k) => (e[k] ? [[k, e[k]]] : [])));

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "inspector"]);
  const id = args.params.id ?? "";
  requireSelfOrRole(args, user, id, ["programme_lead"]);
  if (!inspectorView(id)) throw notFound();
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  // Checkboxes send one value each: a few short ones at most, whatever is posted.
  const ticked = (name: string) =>
    form
      .getAll(name)
      .filter((v): v is string => typeof v === "string")
      .slice(0, 10)
      .map((v) => v.slice(0, 40));
  const actor = actorFor(user, args.context);
  const intent = INTENTS.find((i) => i === field("intent", 20)) ?? null;
  const done = (what: keyof typeof DONE_MESSAGES) => redirect(`/inspectors/${encodeURIComponent(id)}?done=${what}`);
  const failed = (body: ActionData) => data<ActionData>({ ...body, errors: inPageOrder(body.errors) }, { status: 400 });

  const profile: ProfileValues = {
    homeRegionCode: field("homeRegionCode", 20),
    baseLabel: field("baseLabel", BASE_LABEL_MAX + 1000),
    baseTrustCode: field("baseTrustCode", 20),
    skills: ticked("skills"),
    maxVisitsPerWeek: field("maxVisitsPerWeek", 20),
    nonWorkingWeekdays: ticked("nonWorkingWeekdays"),
  };
  const leave: LeaveValues = {
    startDate: datePartsFrom(form, "startDate"),
    endDate: datePartsFrom(form, "endDate"),
    kind: field("kind", 20),
    note: field("note", LEAVE_NOTE_MAX + 1000),
  };
  const conflict: ConflictValues = {
    trustCode: field("trustCode", 20),
    reason: field("reason", CONFLICT_REASON_MAX + 1000),
    until: datePartsFrom(form, "until"),
  };
  const values = intent === "saveProfile" ? { profile } : intent === "addLeave" ? { leave } : intent === "addConflict" ? { conflict } : {};

  try {
    switch (intent) {
      case "saveProfile":
        saveProfile(id, profile, actor);
        return done("profile-saved");
      case "addLeave":
        addLeave(id, { ...leave, startDate: isoFromParts(leave.startDate), endDate: isoFromParts(leave.endDate) }, actor);
        return done("leave-added");
      case "cancelLeave":
        cancelLeave(id, field("leaveId", 60), actor);
        return done("leave-cancelled");
      case "addConflict":
        addConflict(id, { ...conflict, until: isoFromParts(conflict.until) }, actor);
        return done("conflict-declared");
      case "withdrawConflict":
        withdrawConflict(id, field("conflictId", 60), actor);
        return done("conflict-withdrawn");
      default:
        return failed({ intent: null, errors: { form: "Choose what to change" } });
    }
  } catch (error) {
    if (error instanceof InspectorNotFound) throw notFound();
    if (error instanceof InspectorError) return failed({ intent, errors: error.fieldErrors, ...values });
    throw error;
  }
}

const dates = (start: string, end: string) => (start === end ? formatCalendarDate(start) : `${formatCalendarDate(start)} to ${formatCalendarDate(end)}`);

function ErrorLine({ id, error }: { id: string; error?: string }) {
  // Always on the page, so the error summary's link has somewhere to land.
  return (
    <div id={id} tabIndex={-1}>
      {error ? (
        <p className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
    </div>
  );
}

export default function InspectorPage() {
  const { inspector, isSelf, isLead, regions, trusts, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const errors = actionData?.errors;
  const profile = inspector.profile;
  const p = actionData?.profile;
  const l = actionData?.leave;
  const c = actionData?.conflict;

  const regionOptions = [
    { value: "", text: "Select a region" },
    ...regions.map((r) => ({ value: r.code, text: r.name })),
    ...(profile && !regions.some((r) => r.code === profile.homeRegionCode) ? [{ value: profile.homeRegionCode, text: profile.homeRegionName }] : []),
  ];
  const trustOptions = trusts.map((t) => ({ value: t.odsCode, text: `${t.name} (${t.odsCode})` }));
  const baseTrustOptions = [
    { value: "", text: "Not given" },
    // A base trust that has since closed stays selectable for the profile that already has it.
    ...(profile?.baseTrustCode && !trusts.some((t) => t.odsCode === profile.baseTrustCode)
      ? [{ value: profile.baseTrustCode, text: `${profile.baseTrustName ?? "Unknown trust"} (${profile.baseTrustCode}, closed)` }]
      : []),
    ...trustOptions,
  ];

  return (
    <>
      {isLead ? (
        <Link to="/inspectors" className="govuk-back-link">
          Back to inspectors
        </Link>
      ) : null}
      {done && !errors ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">{isSelf ? "Your profile, leave and conflicts of interest" : "Inspector"}</span>
      <h1 className="govuk-heading-l">{inspector.name}</h1>
      <p className="govuk-body">
        {isSelf
          ? "Visits are planned around what you record here. Keep it up to date, and declare any conflict of interest as soon as you know of it."
          : `${inspector.email}. Visits are planned around what is recorded here.`}
      </p>
      <ErrorLine id="form" error={errors?.form} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m" id="profile">
            Profile
          </h2>
          {profile ? (
            <dl className="govuk-summary-list">
              <SummaryRow label="Home region">{profile.homeRegionName}</SummaryRow>
              <SummaryRow label="Base">{profile.baseLabel}</SummaryRow>
              <SummaryRow label="NHS trust nearest the base">
                {profile.baseTrustCode ? `${profile.baseTrustName ?? "Unknown trust"} (${profile.baseTrustCode})` : "Not given"}
              </SummaryRow>
              <SummaryRow label="Skills">{profile.skillLabels.join(", ")}</SummaryRow>
              <SummaryRow label="Most visits a week">{String(profile.maxVisitsPerWeek)}</SummaryRow>
              <SummaryRow label="Days not worked">
                {profile.nonWorkingWeekdays.length === 0 ? "None: works Monday to Friday" : profile.nonWorkingWeekdays.map((d) => WEEKDAY_LABELS[d]).join(", ")}
              </SummaryRow>
              {profile.updatedAt ? (
                <SummaryRow label="Last saved">
                  {formatDateTime(profile.updatedAt)}
                  {profile.updatedBy ? ` by ${profile.updatedBy}` : ""}
                </SummaryRow>
              ) : null}
            </dl>
          ) : (
            <p className="govuk-body">
              <strong className="govuk-tag govuk-tag--yellow">No profile yet</strong> Visits cannot be planned well without one: fill it in below.
            </p>
          )}

          <h3 className="govuk-heading-s">{profile ? "Change the profile" : "Add the profile"}</h3>
          <Form method="post" noValidate key={`profile-${location.key}`}>
            <input type="hidden" name="intent" value="saveProfile" />
            <Select
              name="homeRegionCode"
              label="Home region"
              hint="The CQC region the inspector mostly works in."
              options={regionOptions}
              defaultValue={p?.homeRegionCode ?? profile?.homeRegionCode ?? ""}
              error={errors?.homeRegionCode}
            />
            <TextInput
              name="baseLabel"
              label="Base"
              hint={`Where the inspector usually travels from, like Leeds office or a postcode. ${BASE_LABEL_MAX} characters or fewer.`}
              defaultValue={p?.baseLabel ?? profile?.baseLabel ?? ""}
              error={errors?.baseLabel}
            />
            <Select
              name="baseTrustCode"
              label="NHS trust nearest the base (optional)"
              hint="Its location is used to estimate how far the inspector travels to each visit."
              options={baseTrustOptions}
              defaultValue={p?.baseTrustCode ?? profile?.baseTrustCode ?? ""}
              error={errors?.baseTrustCode}
            />
            <Checkboxes
              name="skills"
              legend="Skills"
              hint="Select all that apply. Every visit needs someone who does technical testing."
              options={Object.entries(SKILL_LABELS).map(([value, text]) => ({ value, text }))}
              defaultValues={p?.skills ?? profile?.skills ?? []}
              error={errors?.skills}
              small
            />
            <TextInput
              name="maxVisitsPerWeek"
              label="Most visits a week"
              hint={`A whole number from 1 to ${MAX_VISITS_PER_WEEK}.`}
              width="10"
              defaultValue={p?.maxVisitsPerWeek ?? (profile ? String(profile.maxVisitsPerWeek) : "")}
              error={errors?.maxVisitsPerWeek}
            />
            <Checkboxes
              name="nonWorkingWeekdays"
              legend="Days not worked"
              hint={`Leave all unticked if the inspector works Monday to Friday. At most ${MAX_NON_WORKING_DAYS} days.`}
              options={WEEKDAYS.map((d) => ({ value: String(d), text: WEEKDAY_LABELS[d]! }))}
              defaultValues={p?.nonWorkingWeekdays ?? profile?.nonWorkingWeekdays.map(String) ?? []}
              error={errors?.nonWorkingWeekdays}
              small
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save the profile
            </button>
          </Form>
        </div>
      </div>

      <h2 className="govuk-heading-m" id="leave">
        Leave and unavailability
      </h2>
      {inspector.leave.length === 0 ? (
        <p className="govuk-body">No leave or other unavailability is recorded.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Leave and unavailability, earliest first</caption>
            <TableHead headings={["Dates", "Kind", "Note", "Recorded by", { hidden: "Actions" }]} />
            <tbody className="govuk-table__body">
              {inspector.leave.map((leave) => (
                <tr className="govuk-table__row" key={leave.id}>
                  <th scope="row" className="govuk-table__header">
                    {dates(leave.startDate, leave.endDate)}
                    {leave.past ? (
                      <>
                        {" "}
                        <strong className="govuk-tag govuk-tag--grey">Past</strong>
                      </>
                    ) : null}
                  </th>
                  <td className="govuk-table__cell">{LEAVE_KIND_LABELS[leave.kind]}</td>
                  <td className="govuk-table__cell">{leave.note}</td>
                  <td className="govuk-table__cell">{leave.createdBy}</td>
                  <td className="govuk-table__cell">
                    <Form method="post">
                      <input type="hidden" name="intent" value="cancelLeave" />
                      <input type="hidden" name="leaveId" value={leave.id} />
                      <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                        Cancel<span className="govuk-visually-hidden"> {`${LEAVE_KIND_LABELS[leave.kind].toLowerCase()}, ${dates(leave.startDate, leave.endDate)}`}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorLine id="leaveId" error={errors?.leaveId} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h3 className="govuk-heading-s">Add leave or other unavailability</h3>
          <Form method="post" noValidate key={`leave-${location.key}`}>
            <input type="hidden" name="intent" value="addLeave" />
            <DateInput name="startDate" legend="First day" hint="For example, 27 3 2026" error={errors?.startDate} value={l?.startDate} />
            <DateInput
              name="endDate"
              legend="Last day"
              hint={`The same as the first day for a single day. At most ${LEAVE_MAX_DAYS} days in one period.`}
              error={errors?.endDate}
              value={l?.endDate}
            />
            <Radios
              name="kind"
              legend="Kind"
              options={LEAVE_KINDS.map((k) => ({ value: k, text: LEAVE_KIND_LABELS[k] }))}
              defaultValue={l?.kind ?? "leave"}
              error={errors?.kind}
            />
            <Textarea
              name="note"
              label="Note (optional)"
              hint={`${LEAVE_NOTE_MAX} characters or fewer. Programme leads can see it.`}
              defaultValue={l?.note}
              error={errors?.note}
              rows={2}
            />
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Add the leave
            </button>
          </Form>
        </div>
      </div>

      <h2 className="govuk-heading-m" id="conflicts">
        Conflicts of interest
      </h2>
      <p className="govuk-body">An inspector is never given a visit to a trust they have a conflict of interest with, until the date it lasts until.</p>
      {inspector.conflicts.length === 0 ? (
        <p className="govuk-body">No conflicts of interest are declared.</p>
      ) : (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Conflicts of interest, by trust</caption>
            <TableHead headings={["Trust", "Reason", "Until", "Declared", { hidden: "Actions" }]} />
            <tbody className="govuk-table__body">
              {inspector.conflicts.map((conflict) => (
                <tr className="govuk-table__row" key={conflict.id}>
                  <th scope="row" className="govuk-table__header">
                    {`${conflict.trustName} (${conflict.trustCode})`}
                  </th>
                  <td className="govuk-table__cell">{conflict.reason}</td>
                  <td className="govuk-table__cell">
                    {formatCalendarDate(conflict.until)}
                    {conflict.ended ? (
                      <>
                        {" "}
                        <strong className="govuk-tag govuk-tag--grey">Ended</strong>
                      </>
                    ) : null}
                  </td>
                  <td className="govuk-table__cell">
                    {formatDateTime(conflict.createdAt)} by {conflict.declaredBy}
                  </td>
                  <td className="govuk-table__cell">
                    <Form method="post">
                      <input type="hidden" name="intent" value="withdrawConflict" />
                      <input type="hidden" name="conflictId" value={conflict.id} />
                      <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                        Withdraw<span className="govuk-visually-hidden"> the conflict of interest with {conflict.trustName}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorLine id="conflictId" error={errors?.conflictId} />

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h3 className="govuk-heading-s">Declare a conflict of interest</h3>
          <Form method="post" noValidate key={`conflict-${location.key}`}>
            <input type="hidden" name="intent" value="addConflict" />
            <Select
              name="trustCode"
              label="Trust"
              hint="Open trusts in the register, by name."
              options={[{ value: "", text: "Select a trust" }, ...trustOptions]}
              defaultValue={c?.trustCode ?? ""}
              error={errors?.trustCode}
            />
            <Textarea
              name="reason"
              label="Reason"
              hint={`For example, a close relative works in its IT department. ${CONFLICT_REASON_MAX} characters or fewer.`}
              defaultValue={c?.reason}
              error={errors?.reason}
            />
            <DateInput name="until" legend="Lasts until" hint="The last day it applies: today or later. For example, 31 3 2027" error={errors?.until} value={c?.until} />
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Declare the conflict of interest
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
