/**
 * A section at a time: every criterion of one section (and of the sections below it) on one page, each with its own
 * finding form (app/inspections/finding-form.tsx) that saves on its own, by the same rules as the criterion page: the
 * version it was based on (someone else's save first is a conflict, shown here with both versions), an idempotency
 * key, and Save buttons that work without JavaScript. The URL names the section by its id (a section's code is only
 * unique within its framework version, and an inspection may use several).
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { hasEarlierRatings, ratingLabel } from "~/baseline/rating";
import { FindingConflict, FindingForm, valuesOf, type FindingValues } from "~/inspections/finding-form";
import { loadWorkspacePage, newIdempotencyKey, saveFindingForm, suggestedDueDates } from "~/inspections/finding-form.server";
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { earlierRatingText, movementCounts } from "~/inspections/movement-display";
import { FindingRecord } from "~/inspections/review-display";
import { sectionWorkspace, type SectionCriterion } from "~/inspections/workspace.server";
import { othersPresent, recordWorkspaceView } from "~/inspections/presence.server";
import { isOfflinePreparation } from "~/offline/offline.server";
import { useSectionOffline } from "~/offline/section-offline";
import { useCriteriaWaiting, WaitingTag } from "~/offline/waiting-mark";
import { isPresenceBeat, PresencePanel } from "~/inspections/presence";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.workspace.section.code ?? ""} ${data?.workspace.section.title ?? "Section"} – ${data?.workspace.inspection.trustName ?? "Inspection"} – Deep Dive` },
];

const load = (args: LoaderFunctionArgs | ActionFunctionArgs, user: SessionUser) => loadWorkspacePage(args, user, "sectionId", sectionWorkspace);

export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  isPresenceBeat(formAction) ? false : defaultShouldRevalidate;

/** The same people as the criterion page: the team records findings while on site and in draft; others read them. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  recordWorkspaceView(workspace.inspection.id, `section ${workspace.section.code}`, null, actorFor(user, args.context), { preparingOffline: isOfflinePreparation(args.request) });
  const canEdit = access === "team" && (RECORDING_STATUSES as readonly string[]).includes(workspace.inspection.status);
  const saved = Number(new URL(args.request.url).searchParams.get("saved"));
  return {
    workspace,
    canEdit,
    // A fresh key for each form, each time the page is rendered: a form sent twice is saved once.
    keys: canEdit ? Object.fromEntries(workspace.parts.flatMap((p) => p.criteria.map((c) => [c.criterion.id, newIdempotencyKey()]))) : {},
    suggestedDue: suggestedDueDates(workspace.inspection.visitDate),
    saved: Number.isSafeInteger(saved) && saved > 0 ? saved : null,
    others: othersPresent(workspace.inspection.id, user.id),
  };
}

/** One criterion's form was sent (the criterion is named in the form): saved as on the criterion page. */
export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  // Only the team records findings; programme leads and admins read them.
  if (access !== "team") refuse(args, user, "saving a finding of an inspection the user is not on");
  const form = await args.request.formData();
  const criteria = workspace.parts.flatMap((p) => p.criteria);
  const index = criteria.findIndex((c) => String(c.criterion.id) === form.get("criterionId"));
  if (index === -1) throw notFound();
  const entry = criteria[index]!;
  const result = saveFindingForm(form, entry, user);
  if (result.outcome === "problem") return data(result.problem, { status: result.status });
  // Back to the section, at the next criterion (the last one stays where it is), with the saved one named.
  const next = criteria[index + 1] ?? entry;
  return redirect(`/inspections/${workspace.inspection.id}/sections/${workspace.section.id}?saved=${entry.criterion.id}#criterion-${next.criterion.id}`);
}

type Heading = "h2" | "h3" | "h4";
const headingAt = (level: number): Heading => (level <= 2 ? "h2" : level === 3 ? "h3" : "h4");

/** What each form on the page was last rendered from; a form starts afresh only after its own save or problem. */
interface FormState {
  generation: number;
  /** The finding's version this form's edits are based on. */
  baseVersion: number;
  idempotencyKey: string;
  values: FindingValues;
  problemKey: string | null;
  savedVersion: number | null;
}

export default function SectionPage() {
  const { workspace, canEdit, keys, suggestedDue, saved, others } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>();
  const location = useLocation();
  const { inspection, section, parts } = workspace;
  const criteria = parts.flatMap((p) => p.criteria);
  const criterionUrl = (id: number) => `/inspections/${inspection.id}/criteria/${id}`;
  const sectionUrl = (id: number) => `/inspections/${inspection.id}/sections/${id}`;
  const savedEntry = saved !== null && !problem ? criteria.find((c) => c.criterion.id === saved) : undefined;

  // With JavaScript, saving one form re-renders the page: the other forms keep what was typed in them and the version
  // they were based on (someone else's save in between is then a conflict when they are saved, never overwritten).
  const forms = useRef(new Map<number, FormState>());
  const formFor = ({ criterion, finding }: SectionCriterion): FormState => {
    const known = forms.current.get(criterion.id);
    const mine = problem?.criterionId === criterion.id ? problem : undefined;
    const fresh = (): FormState => ({
      generation: (known?.generation ?? -1) + 1,
      baseVersion: mine ? (mine.outcome === "conflict" ? mine.current.version : mine.baseVersion) : finding.version,
      idempotencyKey: mine?.idempotencyKey ?? keys[criterion.id] ?? "",
      values: mine?.values ?? valuesOf(finding),
      problemKey: mine?.idempotencyKey ?? null,
      savedVersion: saved === criterion.id ? finding.version : null,
    });
    const startAfresh =
      !known || (mine ? mine.idempotencyKey !== known.problemKey : saved === criterion.id && finding.version !== (known.savedVersion ?? known.baseVersion));
    const state = startAfresh ? fresh() : known;
    forms.current.set(criterion.id, state);
    return state;
  };

  // After a save the page opens at the next criterion: its heading takes the focus, so Tab goes on from there.
  useEffect(() => {
    const target = /^#(criterion-\d+)$/.exec(location.hash)?.[1];
    if (target) document.getElementById(target)?.focus();
  }, [location.key, location.hash]);
  // A form's problem (refused, or someone else saved first): the summary at the top takes the focus.
  useEffect(() => {
    if (problem) document.querySelector<HTMLElement>("#main-content .govuk-error-summary")?.focus();
  }, [problem]);

  // With no connection on a prepared inspection, each Save keeps its form on the laptop (app/offline/section-offline.tsx).
  const waiting = useCriteriaWaiting(inspection.id);
  const offline = useSectionOffline(
    inspection.id,
    canEdit,
    criteria.map(({ criterion, finding }) => ({ criterionId: criterion.id, findingId: finding.id, formId: `finding-form-${criterion.id}` })),
  );

  const problemEntry = problem ? criteria.find((c) => c.criterion.id === problem.criterionId) : undefined;
  const prefix = (id: number) => `c${id}-`;
  return (
    <>
      <Link to={`/inspections/${inspection.id}`} className="govuk-back-link">
        Back to the inspection
      </Link>
      {savedEntry ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{`${savedEntry.criterion.code} saved at ${formatDateTime(savedEntry.finding.updatedAt)}`}</p>
        </NotificationBanner>
      ) : null}
      {problem && problemEntry ? (
        problem.outcome === "conflict" ? (
          <ErrorSummary
            items={[{ field: `conflict-${problemEntry.criterion.id}`, text: `Someone else saved ${problemEntry.criterion.code} while you were working: compare the two versions` }]}
          />
        ) : (
          <ErrorSummary
            description={`${problemEntry.criterion.code} ${problemEntry.criterion.title} was not saved.`}
            errors={Object.fromEntries(Object.entries(problem.errors).map(([field, text]) => [`${prefix(problemEntry.criterion.id)}${field}`, text]))}
          />
        )
      ) : null}
      <span className="govuk-caption-l">{[inspection.trustName, workspace.frameworkTitle, ...workspace.trail].join(" · ")}</span>
      <h1 className="govuk-heading-l">{`${section.code} ${section.title}`}</h1>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {section.description ? <p className="govuk-body">{section.description}</p> : null}
          <dl className="govuk-summary-list">
            <SummaryRow label="Progress">
              {`${workspace.summary.assessed} of ${workspace.summary.total} criteria assessed, ${workspace.summary.gaps} ${workspace.summary.gaps === 1 ? "gap" : "gaps"} against the profile`}
            </SummaryRow>
            {hasEarlierRatings(workspace.movement) ? <SummaryRow label="Since the last inspection">{movementCounts(workspace.movement)}</SummaryRow> : null}
            <SummaryRow label="Profile">{workspace.profileName}</SummaryRow>
          </dl>
          <PresencePanel inspectionId={inspection.id} criterionId={null} initial={others} />
          {canEdit ? (
            <div className="govuk-inset-text">
              Each criterion has its own Save button, which saves that criterion only. Save each one before you leave the page or save another.
            </div>
          ) : (
            <p className="govuk-body">
              {(RECORDING_STATUSES as readonly string[]).includes(inspection.status)
                ? "Only the inspection team records findings."
                : inspection.status === "planned"
                  ? "Findings are recorded once the team has arrived on site."
                  : ["approved", "factual_accuracy", "published"].includes(inspection.status)
                    ? "The findings are approved: they can no longer be changed."
                    : "The findings are submitted for review: they can no longer be changed."}
            </p>
          )}

          {parts.map((part) => {
            const PartHeading = headingAt(1 + part.depth);
            const CriterionHeading = headingAt(2 + part.depth);
            return (
              <div key={part.id}>
                {part.depth > 0 ? (
                  <PartHeading className="govuk-heading-m" id={`section-${part.id}`}>
                    {`${part.code} ${part.title}`}
                  </PartHeading>
                ) : null}
                {part.criteria.map((entry) => {
                  const { criterion, finding, minimum, gap, earlier } = entry;
                  const id = criterion.id;
                  const state = canEdit ? formFor(entry) : null;
                  const mine = problem?.criterionId === id ? problem : undefined;
                  return (
                    <section key={id} aria-labelledby={`criterion-${id}`}>
                      <hr className="govuk-section-break govuk-section-break--m govuk-section-break--visible" />
                      <CriterionHeading className={CriterionHeading === "h2" ? "govuk-heading-m" : "govuk-heading-s"} id={`criterion-${id}`} tabIndex={-1}>
                        <Link className="govuk-link" to={criterionUrl(id)}>
                          {`${criterion.code} ${criterion.title}`}
                        </Link>{" "}
                        <WaitingTag show={waiting.has(id)} />
                      </CriterionHeading>
                      <details className="govuk-details">
                        <summary className="govuk-details__summary">
                          <span className="govuk-details__summary-text">
                            What good looks like<span className="govuk-visually-hidden">{` for ${criterion.code}`}</span>
                          </span>
                        </summary>
                        <div className="govuk-details__text">
                          <p className="govuk-body">{criterion.goodLooksLike}</p>
                          <p className="govuk-body">
                            <strong>Evidence to seek: </strong>
                            {criterion.evidence}
                          </p>
                        </div>
                      </details>
                      <dl className="govuk-summary-list">
                        <SummaryRow label="Minimum for the profile">{minimum ? ratingLabel(minimum, criterion.scale) : "None"}</SummaryRow>
                        <SummaryRow label="Rating now">{`${ratingLabel(finding.rating, criterion.scale)}${gap === "gap" ? " (a gap against the profile)" : ""}`}</SummaryRow>
                        {earlier ? <SummaryRow label="Last inspection">{earlierRatingText(earlier, entry.movement, criterion.scale)}</SummaryRow> : null}
                      </dl>
                      {mine?.outcome === "conflict" ? (
                        <FindingConflict
                          id={`conflict-${id}`}
                          criterion={criterion}
                          current={mine.current}
                          values={mine.values}
                          theirsUrl={criterionUrl(id)}
                          subject={criterion.code}
                        />
                      ) : null}
                      {state ? (
                        <FindingForm
                          key={`${id}-${state.generation}`}
                          id={`finding-form-${id}`}
                          idPrefix={prefix(id)}
                          criterion={criterion}
                          values={state.values}
                          errors={mine?.outcome === "invalid" ? mine.errors : undefined}
                          baseVersion={state.baseVersion}
                          idempotencyKey={state.idempotencyKey}
                          suggestedDue={suggestedDue}
                          hidden={{ criterionId: String(id) }}
                          saveSuffix={criterion.code}
                          merge={mine?.outcome === "conflict"}
                          legendSize="s"
                          onSubmit={offline.onSubmitFor(id, finding.id, state.baseVersion)}
                          status={offline.statusFor(id)}
                        />
                      ) : inspection.status !== "planned" ? (
                        <FindingRecord finding={finding} scale={criterion.scale} heading={headingAt(3 + part.depth)} />
                      ) : null}
                    </section>
                  );
                })}
              </div>
            );
          })}

          <nav className="govuk-pagination govuk-pagination--block" aria-label="Sections">
            {workspace.previous ? (
              <div className="govuk-pagination__prev">
                <Link className="govuk-link govuk-pagination__link" to={sectionUrl(workspace.previous.id)} rel="prev">
                  <span className="govuk-pagination__link-title">Previous section</span>
                  <span className="govuk-visually-hidden">:</span>
                  <span className="govuk-pagination__link-label">{`${workspace.previous.code} ${workspace.previous.title}`}</span>
                </Link>
              </div>
            ) : null}
            {workspace.next ? (
              <div className="govuk-pagination__next">
                <Link className="govuk-link govuk-pagination__link" to={sectionUrl(workspace.next.id)} rel="next">
                  <span className="govuk-pagination__link-title">Next section</span>
                  <span className="govuk-visually-hidden">:</span>
                  <span className="govuk-pagination__link-label">{`${workspace.next.code} ${workspace.next.title}`}</span>
                </Link>
              </div>
            ) : null}
          </nav>
        </div>
      </div>
    </>
  );
}
