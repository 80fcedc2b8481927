import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { actorFor, requireRole } from "~/auth/guards.server";
import { writeTransaction } from "~/db.server";
import { IMPACT_TYPES } from "~/risk/model";
import {
  configToForm,
  createModelVersion,
  DESCRIPTION_MAX,
  formIndicators,
  formToConfig,
  getModelVersion,
  ModelError,
  NAME_MAX,
  previewModel,
  type FormValues,
  type ModelFieldErrors,
} from "~/risk/models.server";
import { currentModel, indicatorInfo } from "~/risk/ranking.server";
import { BROAD_TYPE_LABELS } from "~/trusts/register.server";
import { BandTag, NumericTableHead } from "~/ui/charts";
import { ErrorSummary, Field, Textarea, TextInput } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? "New risk model version – Deep Dive" : "Page not found – Deep Dive" }];

/** The version the form starts from: ?from=ID, or the current one. */
function baseVersion(from: string | null) {
  return (from ? getModelVersion(from) : null) ?? currentModel();
}

function formPage(from: string | null) {
  const base = baseVersion(from);
  const info = indicatorInfo();
  return {
    base: { id: base.id, name: base.name },
    indicators: formIndicators(base.config, info),
    defaults: configToForm(base.config, info),
    types: IMPACT_TYPES.map((t) => ({ value: t, text: BROAD_TYPE_LABELS[t] })),
    nameMax: NAME_MAX,
  };
}

/** Programme leads only: the form starts from the current version's parameters (or ?from=ID). */
export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  return formPage(new URL(args.request.url).searchParams.get("from"));
}

interface PreviewData {
  currentName: string;
  movedUp: number;
  movedDown: number;
  unchanged: number;
  bandsUp: number;
  bandsDown: number;
  bandCounts: { before: number[]; after: number[] };
  topMovers: Move[];
  bandChanges: Move[];
}

interface Move {
  trustCode: string;
  name: string;
  before: { rank: number; score: number; band: number } | null;
  after: { rank: number; score: number; band: number } | null;
  rankChange: number;
}

type ActionData = { errors: ModelFieldErrors; values: FormValues; preview: PreviewData | null };

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const form = await args.request.formData();
  const values: FormValues = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") values[key] = value.slice(0, key === "description" ? DESCRIPTION_MAX + 100 : 200);
  const base = baseVersion(values.base ?? null);
  const info = indicatorInfo();
  const intent = values.intent;
  const failed = (errors: ModelFieldErrors) => data<ActionData>({ errors, values, preview: null }, { status: 400 });
  if (intent !== "preview" && intent !== "save") return failed({ intent: "Choose Preview or Save as new version" });

  const built = formToConfig(values, base.config, info);
  const nameError = intent === "save" && !(values.name ?? "").trim() ? { name: "Enter a name for the version" } : {};
  if (!built.ok) return failed({ ...nameError, ...built.errors });

  if (intent === "preview") {
    const preview = previewModel(built.config);
    const actor = actorFor(lead, args.context);
    // The preview shows where trusts would rank: confidential planning data, audited like the ranking.
    writeTransaction((tx) =>
      recordAudit(tx, actor, {
        action: "risk.viewed",
        objectType: "risk-model",
        objectId: String(preview.current.id),
        summary: { page: "model-preview", asOf: preview.asOf },
      }),
    );
    const c = preview.comparison;
    const slim = (m: (typeof c.moves)[number]): Move => ({
      trustCode: m.trustCode,
      name: m.name,
      before: m.before,
      after: m.after,
      rankChange: m.rankChange,
    });
    return data<ActionData>({
      errors: {},
      values,
      preview: {
        currentName: preview.current.name,
        movedUp: c.movedUp,
        movedDown: c.movedDown,
        unchanged: c.unchanged,
        bandsUp: c.bandsUp,
        bandsDown: c.bandsDown,
        bandCounts: c.bandCounts,
        topMovers: c.topMovers.map(slim),
        bandChanges: c.moves.filter((m) => m.bandChange !== 0).map(slim),
      },
    });
  }

  try {
    const id = createModelVersion(values.name ?? "", values.description ?? "", built.config, actorFor(lead, args.context));
    return redirect(`/risk/models/${id}?done=created`);
  } catch (error) {
    if (error instanceof ModelError) return failed(error.fieldErrors);
    throw error;
  }
}

function NumberInput({
  name,
  label,
  defaultValue,
  error,
  hint,
  hiddenLabel = false,
  width = "4",
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
  hiddenLabel?: boolean;
  width?: "2" | "3" | "4" | "5";
}) {
  return (
    <Field
      name={name}
      label={label}
      hint={hint}
      error={error}
      labelClassName={hiddenLabel ? "govuk-visually-hidden" : undefined}
      groupClassName={hiddenLabel ? "govuk-!-margin-bottom-0" : undefined}
    >
      {(describedBy) => (
        <input
          className={`govuk-input govuk-input--width-${width}${error ? " govuk-input--error" : ""}`}
          id={name}
          name={name}
          type="text"
          inputMode="decimal"
          spellCheck={false}
          autoComplete="off"
          defaultValue={defaultValue}
          aria-describedby={describedBy}
        />
      )}
    </Field>
  );
}

const arrow = (before: string | number | undefined, after: string | number | undefined) => `${before ?? "–"} → ${after ?? "–"}`;

function Preview({ preview }: { preview: PreviewData }) {
  return (
    <section className="govuk-!-margin-bottom-8" aria-labelledby="preview-heading" id="preview">
      <h2 className="govuk-heading-m" id="preview-heading">
        Preview: how the ranking would change
      </h2>
      <p className="govuk-body">
        Compared with the current version, {preview.currentName}. Nothing has been saved.
      </p>
      <ul className="govuk-list govuk-list--bullet" id="preview-summary">
        <li>{preview.movedUp} trusts would move up the ranking</li>
        <li>{preview.movedDown} would move down</li>
        <li>{preview.unchanged} would keep their place</li>
        <li>
          {preview.bandsUp} would move to a higher-priority band and {preview.bandsDown} to a lower one
        </li>
      </ul>
      <table className="govuk-table" id="preview-bands">
        <caption className="govuk-table__caption govuk-table__caption--s">Trusts in each band</caption>
        <NumericTableHead headings={["Band", "Now", "With this version"]} numeric={[1, 2]} />
        <tbody className="govuk-table__body">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <tr className="govuk-table__row" key={i}>
              <th scope="row" className="govuk-table__header">
                Band {i + 1}
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{preview.bandCounts.before[i]}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{preview.bandCounts.after[i]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.topMovers.length > 0 ? (
        <MovesTable id="preview-movers" caption="Biggest movers" moves={preview.topMovers} />
      ) : (
        <p className="govuk-body">No trust would change place.</p>
      )}
      {preview.bandChanges.length > 0 ? (
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">Every trust that would change band ({preview.bandChanges.length})</span>
          </summary>
          <div className="govuk-details__text">
            <MovesTable id="preview-band-changes" caption="Trusts that would change band" moves={preview.bandChanges} />
          </div>
        </details>
      ) : null}
    </section>
  );
}

function MovesTable({ id, caption, moves }: { id: string; caption: string; moves: Move[] }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet" id={id}>
        <caption className="govuk-table__caption govuk-table__caption--s">{caption}</caption>
        <TableHead headings={["Trust", "Rank", "Moves", "Score", "Band"]} />
        <tbody className="govuk-table__body">
          {moves.map((m) => (
            <tr className="govuk-table__row" key={m.trustCode}>
              <th scope="row" className="govuk-table__header">
                {m.name}
              </th>
              <td className="govuk-table__cell">{arrow(m.before?.rank, m.after?.rank)}</td>
              <td className="govuk-table__cell">{m.rankChange > 0 ? `up ${m.rankChange}` : m.rankChange < 0 ? `down ${-m.rankChange}` : "none"}</td>
              <td className="govuk-table__cell">{arrow(m.before?.score.toFixed(1), m.after?.score.toFixed(1))}</td>
              <td className="govuk-table__cell">
                {m.before ? <BandTag band={m.before.band} /> : "–"} → {m.after ? <BandTag band={m.after.band} /> : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function NewRiskModel() {
  const { base, indicators, defaults, types, nameMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? defaults;
  const v = (name: string) => values[name] ?? "";
  // Errors in page order, so the summary reads down the form.
  const fieldOrder = [
    "intent",
    "name",
    "description",
    "weights",
    ...indicators.flatMap((i) => [`weight-${i.code}`, `good-${i.code}`, `bad-${i.code}`, `stale-${i.code}`]),
    "missingBadness",
    "staleAfterDays",
    "staleBlend",
    ...types.map((t) => `type-${t.value}`),
    "mtc",
    "ambulance",
    ...[1, 2, 3, 4, 5].map((i) => `edge-${i}`),
    "config",
  ];
  const ordered: ModelFieldErrors = {};
  for (const f of fieldOrder) if (errors[f]) ordered[f] = errors[f];
  for (const [f, e] of Object.entries(errors)) if (!(f in ordered)) ordered[f] = e;
  const summaryErrors = Object.fromEntries(Object.entries(ordered).map(([f, e]) => [f === "weights" || f === "config" || f === "intent" ? `weight-${indicators[0]?.code ?? ""}` : f, e]));
  return (
    <>
      <Link to="/risk/models" className="govuk-back-link">
        Back to risk model versions
      </Link>
      <ErrorSummary errors={summaryErrors} />
      <h1 className="govuk-heading-l">New risk model version</h1>
      <p className="govuk-body">
        Starts from {base.name}. Preview shows how the ranking would change without saving anything. A saved version is never
        changed, and scores nothing until it is made current.
      </p>
      {actionData?.preview ? <Preview preview={actionData.preview} /> : null}
      {/* A full page load on submit: the preview and any errors are at the top of a long form, and the page opens there. */}
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="base" value={v("base") || String(base.id)} />
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <TextInput name="name" label="Name" hint={`For example "Baseline 2027". Up to ${nameMax} characters.`} defaultValue={v("name")} error={errors.name} />
            <Textarea name="description" label="Description (optional)" hint="What changed and why" defaultValue={v("description")} error={errors.description} />
          </div>
        </div>

        <h2 className="govuk-heading-m">Indicators</h2>
        <p className="govuk-body">
          A weight of 0 leaves an indicator out. For numbers, badness is 0 at the good threshold and 1 at the bad one. Leave
          &quot;stale after&quot; empty to use the default.
        </p>
        {errors.weights ? (
          <p className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {errors.weights}
          </p>
        ) : null}
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet" id="indicator-fields">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Weights and thresholds per indicator</caption>
            <TableHead headings={["Indicator", "Weight", "Good", "Bad", "Stale after (days)"]} />
            <tbody className="govuk-table__body">
              {indicators.map((i) => (
                <tr className="govuk-table__row" key={i.code}>
                  <th scope="row" className="govuk-table__header">
                    {i.label}
                    {i.unit ? ` (${i.unit})` : ""}
                  </th>
                  <td className="govuk-table__cell">
                    <NumberInput name={`weight-${i.code}`} label={`Weight for ${i.label}`} hiddenLabel defaultValue={v(`weight-${i.code}`)} error={errors[`weight-${i.code}`]} />
                  </td>
                  {i.linear ? (
                    <>
                      <td className="govuk-table__cell">
                        <NumberInput name={`good-${i.code}`} label={`Good threshold for ${i.label}`} hiddenLabel defaultValue={v(`good-${i.code}`)} error={errors[`good-${i.code}`]} />
                      </td>
                      <td className="govuk-table__cell">
                        <NumberInput name={`bad-${i.code}`} label={`Bad threshold for ${i.label}`} hiddenLabel defaultValue={v(`bad-${i.code}`)} error={errors[`bad-${i.code}`]} />
                      </td>
                    </>
                  ) : (
                    <td className="govuk-table__cell govuk-body-s" colSpan={2}>
                      Badness {i.fixedRule}
                    </td>
                  )}
                  <td className="govuk-table__cell">
                    <NumberInput name={`stale-${i.code}`} label={`Stale after, in days, for ${i.label}`} hiddenLabel defaultValue={v(`stale-${i.code}`)} error={errors[`stale-${i.code}`]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Missing and stale data</legend>
          <NumberInput name="missingBadness" label="No data counts as badness" hint="From 0 to 1" defaultValue={v("missingBadness")} error={errors.missingBadness} />
          <NumberInput name="staleAfterDays" label="Default stale age, in days" defaultValue={v("staleAfterDays")} error={errors.staleAfterDays} />
          <NumberInput
            name="staleBlend"
            label="How far stale data moves toward no data"
            hint="From 0 (counts as fresh) to 1 (counts as no data)"
            defaultValue={v("staleBlend")}
            error={errors.staleBlend}
          />
        </fieldset>

        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Impact</legend>
          <p className="govuk-body">Impact factor by trust type (above 0, at most 1): a proxy for size.</p>
          {types.map((t) => (
            <NumberInput key={t.value} name={`type-${t.value}`} label={t.text} defaultValue={v(`type-${t.value}`)} error={errors[`type-${t.value}`]} />
          ))}
          <NumberInput name="mtc" label="Multiplier for running a major trauma centre" hint="1 or more" defaultValue={v("mtc")} error={errors.mtc} />
          <NumberInput name="ambulance" label="Multiplier for an ambulance trust" hint="1 or more" defaultValue={v("ambulance")} error={errors.ambulance} />
        </fieldset>

        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Priority bands</legend>
          <p className="govuk-body">The lowest score in each band, highest first. Band 6 is every score below band 5&apos;s.</p>
          {[1, 2, 3, 4, 5].map((i) => (
            <NumberInput key={i} name={`edge-${i}`} label={`Lowest score for band ${i}`} defaultValue={v(`edge-${i}`)} error={errors[`edge-${i}`]} />
          ))}
        </fieldset>

        <div className="govuk-button-group">
          <button type="submit" name="intent" value="preview" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Preview
          </button>
          <button type="submit" name="intent" value="save" className="govuk-button" data-module="govuk-button">
            Save as new version
          </button>
          <Link to="/risk/models" className="govuk-link">
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
