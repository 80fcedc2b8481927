import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { ratingLabel, ratingsFor, gapStatus } from "~/baseline/rating";
// The finding form and its post, shared with the section page (inspections.$id_.sections.$sectionId.tsx).
import { FindingConflict, FindingForm, valuesOf, type FindingValues } from "~/inspections/finding-form";
import { loadWorkspacePage, newIdempotencyKey, saveFindingForm, suggestedDueDates } from "~/inspections/finding-form.server";
import { earlierRatingText } from "~/inspections/movement-display";
// Not from findings.server: the component uses them, and runs in the browser too.
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { InspectionError, InspectionNotFound } from "~/inspections/inspections.server";
import { FindingRecord, FindingReviewComments } from "~/inspections/review-display";
import { answerComment, findingComments } from "~/inspections/review.server";
import { EvidenceFiles } from "~/inspections/evidence-display";
import { listEvidence } from "~/inspections/evidence.server";
import { criterionWorkspace } from "~/inspections/workspace.server";
import { othersPresent, recordWorkspaceView } from "~/inspections/presence.server";
import { isOfflinePreparation } from "~/offline/offline.server";
import { isPresenceBeat, PresencePanel } from "~/inspections/presence";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
// Autosave and keyboard shortcuts (JavaScript only; the form works as before without it).
import { useEffect, useRef } from "react";
import { keepEdit, waitingFields } from "~/offline/offline-runtime";
import { preparedRecord } from "~/offline/prepare";
import { fillForm } from "~/offline/waiting-fields";
import { useKeptEditResolution } from "~/offline/kept-edit";
import { useCriteriaWaiting, WaitingTag } from "~/offline/waiting-mark";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { AUTOSAVE_MODE, useFindingAutosave, useFindingShortcuts, type AutosaveSaved } from "~/inspections/autosave";
import { AutosaveStatusLine, KeyboardShortcuts } from "~/inspections/autosave-ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.workspace.criterion.code ?? ""} ${data?.workspace.criterion.title ?? "Finding"} – ${data?.workspace.inspection.trustName ?? "Inspection"} – Deep Dive` },
];

const load = (args: LoaderFunctionArgs | ActionFunctionArgs, user: SessionUser) => loadWorkspacePage(args, user, "criterionId", criterionWorkspace);

/** The team records findings while on site and in draft; programme leads and admins read them. */
export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  recordWorkspaceView(workspace.inspection.id, `criterion ${workspace.criterion.code}`, workspace.criterion.id, actorFor(user, args.context), { preparingOffline: isOfflinePreparation(args.request) });
  return {
    workspace,
    canEdit: access === "team" && (RECORDING_STATUSES as readonly string[]).includes(workspace.inspection.status),
    // The reviewer's comments on this finding; the team answers them while the findings are in draft.
    comments: findingComments(workspace.finding.id),
    canAnswer: access === "team" && workspace.inspection.status === "draft",
    // Its evidence files; the team adds and removes them while recording (as canEdit).
    evidence: listEvidence(workspace.finding.id),
    idempotencyKey: newIdempotencyKey(),
    suggestedDue: suggestedDueDates(workspace.inspection.visitDate),
    saved: new URL(args.request.url).searchParams.get("saved"),
    others: othersPresent(workspace.inspection.id, user.id),
  };
}

/** The team answers a reviewer's comment on this finding (intent=answer): apart from saving the finding. */
function answer(args: ActionFunctionArgs, form: FormData, findingId: string, user: SessionUser) {
  const commentId = typeof form.get("commentId") === "string" ? String(form.get("commentId")) : "";
  if (!findingComments(findingId).some((c) => c.id === commentId)) throw notFound();
  const response = typeof form.get("response") === "string" ? String(form.get("response")).slice(0, 4000) : "";
  try {
    answerComment(commentId, response, actorFor(user, args.context));
  } catch (error) {
    if (error instanceof InspectionNotFound) throw notFound();
    if (error instanceof InspectionError) return data({ outcome: "answer" as const, commentId, error: error.message, response }, { status: 400 });
    throw error;
  }
  return redirect(`${new URL(args.request.url).pathname}#comment-${commentId}`);
}

export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const { workspace, access } = load(args, user);
  // Only the team records findings; programme leads and admins read them.
  if (access !== "team") refuse(args, user, "saving a finding of an inspection the user is not on");
  const form = await args.request.formData();
  if (form.get("intent") === "answer") return answer(args, form, workspace.finding.id, user);
  const { criterion } = workspace;
  const result = saveFindingForm(form, workspace, user);
  if (result.outcome === "problem") return data(result.problem, { status: result.status });
  // Autosave (a fetcher, with JavaScript): the new version and when, as data; the page stays as it is.
  if (form.get("mode") === AUTOSAVE_MODE) return data<AutosaveSaved>({ outcome: "saved", version: result.finding.version, savedAt: result.finding.updatedAt });
  const next = form.get("then") === "next" && workspace.next !== null ? workspace.next : criterion.id;
  return redirect(`/inspections/${workspace.inspection.id}/criteria/${next}?saved=${criterion.id === next ? "this" : criterion.code}`);
}

/** An autosave changes nothing on the page but the status and the base version: its data is not loaded again. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, formAction, defaultShouldRevalidate }) =>
  formData?.get("mode") === AUTOSAVE_MODE || isPresenceBeat(formAction) ? false : defaultShouldRevalidate;

export default function CriterionPage() {
  const { workspace, canEdit, idempotencyKey, suggestedDue, saved, comments, canAnswer, others, evidence } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const answered = actionData?.outcome === "answer" ? actionData : undefined;
  const fromAction = actionData?.outcome === "answer" || actionData?.outcome === "saved" ? undefined : actionData;
  const { inspection, criterion, finding, minimum, earlier } = workspace;
  // Autosave: the form's hidden base version and key follow its saves; a problem it meets is shown like the Save button's.
  const formRef = useRef<HTMLFormElement>(null);
  const serverKey = fromAction?.idempotencyKey ?? idempotencyKey;
  const autosave = useFindingAutosave<NonNullable<typeof fromAction>>({
    formRef,
    enabled: canEdit && fromAction?.outcome !== "conflict",
    serverKey,
    serverVersion: fromAction?.outcome === "conflict" ? fromAction.current.version : fromAction?.outcome === "invalid" ? fromAction.baseVersion : finding.version,
    // With no connection, an inspection prepared for offline use keeps the edit in the outbox (app/offline).
    offline: {
      available: () => preparedRecord(inspection.id) !== null,
      keep: (form, baseVersion) => keepEdit({ inspectionId: inspection.id, findingId: finding.id, criterionId: criterion.id, baseVersion, fields: [...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string") }),
    },
  });
  // After a reload with no connection the page is the prepared copy: edits still waiting in the outbox go back in the
  // form. Online, the page shows the server's finding: the banner sends what waits, or shows what met someone's save.
  useEffect(() => {
    if (!canEdit || navigator.onLine || !preparedRecord(inspection.id)) return;
    void waitingFields(finding.id).then((fields) => {
      if (fields && formRef.current) fillForm(formRef.current, fields);
    });
  }, [canEdit, inspection.id, finding.id]);
  // A change kept offline that met someone else's save: this page shows it against theirs (app/offline/kept-edit.ts).
  const [searchParams] = useSearchParams();
  const waiting = useCriteriaWaiting(inspection.id);
  useKeptEditResolution({ enabled: canEdit, findingId: finding.id, criterionCode: criterion.code, kept: searchParams.has("kept"), saved, answered: actionData !== undefined, idempotencyKey });
  const criterionUrl = (id: number | null) => (id === null ? null : `/inspections/${inspection.id}/criteria/${id}`);
  useFindingShortcuts({ formRef, nextUrl: criterionUrl(workspace.next), previousUrl: criterionUrl(workspace.previous), saveNow: canEdit ? autosave.saveNow : null });
  const result = autosave.touched ? autosave.result : fromAction;
  const values: FindingValues = result?.values ?? valuesOf(finding);
  const baseVersion = autosave.baseVersion;
  const key = autosave.idempotencyKey;
  const errors = result?.outcome === "invalid" ? result.errors : undefined;
  const gap = gapStatus(finding.rating, minimum);
  return (
    <>
      <Link to={`/inspections/${inspection.id}`} className="govuk-back-link">
        Back to the inspection
      </Link>
      {saved && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{saved === "this" ? `Saved at ${formatDateTime(finding.updatedAt)}` : `${saved} saved`}</p>
        </NotificationBanner>
      ) : null}
      {result?.outcome === "conflict" ? (
        <FindingConflict id="conflict" criterion={criterion} current={result.current} values={values} theirsUrl={`/inspections/${inspection.id}/criteria/${criterion.id}`} />
      ) : null}
      <ErrorSummary errors={errors} />
      {answered ? <ErrorSummary errors={{ [`response-${answered.commentId}`]: answered.error }} /> : null}
      <span className="govuk-caption-l">{`${inspection.trustName} · ${workspace.sectionTrail.join(" › ")}`}</span>
      <h1 className="govuk-heading-l">{`${criterion.code} ${criterion.title}`}</h1>
      {waiting.has(criterion.id) ? (
        <p className="govuk-body">
          <WaitingTag show /> Changes to this finding are kept on this laptop, waiting to be sent.
        </p>
      ) : null}
      <p className="govuk-body">
        <Link className="govuk-link" to={`/inspections/${inspection.id}/sections/${workspace.section.id}`}>
          {`All of ${workspace.section.code} ${workspace.section.title} on one page`}
        </Link>
      </p>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-s">What good looks like</h2>
          <p className="govuk-body">{criterion.goodLooksLike}</p>
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Evidence to seek</span>
            </summary>
            <div className="govuk-details__text">{criterion.evidence}</div>
          </details>
          <dl className="govuk-summary-list">
            <SummaryRow label="Minimum for the profile">{minimum ? ratingLabel(minimum, criterion.scale) : "None"}</SummaryRow>
            <SummaryRow label="Rating now">
              {`${ratingLabel(finding.rating, criterion.scale)}${gap === "gap" ? " (a gap against the profile)" : ""}`}
            </SummaryRow>
            {earlier ? <SummaryRow label="Last inspection">{earlierRatingText(earlier, workspace.movement, criterion.scale)}</SummaryRow> : null}
          </dl>

          <PresencePanel inspectionId={inspection.id} criterionId={criterion.id} initial={others} />
          <KeyboardShortcuts ratings={canEdit ? ratingsFor(criterion.scale).length : 0} />
          {canEdit ? (
            <FindingForm
              key={serverKey}
              id="finding-form"
              criterion={criterion}
              values={values}
              errors={errors}
              baseVersion={baseVersion}
              idempotencyKey={key}
              suggestedDue={suggestedDue}
              formRef={formRef}
              onSubmit={autosave.onSubmit}
              status={<AutosaveStatusLine status={autosave.status} />}
              nextLabel={workspace.next !== null ? "Save and go to the next criterion" : null}
              merge={result?.outcome === "conflict"}
            />
          ) : (
            <>
              <p className="govuk-body">
                {(RECORDING_STATUSES as readonly string[]).includes(inspection.status)
                  ? "Only the inspection team records findings."
                  : inspection.status === "planned"
                    ? "Findings are recorded once the team has arrived on site."
                    : ["approved", "factual_accuracy", "published"].includes(inspection.status)
                      ? "The findings are approved: they can no longer be changed."
                      : "The findings are submitted for review: they can no longer be changed."}
              </p>
              {inspection.status !== "planned" ? <FindingRecord finding={finding} scale={criterion.scale} /> : null}
            </>
          )}
          <EvidenceFiles inspectionId={inspection.id} findingId={finding.id} criterionId={criterion.id} files={evidence} canChange={canEdit} />
          <FindingReviewComments comments={comments} canAnswer={canAnswer} answer={answered} />
          <nav className="govuk-pagination govuk-pagination--block" aria-label="Criteria">
            {workspace.previous !== null ? (
              <div className="govuk-pagination__prev">
                <Link className="govuk-link govuk-pagination__link" to={`/inspections/${inspection.id}/criteria/${workspace.previous}`} rel="prev">
                  <span className="govuk-pagination__link-title">Previous criterion</span>
                </Link>
              </div>
            ) : null}
            {workspace.next !== null ? (
              <div className="govuk-pagination__next">
                <Link className="govuk-link govuk-pagination__link" to={`/inspections/${inspection.id}/criteria/${workspace.next}`} rel="next">
                  <span className="govuk-pagination__link-title">Next criterion</span>
                </Link>
              </div>
            ) : null}
          </nav>
        </div>
      </div>
    </>
  );
}
