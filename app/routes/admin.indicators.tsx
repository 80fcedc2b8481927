import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, Form } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import {
  createIndicator,
  describeValues,
  IndicatorError,
  listIndicators,
  observationCounts,
  type IndicatorFieldErrors,
} from "~/risk/indicators.server";
import { ErrorSummary, NotificationBanner, Radios, Textarea, TextInput } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Indicators – Deep Dive" }];

const VALUE_TYPE_LABELS = {
  category: "Category",
  percentage: "Percentage",
  count: "Count",
  boolean: "Yes or no",
} as const;

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  const counts = observationCounts();
  const added = new URL(args.request.url).searchParams.get("added");
  const indicators = listIndicators().map((i) => ({
    code: i.code,
    label: i.label,
    valueType: VALUE_TYPE_LABELS[i.valueType],
    values: describeValues(i),
    higherIsWorse: i.valueType === "category" ? "Later categories" : i.higherIsWorse ? "Higher" : "Lower",
    origin: i.origin === "computed" ? "Worked out by Deep Dive" : "Imported",
    isBuiltIn: i.isBuiltIn,
    observations: counts[i.code] ?? 0,
  }));
  return { indicators, added: indicators.find((i) => i.code === added) ?? null };
}

const FIELDS = ["code", "label", "description", "valueType", "categories", "minValue", "maxValue", "unit", "higherIsWorse"] as const;
type Values = Record<(typeof FIELDS)[number], string>;
type ActionData = { errors: IndicatorFieldErrors; values: Values };

/** Errors in the order the fields appear, so the error summary reads down the page. */
const inPageOrder = (errors: IndicatorFieldErrors): IndicatorFieldErrors => Object.fromEntries(FIELDS.flatMap((f) => (errors[f] ? [[f, errors[f]]] : [])));

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const form = await args.request.formData();
  const values = Object.fromEntries(
    FIELDS.map((name) => {
      const value = form.get(name);
      return [name, typeof value === "string" ? value.slice(0, 2000) : ""];
    }),
  ) as Values;
  try {
    const created = createIndicator(values, actorFor(admin, args.context));
    return redirect(`/admin/indicators?added=${encodeURIComponent(created.code)}`);
  } catch (error) {
    if (error instanceof IndicatorError) return data<ActionData>({ errors: inPageOrder(error.fieldErrors), values }, { status: 400 });
    throw error;
  }
}

export default function Indicators() {
  const { indicators, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <>
      <ErrorSummary errors={errors} />
      {added ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">
            Indicator {added.label} ({added.code}) added. Its values can now be{" "}
            <Link className="govuk-notification-banner__link" to="/indicators/import">
              imported
            </Link>
            .
          </p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">Indicators</h1>
      <p className="govuk-body">
        What Deep Dive records about each trust over time. Built-in indicators come with Deep Dive and cannot be changed. An indicator is never
        changed once added, because its recorded values were checked against its rules: for different rules, add a new indicator.
      </p>
      {/* The table can be wider than the page: the scrolling region takes focus so it can be scrolled by keyboard. */}
      <div className="app-table-wrapper" tabIndex={0} role="region" aria-labelledby="indicators-caption">
        <table className="govuk-table govuk-table--small-text-until-tablet">
          <caption id="indicators-caption" className="govuk-table__caption govuk-table__caption--m">
            {indicators.length === 1 ? "1 indicator" : `${indicators.length} indicators`}
          </caption>
          <TableHead headings={["Code", "Name", "Kind of value", "Allowed values", "More risk", "Origin", "Built in", "Values recorded"]} />
          <tbody className="govuk-table__body">
            {indicators.map((i) => (
              <tr key={i.code} className="govuk-table__row">
                <td className="govuk-table__cell">
                  <code>{i.code}</code>
                </td>
                <td className="govuk-table__cell">{i.label}</td>
                <td className="govuk-table__cell">{i.valueType}</td>
                <td className="govuk-table__cell">{i.values}</td>
                <td className="govuk-table__cell">{i.higherIsWorse}</td>
                <td className="govuk-table__cell">{i.origin}</td>
                <td className="govuk-table__cell">{i.isBuiltIn ? "Yes" : "No"}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{i.observations.toLocaleString("en-GB")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m" id="add">
            Add an indicator
          </h2>
          <Form method="post" noValidate>
            <TextInput
              name="code"
              label="Code"
              hint="Used in import files. 3 to 41 characters: lower-case letters, digits and underscores, starting with a letter, like backup_test_days"
              width="30"
              autoComplete="off"
              spellCheck={false}
              defaultValue={values?.code}
              error={errors?.code}
            />
            <TextInput name="label" label="Name" hint="As people read it, like Days since the last backup test" defaultValue={values?.label} error={errors?.label} />
            <Textarea name="description" label="Description (optional)" hint="What is measured and over what period" defaultValue={values?.description} error={errors?.description} />
            <Radios
              name="valueType"
              legend="Kind of value"
              defaultValue={values?.valueType}
              error={errors?.valueType}
              options={[
                { value: "percentage", text: "Percentage", hint: "A number from 0 to 100, or within the range below" },
                { value: "count", text: "Count", hint: "A whole number from the lowest to the highest value below" },
                { value: "boolean", text: "Yes or no", hint: "Imported as 1 or 0, true or false, yes or no" },
                { value: "category", text: "Category", hint: "One of the categories listed below" },
              ]}
            />
            <Textarea
              name="categories"
              label="Categories (for a category indicator)"
              hint="One a line, best first: at least 2 and at most 20. Ignored for other kinds of value."
              rows={5}
              defaultValue={values?.categories}
              error={errors?.categories}
            />
            <TextInput
              name="minValue"
              label="Lowest value (for a percentage or count)"
              hint="Leave empty for 0"
              width="10"
              defaultValue={values?.minValue}
              error={errors?.minValue}
            />
            <TextInput
              name="maxValue"
              label="Highest value (for a percentage or count)"
              hint="Required for a count: the most a trust could plausibly have. Leave empty for 100 for a percentage."
              width="10"
              defaultValue={values?.maxValue}
              error={errors?.maxValue}
            />
            <TextInput name="unit" label="Unit (optional)" hint="Like days or devices. % for percentages." width="10" defaultValue={values?.unit} error={errors?.unit} />
            <Radios
              name="higherIsWorse"
              legend="Which values mean more risk?"
              hint="Not asked for a category indicator: later categories mean more risk"
              defaultValue={values?.higherIsWorse}
              error={errors?.higherIsWorse}
              options={[
                { value: "yes", text: "Higher values mean more risk", hint: "For yes or no: yes (1) means more risk" },
                { value: "no", text: "Lower values mean more risk", hint: "For yes or no: no (0) means more risk" },
              ]}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Add indicator
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
