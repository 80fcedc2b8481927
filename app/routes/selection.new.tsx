import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import { DEFAULT_VALIDATION_SHARE, openRound, SelectionError, type RoundFieldErrors } from "~/selection/rounds.server";
import { DateInput, datePartsFrom, isoFromParts, type DateParts } from "~/ui/date-input";
import { ErrorSummary, TextInput } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Open a selection round – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  // Passed down rather than imported by the component: a .server module's exports do not reach the browser.
  return { defaultValidationShare: DEFAULT_VALIDATION_SHARE };
}

type Values = {
  name: string;
  periodStart: DateParts;
  periodEnd: DateParts;
  capacity: string;
  minMonthsSinceInspection: string;
  validationShare: string;
};
type ActionData = { errors: RoundFieldErrors; values: Values };

/** Errors in the order the fields appear, so the error summary reads down the page. */
const inPageOrder = (e: RoundFieldErrors): RoundFieldErrors => ({
  name: e.name,
  periodStart: e.periodStart,
  periodEnd: e.periodEnd,
  capacity: e.capacity,
  minMonthsSinceInspection: e.minMonthsSinceInspection,
  validationShare: e.validationShare,
  round: e.round,
});

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const form = await args.request.formData();
  const field = (name: string, max = 200) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const date = (name: string): DateParts => datePartsFrom(form, name);
  const values: Values = {
    name: field("name", 500),
    periodStart: date("periodStart"),
    periodEnd: date("periodEnd"),
    capacity: field("capacity", 20),
    minMonthsSinceInspection: field("minMonthsSinceInspection", 20),
    validationShare: field("validationShare", 20),
  };
  try {
    const id = openRound(
      {
        name: values.name,
        periodStart: isoFromParts(values.periodStart),
        periodEnd: isoFromParts(values.periodEnd),
        capacity: values.capacity,
        minMonthsSinceInspection: values.minMonthsSinceInspection,
        validationShare: values.validationShare,
      },
      actorFor(lead, args.context),
    );
    return redirect(`/selection/${encodeURIComponent(id)}?done=opened`);
  } catch (error) {
    if (error instanceof SelectionError) return data<ActionData>({ errors: inPageOrder(error.fieldErrors), values }, { status: 400 });
    throw error;
  }
}

export default function NewRound() {
  const { defaultValidationShare } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/selection" className="govuk-back-link">
          Back to selection rounds
        </Link>
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Open a selection round</h1>
        <p className="govuk-body">
          Opening the round makes its secret seed and publishes the seed&apos;s fingerprint (the commitment). The draw happens later, when you choose to draw
          it, from the risk ranking at that moment.
        </p>
        <Form method="post" noValidate>
          <TextInput name="name" label="Name of the round" hint="For example, Quarter 1 2027. 100 characters or fewer." defaultValue={values?.name} error={errors?.name} />
          <DateInput name="periodStart" legend="Start of the period" hint="For example, 1 4 2027" error={errors?.periodStart} value={values?.periodStart} />
          <DateInput name="periodEnd" legend="End of the period" hint="For example, 30 6 2027" error={errors?.periodEnd} value={values?.periodEnd} />
          <TextInput
            name="capacity"
            label="Capacity"
            hint="How many trusts the round can inspect, from 1 to 100. Mandatory trusts are always picked, even beyond this."
            width="10"
            defaultValue={values?.capacity}
            error={errors?.capacity}
          />
          <TextInput
            name="minMonthsSinceInspection"
            label="Minimum months since the last inspection"
            hint="From 0 to 60. Trusts inspected more recently than this before the period starts are not drawn (mandatory trusts still are)."
            width="10"
            defaultValue={values?.minMonthsSinceInspection ?? "12"}
            error={errors?.minMonthsSinceInspection}
          />
          <TextInput
            name="validationShare"
            label="Validation share"
            hint="The share of the capacity drawn evenly from bands 4 to 6 to check the model, from 0 to 0.5. For example, 0.1 is 10%."
            width="10"
            defaultValue={values?.validationShare ?? String(defaultValidationShare)}
            error={errors?.validationShare}
          />
          <ErrorLine error={errors?.round} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Open the round
          </button>
        </Form>
      </div>
    </div>
  );
}

function ErrorLine({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p id="round" className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  );
}
