import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole, requireStaff } from "~/auth/guards.server";
import { categoryText, IMPACT_TYPES, type Normalisation } from "~/risk/model";
import { getModelVersion, makeCurrent } from "~/risk/models.server";
import { indicatorInfo } from "~/risk/ranking.server";
import { BROAD_TYPE_LABELS } from "~/trusts/register.server";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { NumericTableHead } from "~/ui/charts";
import { TableHead } from "~/ui/table";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.version.name} – Risk model versions – Deep Dive` : "Page not found – Deep Dive" },
];

const DONE_MESSAGES = {
  created: "Version saved. It is not current yet: make it current to score the ranking with it.",
  current: "This version is now current: the ranking is scored with it.",
} as const;

const num = (n: number) => String(Math.round(n * 1000) / 1000);

function describeNormalisation(n: Normalisation, unit: string | null): string {
  const u = unit === "%" ? "%" : "";
  switch (n.kind) {
    case "category":
      return n.categories
        .map((c, i) => `${categoryText(c)}: ${num(n.badness?.[c] ?? i / (n.categories.length - 1))}`)
        .join("; ");
    case "boolean":
      return `yes: ${num(n.badnessIfTrue)}; no: ${num(n.badnessIfFalse)}`;
    case "linear":
      return `0 at ${num(n.good)}${u} or ${n.bad > n.good ? "less" : "more"}, 1 at ${num(n.bad)}${u} or ${n.bad > n.good ? "more" : "less"}, in proportion between`;
  }
}

/** One version's parameters, in words and tables. Programme leads can make it current. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const version = getModelVersion(args.params.id ?? "");
  if (!version) throw notFound();
  const info = indicatorInfo();
  const c = version.config;
  const done = new URL(args.request.url).searchParams.get("done");
  return {
    version: {
      id: version.id,
      name: version.name,
      description: version.description,
      isCurrent: version.isCurrent,
      createdBy: version.createdBy,
      createdAt: version.createdAt,
      madeCurrentAt: version.madeCurrentAt,
    },
    indicators: Object.entries(c.indicators).map(([code, entry]) => ({
      code,
      label: info.get(code)?.label ?? code,
      weight: entry.weight,
      rule: describeNormalisation(entry.normalise, info.get(code)?.unit ?? null),
      staleAfterDays: entry.staleAfterDays ?? c.staleAfterDays,
      missingBadness: entry.missingBadness ?? c.missingBadness,
    })),
    totalWeight: Object.values(c.indicators).reduce((s, e) => s + e.weight, 0),
    missingBadness: c.missingBadness,
    staleAfterDays: c.staleAfterDays,
    staleBlend: c.staleBlend,
    impact: {
      byType: IMPACT_TYPES.map((t) => ({ type: BROAD_TYPE_LABELS[t], factor: c.impact.byType[t] })),
      majorTraumaCentre: c.impact.majorTraumaCentre,
      ambulance: c.impact.ambulance,
    },
    bandEdges: c.bandEdges,
    canMakeCurrent: user.role === "programme_lead" && !version.isCurrent,
    done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const version = getModelVersion(args.params.id ?? "");
  if (!version) throw notFound();
  const form = await args.request.formData();
  if (form.get("intent") !== "make-current") return data({ error: "Choose what to do" }, { status: 400 });
  makeCurrent(version.id, actorFor(lead, args.context));
  return redirect(`/risk/models/${version.id}?done=current`);
}

export default function RiskModelVersion() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { version } = d;
  const bands = [1, 2, 3, 4, 5, 6].map((band) => ({
    band,
    rule:
      band === 1
        ? `${num(d.bandEdges[0]!)} or more`
        : band === 6
          ? `below ${num(d.bandEdges[4]!)}`
          : `${num(d.bandEdges[band - 1]!)} to below ${num(d.bandEdges[band - 2]!)}`,
  }));
  return (
    <>
      <Link to="/risk/models" className="govuk-back-link">
        Back to risk model versions
      </Link>
      {d.done && !actionData ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{d.done}</p>
        </NotificationBanner>
      ) : null}
      {actionData?.error ? <ErrorSummary items={[{ field: "make-current", text: actionData.error }]} /> : null}
      <span className="govuk-caption-l">Risk model version {version.id}</span>
      <h1 className="govuk-heading-l">{version.name}</h1>
      <dl className="govuk-summary-list">
        <SummaryRow label="Status">
          {version.isCurrent ? <strong className="govuk-tag govuk-tag--green">Current</strong> : <strong className="govuk-tag govuk-tag--grey">Not current</strong>}
        </SummaryRow>
        <SummaryRow label="Description">{version.description || "None"}</SummaryRow>
        <SummaryRow label="Created">
          {formatDateTime(version.createdAt)} by {version.createdBy}
        </SummaryRow>
        {version.madeCurrentAt ? <SummaryRow label="Last made current">{formatDateTime(version.madeCurrentAt)}</SummaryRow> : null}
      </dl>
      {d.canMakeCurrent ? (
        <Form method="post">
          <input type="hidden" name="intent" value="make-current" />
          <button type="submit" id="make-current" className="govuk-button" data-module="govuk-button">
            Make current
          </button>
        </Form>
      ) : null}

      <h2 className="govuk-heading-m">Indicators</h2>
      <p className="govuk-body">
        Each indicator&apos;s latest value becomes a badness from 0 (good) to 1 (bad). The likelihood is the average badness
        weighted by these weights (total {num(d.totalWeight)}).
      </p>
      <div className="app-table-wrapper">
        <table className="govuk-table govuk-table--small-text-until-tablet" id="indicator-weights">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Indicators, weights and rules</caption>
          <NumericTableHead headings={["Indicator", "Weight", "Badness", "Stale after", "No data counts as"]} numeric={[1, 4]} />
          <tbody className="govuk-table__body">
            {d.indicators.map((i) => (
              <tr className="govuk-table__row" key={i.code}>
                <th scope="row" className="govuk-table__header">
                  {i.label}
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{num(i.weight)}</td>
                <td className="govuk-table__cell">{i.rule}</td>
                <td className="govuk-table__cell">{i.staleAfterDays} days</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{num(i.missingBadness)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="govuk-heading-m">Missing and stale data</h2>
      <dl className="govuk-summary-list">
        <SummaryRow label="No data counts as">{num(d.missingBadness)} badness, unless an indicator says otherwise</SummaryRow>
        <SummaryRow label="Stale after">{d.staleAfterDays} days, unless an indicator says otherwise</SummaryRow>
        <SummaryRow label="Stale data">
          moves {Math.round(d.staleBlend * 100)}% of the way from its own badness toward &quot;no data&quot; (never lower)
        </SummaryRow>
      </dl>

      <h2 className="govuk-heading-m">Impact</h2>
      <p className="govuk-body">
        Impact is the trust type&apos;s factor (a proxy for size), times {num(d.impact.majorTraumaCentre)} for a trust that runs a major
        trauma centre and {num(d.impact.ambulance)} for an ambulance trust, at most 1.
      </p>
      <table className="govuk-table" id="impact-factors">
        <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Impact factor by trust type</caption>
        <NumericTableHead headings={["Trust type", "Impact factor"]} numeric={[1]} />
        <tbody className="govuk-table__body">
          {d.impact.byType.map((t) => (
            <tr className="govuk-table__row" key={t.type}>
              <th scope="row" className="govuk-table__header">
                {t.type}
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{num(t.factor)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="govuk-heading-m">Priority bands</h2>
      <p className="govuk-body">Score = 100 × likelihood × impact. A score exactly on an edge is in the higher band.</p>
      <table className="govuk-table" id="band-edges">
        <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Scores for each band</caption>
        <TableHead headings={["Band", "Score"]} />
        <tbody className="govuk-table__body">
          {bands.map((b) => (
            <tr className="govuk-table__row" key={b.band}>
              <th scope="row" className="govuk-table__header">
                Band {b.band}
              </th>
              <td className="govuk-table__cell">{b.rule}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
