import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import {
  CQC_BASELINE_NAME,
  defaultProfile,
  minimumField,
  minimumLabel,
  minimumsFor,
  PROFILE_DESCRIPTION_MAX,
  PROFILE_NAME_MAX,
  profileCodeFor,
  profileLineages,
  WHAT_CHANGED_MAX,
  type Minimum,
  type ProfileProblem,
} from "~/baseline/profile-rules";
import { frameworkVersionView, type FrameworkVersionView, type SectionView } from "~/baseline/frameworks.server";
import { createProfileVersion, ProfileError, ProfileFrameworkNotFound } from "~/baseline/profiles.server";
import { ErrorSummary, Field, Textarea, TextInput, type ErrorItem } from "~/ui/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Define a profile version – ${data.version.title} – Deep Dive` : "Page not found – Deep Dive" },
];

type Scale = FrameworkVersionView["criteria"][number]["scale"];

interface FormSection {
  code: string;
  title: string;
  criteria: { code: string; title: string; scale: Scale }[];
  sections: FormSection[];
}

const toFormSection = (s: SectionView): FormSection => ({
  code: s.code,
  title: s.title,
  criteria: s.criteria.map((c) => ({ code: c.code, title: c.title, scale: c.scale })),
  sections: s.sections.map(toFormSection),
});

/** What the form sends back when it is refused, to show it again as it was. */
interface FormValues {
  name: string;
  description: string;
  whatChanged: string;
  from: string;
  minimums: Record<string, string>;
}

/** The newest profile id of the version: a version of the same profile stored after it was not seen by whoever has the form. */
const newestProfileId = (view: FrameworkVersionView) => view.profiles.reduce((n, p) => Math.max(n, p.id), 0);

/**
 * The form, starting from `from` (a profile id of this framework version) or, by default, the newest version of the
 * CQC baseline, else the framework file's first profile (GovAssure Baseline, All met).
 */
function formPage(view: FrameworkVersionView, from: string | null) {
  const chosen = view.profiles.find((p) => String(p.id) === from);
  const base = chosen ?? defaultProfile(view.profiles) ?? null;
  const lineages = profileLineages(view.profiles);
  const label = new Map(
    lineages.flatMap((l) =>
      l.versions.map((v) => [v.id, `${v.name} (version ${v.version}${v.supersededBy ? `, superseded by version ${v.supersededBy}` : ""})`] as const),
    ),
  );
  // A programme lead's profile is continued under its name; a framework file's profile is the starting point of the CQC baseline.
  const name = base && !base.fromFile ? base.name : CQC_BASELINE_NAME;
  const code = profileCodeFor(name);
  const lineage = lineages.find((l) => l.code === code);
  const latest = lineage?.versions[0];
  return {
    version: { id: view.version.id, title: view.version.title, framework: view.version.framework, version: view.version.version },
    sections: view.sections.map(toFormSection),
    startingPoints: lineages.flatMap((l) => l.versions.map((v) => ({ value: String(v.id), text: label.get(v.id)! }))),
    base: base ? { id: base.id, label: label.get(base.id)!, minimums: base.minimums as Record<string, Minimum> } : null,
    defaults: {
      name,
      description: base && !base.fromFile ? base.description : "",
      whatChanged: "",
      from: base ? String(base.id) : "",
      minimums: { ...(base?.minimums ?? {}) } as Record<string, string>,
    } satisfies FormValues,
    nameHint:
      latest && !latest.fromFile
        ? `Versions are grouped by name: ${latest.name} is at version ${latest.version}, so keeping the name “${name}” saves version ${latest.version + 1}. A new name starts a new profile at version 1. Up to ${PROFILE_NAME_MAX} characters.`
        : `Versions are grouped by name: saving “${name}” for the first time saves its version 1, and saving it again later saves version 2. Up to ${PROFILE_NAME_MAX} characters.`,
    seenUpTo: newestProfileId(view),
  };
}

/** Programme leads only (they decide what good looks like, as they do the risk model); everyone else gets 404. */
export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["programme_lead"]);
  const view = frameworkVersionView(args.params.id ?? "");
  if (!view) throw notFound();
  return formPage(view, new URL(args.request.url).searchParams.get("from"));
}

type ActionData = { problems: ProfileProblem[]; values: FormValues; seenUpTo: number };

const MINIMUM_PREFIX = "minimum-";

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const view = frameworkVersionView(args.params.id ?? "");
  if (!view) throw notFound();
  const form = await args.request.formData();
  // Long enough that a text over its limit is still refused as too long, short enough to send back in the page.
  const text = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max + 100) : "";
  };
  const minimums: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    // Every minimum-* field is checked, including one for a criterion this version does not have (refused).
    if (key.startsWith(MINIMUM_PREFIX) && typeof value === "string" && Object.keys(minimums).length < 1000) minimums[key.slice(MINIMUM_PREFIX.length).slice(0, 60)] = value.slice(0, 40);
  }
  const values: FormValues = {
    name: text("name", PROFILE_NAME_MAX),
    description: text("description", PROFILE_DESCRIPTION_MAX),
    whatChanged: text("whatChanged", WHAT_CHANGED_MAX),
    from: text("from", 20),
    minimums,
  };
  const number = (value: string) => (/^\d{1,12}$/.test(value) ? Number(value) : null);
  const seenUpTo = number(text("seenUpTo", 20));
  try {
    const created = createProfileVersion(
      view.version.id,
      {
        name: values.name,
        description: values.description,
        whatChanged: values.whatChanged,
        minimums,
        // A starting point that is not a profile id is refused, as one of another framework is.
        basedOn: values.from === "" ? null : (number(values.from) ?? 0),
        seenUpTo,
      },
      actorFor(lead, args.context),
    );
    return redirect(`/frameworks/${view.version.id}?created=${created.id}`);
  } catch (error) {
    if (error instanceof ProfileFrameworkNotFound) throw notFound();
    if (error instanceof ProfileError) {
      // After "someone else saved a version", the form is shown again knowing that version: saving again is deliberate.
      return data<ActionData>({ problems: error.problems, values, seenUpTo: error.stale ? newestProfileId(view) : (seenUpTo ?? 0) }, { status: 400 });
    }
    throw error;
  }
}

function MinimumSelect({ code, title, scale, value, error }: { code: string; title: string; scale: Scale; value: string; error?: string }) {
  const name = minimumField(code);
  const allowed = minimumsFor(scale);
  const chosen = (allowed as string[]).includes(value) ? value : "";
  return (
    <Field name={name} label={`Minimum for ${code} ${title}`} error={error} labelClassName="govuk-visually-hidden" groupClassName="govuk-!-margin-bottom-0">
      {(describedBy) => (
        <select className={`govuk-select${error ? " govuk-select--error" : ""}`} id={name} name={name} defaultValue={chosen} aria-describedby={describedBy}>
          {chosen === "" ? <option value="">Choose a minimum</option> : null}
          {allowed.map((m) => (
            <option key={m} value={m}>
              {minimumLabel(m, scale)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Every section with criteria of its own, depth first, with its criteria: one table each. */
function sectionsWithCriteria(sections: FormSection[]): FormSection[] {
  return sections.flatMap((s) => [...(s.criteria.length > 0 ? [s] : []), ...sectionsWithCriteria(s.sections)]);
}

function MinimumsTable({
  section,
  base,
  values,
  errorFor,
  heading,
}: {
  /** The table is the top-level section's only one, so its caption is the section's heading. */
  heading?: boolean;
  section: FormSection;
  base: { label: string; minimums: Record<string, Minimum> } | null;
  values: Record<string, string>;
  errorFor: (field: string) => string | undefined;
}) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet" id={`minimums-${section.code}`}>
        <caption className={`govuk-table__caption ${heading ? "govuk-table__caption--m" : "govuk-table__caption--s"}`}>
          <span className="govuk-caption-m">{section.code}</span>
          {section.title}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Criterion
            </th>
            {base ? (
              <th scope="col" className="govuk-table__header">
                In {base.label}
              </th>
            ) : null}
            <th scope="col" className="govuk-table__header">
              Minimum in this version
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {section.criteria.map((c) => {
            const from = base?.minimums[c.code];
            return (
              <tr className="govuk-table__row" key={c.code}>
                <th scope="row" className="govuk-table__header">
                  {c.code} {c.title}
                </th>
                {base ? <td className="govuk-table__cell">{from ? minimumLabel(from, c.scale) : "No minimum"}</td> : null}
                <td className="govuk-table__cell">
                  <MinimumSelect code={c.code} title={c.title} scale={c.scale} value={values[c.code] ?? ""} error={errorFor(minimumField(c.code))} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function NewProfileVersion() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? page.defaults;
  const problems = actionData?.problems ?? [];
  const errorFor = (field: string) => {
    const messages = problems.filter((p) => p.field === field).map((p) => p.message);
    return messages.length > 0 ? messages.join(". ") : undefined;
  };
  const tables = page.sections.map((s) => ({ top: s, tables: sectionsWithCriteria([s]) }));
  // The error summary lists the problems in the order of the form.
  const order = ["name", "description", ...tables.flatMap((t) => t.tables.flatMap((s) => s.criteria.map((c) => minimumField(c.code)))), "minimums", "whatChanged"];
  const items: ErrorItem[] = [...problems]
    .sort((a, b) => (order.indexOf(a.field) + 1 || order.length + 1) - (order.indexOf(b.field) + 1 || order.length + 1))
    .map((p) => ({ field: p.field, text: p.message }));
  const wholeProfile = problems.filter((p) => p.field === "minimums");
  return (
    <>
      <Link to={`/frameworks/${page.version.id}#profiles`} className="govuk-back-link">
        Back to {page.version.title}
      </Link>
      <ErrorSummary items={items} />
      <span className="govuk-caption-l">{page.version.title}</span>
      <h1 className="govuk-heading-l">Define a profile version</h1>
      <p className="govuk-body">
        A profile sets the minimum rating each criterion needs for a trust to be good. A rating below the minimum is a gap, which needs a severity
        and leads to an action. Saving stores a new version: earlier versions are kept, and inspections already started keep the version they
        started with.
      </p>

      <Form method="get" className="govuk-!-margin-bottom-6" reloadDocument>
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="from">
            Start from
          </label>
          <div className="govuk-hint" id="from-hint">
            The minimums below start as this profile&apos;s.
          </div>
          <select className="govuk-select" id="from" name="from" defaultValue={page.base ? String(page.base.id) : ""} aria-describedby="from-hint">
            {page.base ? null : <option value="">No profile: choose every minimum</option>}
            {page.startingPoints.map((o) => (
              <option key={o.value} value={o.value}>
                {o.text}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
          Start from this profile
        </button>
      </Form>

      {/* A full page load on submit: the errors are at the top of a long form, and the page opens there. */}
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="from" value={values.from} />
        <input type="hidden" name="seenUpTo" value={String(actionData?.seenUpTo ?? page.seenUpTo)} />
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <TextInput name="name" label="Name" hint={page.nameHint} defaultValue={values.name} error={errorFor("name")} />
            <Textarea
              name="description"
              label="Description (optional)"
              hint={`What the profile is for and where its minimums come from. Up to ${PROFILE_DESCRIPTION_MAX.toLocaleString("en-GB")} characters.`}
              defaultValue={values.description}
              error={errorFor("description")}
              rows={4}
            />
          </div>
        </div>

        <h2 className="govuk-heading-m" id="minimums" tabIndex={-1}>
          Minimum rating for each criterion
        </h2>
        <p className="govuk-body">
          Every criterion needs a minimum. Where nothing is expected, choose Not achieved (or Not met): every rating reaches it, so it is never a
          gap.
        </p>
        {wholeProfile.map((p, i) => (
          <p className="govuk-error-message" key={i}>
            <span className="govuk-visually-hidden">Error:</span> {p.message}
          </p>
        ))}
        {tables.map(({ top, tables: list }) =>
          list.length === 1 && list[0] === top ? (
            <MinimumsTable key={top.code} section={top} base={page.base} values={values.minimums} errorFor={errorFor} heading />
          ) : (
            <section key={top.code} aria-labelledby={`heading-${top.code}`}>
              <h3 className="govuk-heading-m" id={`heading-${top.code}`}>
                <span className="govuk-caption-m">{top.code}</span>
                {top.title}
              </h3>
              {list.map((s) => (
                <MinimumsTable key={s.code} section={s} base={page.base} values={values.minimums} errorFor={errorFor} />
              ))}
            </section>
          ),
        )}

        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Textarea
              name="whatChanged"
              label="What changed, and why"
              hint={`Compared with the profile you started from. Kept in the audit trail and shown with this version. Up to ${WHAT_CHANGED_MAX.toLocaleString("en-GB")} characters.`}
              defaultValue={values.whatChanged}
              error={errorFor("whatChanged")}
              rows={4}
            />
          </div>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save as a new version
          </button>
          <Link to={`/frameworks/${page.version.id}#profiles`} className="govuk-link">
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
