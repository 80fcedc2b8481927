import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { notFound, requireStaff } from "~/auth/guards.server";
import { frameworkVersionView, type CriterionView, type SectionView } from "~/baseline/frameworks.server";
import { minimumLabel, profileLineages } from "~/baseline/profile-rules";
import { profileHistories } from "~/baseline/profiles.server";
import { formatDateTime } from "~/ui/dates";
import { NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.version.title} – Baseline frameworks – Deep Dive` : "Page not found – Deep Dive" },
];

/**
 * One framework version: its sections and criteria as a tree, with indicators, and its profiles, each with its
 * versions (newest first) and their minimums. Programme leads are offered to define a new profile version.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const view = frameworkVersionView(args.params.id ?? "");
  if (!view) throw notFound();
  const histories = profileHistories(view);
  const lineages = profileLineages(view.profiles).map((l) => ({
    code: l.code,
    versions: l.versions.map((v) => ({ ...v, history: histories.get(v.id) ?? null })),
  }));
  // After a programme lead saves a profile version (?created=ID), a banner says so.
  const createdId = new URL(args.request.url).searchParams.get("created");
  const created = view.profiles.find((p) => !p.fromFile && String(p.id) === createdId);
  return {
    ...view,
    lineages,
    canDefineProfiles: user.role === "programme_lead",
    created: created ? { id: created.id, name: created.name, version: created.version } : null,
  };
}

type Scale = CriterionView["scale"];
type Level = CriterionView["indicators"][number]["level"];

const LEVELS: readonly Level[] = ["achieved", "partially_achieved", "not_achieved"];

/** A rating as people read it on the criterion's scale: Met and Not met for Cyber Essentials requirements. */
function ratingText(level: Level, scale: Scale): string {
  if (scale === "met") return level === "achieved" ? "Met" : "Not met";
  return { achieved: "Achieved", partially_achieved: "Partially achieved", not_achieved: "Not achieved" }[level];
}

const SCALE_TEXT: Record<Scale, string> = {
  caf: "Achieved, partially achieved or not achieved",
  met: "Met or not met",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** Text from the file, a paragraph for each block separated by a blank line; `tight` in a summary list's value. */
function Paragraphs({ text, tight }: { text: string; tight?: boolean }) {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return (
    <>
      {blocks.map((block, i) => (
        <p className={`govuk-body${tight && i === blocks.length - 1 ? " govuk-!-margin-bottom-0" : ""}`} key={i}>
          {block}
        </p>
      ))}
    </>
  );
}

/**
 * h2 for a top-level section, then one level down for each level of the tree (at most h6), so headings never skip
 * a level. Sections are larger the higher they are; criteria are always small.
 */
function Heading({ level, id, small, children }: { level: number; id?: string; small?: boolean; children: ReactNode }) {
  const Tag = `h${Math.min(level, 6)}` as "h2" | "h3" | "h4" | "h5" | "h6";
  const size = small || level > 3 ? "govuk-heading-s" : level === 3 ? "govuk-heading-m" : "govuk-heading-l";
  return (
    <Tag className={size} id={id}>
      {children}
    </Tag>
  );
}

function Criterion({ criterion, level }: { criterion: CriterionView; level: number }) {
  const byLevel = LEVELS.map((l) => ({ level: l, indicators: criterion.indicators.filter((i) => i.level === l) })).filter((g) => g.indicators.length > 0);
  return (
    <div className="govuk-!-margin-bottom-8">
      <Heading level={level} id={`criterion-${criterion.code}`} small>
        {criterion.code} {criterion.title}
      </Heading>
      <dl className="govuk-summary-list">
        <SummaryRow label="Rated as" value={SCALE_TEXT[criterion.scale]} />
        <SummaryRow label="What good looks like">
          <Paragraphs text={criterion.goodLooksLike} tight />
        </SummaryRow>
        <SummaryRow label="Evidence to seek">
          <Paragraphs text={criterion.evidence} tight />
        </SummaryRow>
        {criterion.recordsDevices ? <SummaryRow label="Devices" value="Findings record how many devices were sampled and how many failed" /> : null}
        {byLevel.map((group) => (
          <SummaryRow
            key={group.level}
            label={criterion.scale === "met" ? "Requirements to be met" : `Indicators: ${ratingText(group.level, criterion.scale)}`}
          >
            <ul className="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
              {group.indicators.map((i) => (
                <li key={i.code}>
                  {i.text} <span className="govuk-hint govuk-!-display-inline govuk-!-font-size-16">({i.code})</span>
                </li>
              ))}
            </ul>
          </SummaryRow>
        ))}
        {byLevel.length === 0 ? <SummaryRow label="Indicators" value="None in this version" /> : null}
      </dl>
    </div>
  );
}

function Section({ section, level }: { section: SectionView; level: number }) {
  return (
    <section aria-labelledby={`section-${section.code}`}>
      <Heading level={level} id={`section-${section.code}`}>
        <span className="govuk-caption-m">{section.code}</span>
        {section.title}
      </Heading>
      {section.description ? <Paragraphs text={section.description} /> : null}
      {section.criteria.map((c) => (
        <Criterion key={c.id} criterion={c} level={level + 1} />
      ))}
      {section.sections.map((s) => (
        <Section key={s.id} section={s} level={level + 1} />
      ))}
    </section>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** A profile's minimums, criterion by criterion, as a table (for a superseded version, inside its details). */
function MinimumsList({ criteria, minimums, id, caption }: { criteria: Loaded["criteria"]; minimums: Record<string, Level>; id: string; caption: string }) {
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet" id={id}>
        <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">{caption}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Criterion
            </th>
            <th scope="col" className="govuk-table__header">
              Minimum
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {criteria.map((c) => {
            const minimum = minimums[c.code];
            return (
              <tr className="govuk-table__row" key={c.code}>
                <th scope="row" className="govuk-table__header">
                  {c.code} {c.title}
                </th>
                <td className="govuk-table__cell">{minimum ? minimumLabel(minimum, c.scale) : "No minimum"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ProfileVersions({ lineage, criteria }: { lineage: Loaded["lineages"][number]; criteria: Loaded["criteria"] }) {
  const newest = lineage.versions[0]!;
  return (
    <section aria-labelledby={`profile-${lineage.code}`} className="govuk-!-margin-bottom-8">
      <h3 className="govuk-heading-m" id={`profile-${lineage.code}`}>
        {newest.name}
        <span className="govuk-hint govuk-!-display-inline govuk-!-font-size-19"> ({lineage.code})</span>
      </h3>
      {lineage.versions.map((v) => {
        const history = v.history;
        return (
          <div key={v.id} id={`profile-version-${v.id}`} className="govuk-!-margin-bottom-6">
            <h4 className="govuk-heading-s">
              {v.name}, version {v.version}{" "}
              {v.supersededBy ? (
                <strong className="govuk-tag govuk-tag--grey">Superseded by version {v.supersededBy}</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--green">Latest</strong>
              )}
            </h4>
            <dl className="govuk-summary-list">
              <SummaryRow label="Description">{v.description ? <Paragraphs text={v.description} tight /> : "None"}</SummaryRow>
              <SummaryRow label={v.fromFile ? "Loaded" : "Defined"}>
                {v.fromFile ? `With the framework file, ${formatDateTime(v.createdAt)}` : `${formatDateTime(v.createdAt)} by ${v.createdBy}`}
              </SummaryRow>
              {history ? (
                <>
                  <SummaryRow label="What changed">{history.whatChanged ? <Paragraphs text={history.whatChanged} tight /> : "Not recorded"}</SummaryRow>
                  {history.comparedWith ? (
                    <SummaryRow label={`Minimums changed from ${history.comparedWith.name}, version ${history.comparedWith.version}`}>
                      {history.changes.length === 0 ? (
                        "None"
                      ) : (
                        <ul className="govuk-list govuk-!-margin-bottom-0">
                          {history.changes.map((c) => (
                            <li key={c.code}>
                              {c.code} {c.title}: {c.from ? minimumLabel(c.from, c.scale) : "no minimum"} to {c.to ? minimumLabel(c.to, c.scale) : "no minimum"}
                            </li>
                          ))}
                        </ul>
                      )}
                    </SummaryRow>
                  ) : null}
                </>
              ) : null}
            </dl>
            {v.supersededBy ? (
              <details className="govuk-details">
                <summary className="govuk-details__summary">
                  <span className="govuk-details__summary-text">
                    Minimums of {v.name}, version {v.version}
                  </span>
                </summary>
                <div className="govuk-details__text">
                  <MinimumsList criteria={criteria} minimums={v.minimums} id={`profile-minimums-${v.id}`} caption={`Minimums of ${v.name}, version ${v.version}`} />
                </div>
              </details>
            ) : (
              <p className="govuk-body">
                <a className="govuk-link" href="#profile-minimums">
                  Its minimums are in the table of current profiles
                </a>
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

export default function FrameworkVersion() {
  const { version, sections, criteria, profiles, lineages, canDefineProfiles, created } = useLoaderData<typeof loader>();
  // The minimums table compares the latest version of each profile; superseded versions have theirs below.
  const current = lineages.map((l) => l.versions[0]!);
  return (
    <>
      <Link to="/frameworks" className="govuk-back-link">
        Back to baseline frameworks
      </Link>
      {created ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">
            {created.name}, version {created.version}, is saved
          </p>
          <p className="govuk-body">
            Inspections started from now on are offered it. Inspections already started keep the profile version they started with.{" "}
            <a className="govuk-notification-banner__link" href={`#profile-version-${created.id}`}>
              See the new version
            </a>
          </p>
        </NotificationBanner>
      ) : null}
      <span className="govuk-caption-l">
        Baseline framework {version.framework}, version {version.version}
      </span>
      <h1 className="govuk-heading-l">{version.title}</h1>
      <dl className="govuk-summary-list">
        <SummaryRow label="Framework" value={version.framework} />
        <SummaryRow label="Version" value={version.version} />
        <SummaryRow label="Source of the wording" value={version.source} />
        <SummaryRow
          label="Contents"
          value={`${plural(version.sections, "section")}, ${plural(version.criteria, "criterion", "criteria")}, ${plural(version.indicators, "indicator")} of good practice, ${plural(profiles.length, "profile")}`}
        />
        <SummaryRow label="Loaded">
          {formatDateTime(version.loadedAt)} by {version.loadedBy}
        </SummaryRow>
        <SummaryRow label="File SHA-256">
          <code className="govuk-!-text-break-word">{version.sha256}</code>
        </SummaryRow>
      </dl>
      <p className="govuk-body">
        This version never changes: new wording is loaded as a new version. Profiles are versioned too: a change to a profile is a new version of it.
      </p>

      <nav aria-labelledby="contents-heading" className="govuk-!-margin-bottom-8">
        <h2 className="govuk-heading-s" id="contents-heading">
          Contents
        </h2>
        <ul className="govuk-list">
          {sections.map((s) => (
            <li key={s.id}>
              <a className="govuk-link" href={`#section-${s.code}`}>
                {s.code} {s.title}
              </a>
            </li>
          ))}
          <li>
            <a className="govuk-link" href="#profiles">
              Profiles
            </a>
          </li>
        </ul>
      </nav>

      {sections.map((s) => (
        <Section key={s.id} section={s} level={2} />
      ))}

      <h2 className="govuk-heading-l" id="profiles">
        Profiles
      </h2>
      <p className="govuk-body">
        A profile sets the minimum rating each criterion needs for a trust to be good against it. A stored profile version never changes: a change is
        a new version, and an inspection keeps the version it was started with.
      </p>
      {canDefineProfiles ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/frameworks/${version.id}/profiles/new`}>
            Define a new profile version
          </Link>
        </p>
      ) : null}
      {profiles.length === 0 ? (
        <p className="govuk-body">This version has no profiles.</p>
      ) : (
        <>
          <dl className="govuk-summary-list">
            {current.map((p) => (
              <SummaryRow key={p.id} label={`${p.name} (version ${p.version})`}>
                {p.description || "No description."} <span className="govuk-hint govuk-!-display-inline govuk-!-font-size-16">({p.code})</span>
              </SummaryRow>
            ))}
          </dl>
          <div className="app-table-wrapper">
            <table className="govuk-table govuk-table--small-text-until-tablet" id="profile-minimums">
              <caption className="govuk-table__caption govuk-table__caption--m">Minimum rating by criterion, latest version of each profile</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Criterion
                  </th>
                  {current.map((p) => (
                    <th scope="col" className="govuk-table__header" key={p.id}>
                      {p.name} (version {p.version})
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {criteria.map((c) => (
                  <tr className="govuk-table__row" key={c.code}>
                    <th scope="row" className="govuk-table__header">
                      <a className="govuk-link" href={`#criterion-${c.code}`}>
                        {c.code} {c.title}
                      </a>
                    </th>
                    {current.map((p) => {
                      const minimum = p.minimums[c.code];
                      return (
                        <td className="govuk-table__cell" key={p.id}>
                          {minimum ? minimumLabel(minimum, c.scale) : "No minimum"}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="govuk-body">Each profile with its versions, newest first. A superseded version stays, with the inspections that use it.</p>
          {lineages.map((l) => (
            <ProfileVersions key={l.code} lineage={l} criteria={criteria} />
          ))}
        </>
      )}
    </>
  );
}
