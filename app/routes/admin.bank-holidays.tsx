import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  addBankHoliday,
  BANK_HOLIDAY_TITLE_MAX,
  BankHolidayError,
  formatHolidayDate,
  listBankHolidays,
  removeBankHoliday,
  type BankHolidayFieldErrors,
} from "~/scheduling/bank-holidays.server";
import { isCalendarDate } from "~/scheduling/working-days";
import { todayInLondon } from "~/trusts/register.server";
import { DateInput, datePartsFrom, isoFromParts, type DateParts } from "~/ui/date-input";
import { formatCalendarDate } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, TextInput } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Bank holidays – Deep Dive" }];

/** The most characters of the name kept from the form: enough to say it is too long, never more. */
const TITLE_FIELD_MAX = 1000;

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  const years = listBankHolidays().map(({ year, holidays }) => ({
    year,
    holidays: holidays.map((h) => ({
      date: h.date,
      dateText: formatHolidayDate(h.date),
      title: h.notes ? `${h.title} (${h.notes.toLowerCase()})` : h.title,
      removable: h.source === "admin",
      // The day it was added, in England.
      source:
        h.source === "shipped"
          ? "Shipped with Deep Dive"
          : `Added by ${h.addedBy ?? "an admin whose account no longer exists"} on ${formatCalendarDate(todayInLondon(new Date(h.addedAt)))}`,
    })),
  }));
  // Post/Redirect/Get: the change is named in the address, so a refresh does not repeat it.
  const params = new URL(args.request.url).searchParams;
  const done = params.get("done");
  const date = params.get("date") ?? "";
  const dateText = isCalendarDate(date) ? formatHolidayDate(date) : null;
  const added = years.flatMap((y) => y.holidays).find((h) => h.date === date);
  let banner: string | null = null;
  if (done === "added") {
    banner = added
      ? `${added.dateText} added as a bank holiday: ${added.title}. Visits can no longer be scheduled on it.`
      : "Bank holiday added. Visits can no longer be scheduled on it.";
  } else if (done === "removed") {
    banner = `${dateText ?? "The day"} is no longer a bank holiday. Visits can be scheduled on it again.`;
  }
  return { years, banner, bannerIsAdded: done === "added", titleMax: BANK_HOLIDAY_TITLE_MAX };
}

type Values = { date: DateParts; title: string };
type ActionData =
  | { intent: "add"; errors: BankHolidayFieldErrors; values: Values }
  | { intent: "remove"; errors: BankHolidayFieldErrors; date: string }
  | { intent: null; errors: BankHolidayFieldErrors };

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const actor = actorFor(admin, args.context);
  const intent = field("intent", 20);
  const done = (what: "added" | "removed", date: string) => redirect(`/admin/bank-holidays?done=${what}&date=${encodeURIComponent(date)}`);
  if (intent === "add") {
    const values: Values = { date: datePartsFrom(form, "date"), title: field("title", TITLE_FIELD_MAX) };
    try {
      return done("added", addBankHoliday({ date: isoFromParts(values.date), title: values.title }, actor).date);
    } catch (error) {
      if (!(error instanceof BankHolidayError)) throw error;
      // In the order the fields appear, so the error summary reads down the page.
      const errors = { date: error.fieldErrors.date, title: error.fieldErrors.title };
      return data<ActionData>({ intent, errors, values }, { status: 400 });
    }
  }
  if (intent === "remove") {
    const date = field("date", 20);
    try {
      return done("removed", removeBankHoliday(date, actor).date);
    } catch (error) {
      if (!(error instanceof BankHolidayError)) throw error;
      return data<ActionData>({ intent, errors: { holiday: error.fieldErrors.holiday ?? error.message }, date }, { status: 400 });
    }
  }
  return data<ActionData>({ intent: null, errors: { holiday: "Choose whether to add or remove a bank holiday" } }, { status: 400 });
}

export default function BankHolidays() {
  const { years, banner, bannerIsAdded, titleMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const addErrors = actionData?.intent === "add" ? actionData.errors : undefined;
  const values = actionData?.intent === "add" ? actionData.values : undefined;
  const removeDate = actionData?.intent === "remove" ? actionData.date : null;
  const listed = removeDate !== null && years.some((y) => y.holidays.some((h) => h.date === removeDate));
  // A refusal about a listed day links to its row; anything else to the list as a whole.
  const otherError = actionData && actionData.intent !== "add" ? actionData.errors.holiday : undefined;
  const otherErrorItems = otherError ? [{ field: listed ? `holiday-${removeDate}` : "bank-holidays", text: otherError }] : [];
  return (
    <>
      <ErrorSummary errors={addErrors} items={otherErrorItems} />
      {banner && !actionData ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{banner}</p>
          {bannerIsAdded ? (
            <p className="govuk-body">Visits already scheduled on that day are not moved: the schedule flags them so they can be rearranged.</p>
          ) : null}
        </NotificationBanner>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Bank holidays</h1>
          <p className="govuk-body">
            Visits are scheduled only on working days: Monday to Friday, except bank holidays in England and Wales. CQC inspects NHS trusts in England, so
            bank holidays in Scotland and Northern Ireland do not count.
          </p>
          <p className="govuk-body">
            Deep Dive is shipped with every bank holiday in England and Wales from 2025 to 2028, as listed on{" "}
            <a className="govuk-link" href="https://www.gov.uk/bank-holidays">
              GOV.UK bank holidays
            </a>{" "}
            (Open Government Licence v3.0), with GOV.UK&apos;s names and substitute days. The dates were worked out from the published rules rather than
            downloaded, so if GOV.UK lists a day that is not here, add it below. Later years come with later releases of Deep Dive.
          </p>
          <p className="govuk-body">
            When the government announces a one-off bank holiday, such as for a coronation or a state funeral, add it here. You can remove a day you added
            by mistake; days shipped with Deep Dive cannot be removed.
          </p>
          <div className="govuk-inset-text">
            Visits already scheduled on a day you add are not moved automatically. The schedule flags them so they can be rearranged.
          </div>
        </div>
      </div>

      <h2 className="govuk-heading-m" id="bank-holidays" tabIndex={-1}>
        Bank holidays by year
      </h2>
      {years.length === 0 ? <p className="govuk-body">There are no bank holidays yet.</p> : null}
      {years.map(({ year, holidays }) => {
        const anyRemovable = holidays.some((h) => h.removable);
        return (
          // The table can be wider than the page: the scrolling region takes focus so it can be scrolled by keyboard.
          <div className="app-table-wrapper" key={year} tabIndex={0} role="region" aria-labelledby={`bank-holidays-${year}`}>
            <table className="govuk-table govuk-table--small-text-until-tablet">
              <caption id={`bank-holidays-${year}`} className="govuk-table__caption govuk-table__caption--m">
                {year}
              </caption>
              <TableHead headings={["Date", "Bank holiday", "Where it comes from", ...(anyRemovable ? [{ hidden: "Action" }] : [])]} />
              <tbody className="govuk-table__body">
                {holidays.map((h) => (
                  <tr className="govuk-table__row" key={h.date} id={`holiday-${h.date}`} tabIndex={h.date === removeDate ? -1 : undefined}>
                    <th scope="row" className="govuk-table__header">
                      {h.dateText}
                    </th>
                    <td className="govuk-table__cell">{h.title}</td>
                    <td className="govuk-table__cell">{h.source}</td>
                    {anyRemovable ? (
                      <td className="govuk-table__cell">
                        {h.date === removeDate && otherError ? (
                          <p className="govuk-error-message">
                            <span className="govuk-visually-hidden">Error:</span> {otherError}
                          </p>
                        ) : null}
                        {h.removable ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="remove" />
                            <input type="hidden" name="date" value={h.date} />
                            <button type="submit" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">
                              Remove<span className="govuk-visually-hidden"> {`${h.title}, ${h.dateText}`}</span>
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">Add a bank holiday</h2>
          {/* Keyed by the address, so the form is empty again after a day is added. */}
          <Form method="post" noValidate key={`add-${location.search}`}>
            <input type="hidden" name="intent" value="add" />
            <DateInput
              name="date"
              legend="Date"
              hint="A weekday, today or later, that is not already a bank holiday. For example, 7 5 2027"
              error={addErrors?.date}
              value={values?.date}
            />
            <TextInput
              name="title"
              label="Name"
              hint={`As the government announces it, for example Bank holiday for the coronation of King Charles III. ${titleMax} characters or fewer.`}
              defaultValue={values?.title}
              error={addErrors?.title}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Add bank holiday
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
