import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { InspectionError } from "~/inspections/inspections.server";
import { InspectionStatusTag } from "~/inspections/inspection-display";
import { inspectionAccess, inspectionHeader } from "~/inspections/workspace.server";
import { AccuracyComment, commentSubject } from "~/reports/accuracy-display";
import {
  accuracyCommentsOf,
  AccuracyInputError,
  decideAccuracyComment,
  findingChoices,
  FindingEditConflict,
  findingText,
  openAccuracyCheck,
  publicationPanel,
  publishBlocker,
  publishCorrection,
  publishReport,
  reportVersionsOf,
  type FindingTextEdit,
} from "~/reports/publication.server";
import { ReportRenderError } from "~/reports/render.server";
import { CORRECTABLE_FIELD_LABELS, CORRECTABLE_FIELDS, CORRECTION_NOTE_MAX, DECISION_REASON_MAX, type CorrectableField } from "~/reports/publication-rules";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Radios, Textarea } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
import { TableHead } from "~/ui/table";

/**
 * The factual accuracy check and publication of one inspection's report, for staff: the trust's comments with the
 * reviewer's answers, publishing, the published versions and corrections. Everyone who may see the inspection reads
 * it (from approval on; before that it is 404); only the inspection's reviewer, or a programme lead not on the visit,
 * acts (the domain refuses anyone else). Every form is a plain POST, so it works without JavaScript.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Factual accuracy and publication: ${data?.inspection.trustName ?? "a trust"} – Deep Dive` }];

const SHOWN_STATUSES = new Set(["approved", "factual_accuracy", "published"]);
/** The most findings one correction edits at once. */
const MAX_CORRECTIONS = 20;

const DONE: Record<string, string> = {
  opened: "The factual accuracy check has started: the trust's users can now read the draft report and comment on it.",
  decided: "Your decision is saved. The trust can see it.",
  published: "The report is published as version 1. The trust can download it, and its actions are on its action plan.",
  corrected: "The correction is published as a new version. Earlier versions are kept, marked superseded.",
};

function loadInspection(args: LoaderFunctionArgs | ActionFunctionArgs, user: ReturnType<typeof requireStaff>) {
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "an inspection the user is not on");
  if (!SHOWN_STATUSES.has(inspection.status)) throw notFound();
  return inspection;
}

export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const inspection = loadInspection(args, user);
  const url = new URL(args.request.url);
  const panel = publicationPanel(inspection.id, user)!;
  const comments = accuracyCommentsOf(inspection.id);
  const choices = findingChoices(inspection.id);
  const ids = new Set(choices.map((c) => c.findingId));
  // Findings chosen for a correction (?correct=…), in the order chosen, each with the text and version to edit.
  const chosen = [...new Set(url.searchParams.getAll("correct"))].filter((id) => ids.has(id)).slice(0, MAX_CORRECTIONS);
  const editable = (findingId: string) => {
    const text = findingText(findingId)!;
    const choice = choices.find((c) => c.findingId === findingId)!;
    return { ...text, code: choice.code, title: choice.title };
  };
  return {
    inspection: { id: inspection.id, trustName: inspection.trustName, trustCode: inspection.trustCode, status: inspection.status },
    panel,
    comments: comments.map((c) => ({
      ...c,
      // The finding's text to edit, for an undecided comment on a finding the user may decide.
      finding: panel.mayAct && c.decision === null && c.findingId && inspection.status === "factual_accuracy" ? editable(c.findingId) : null,
    })),
    versions: reportVersionsOf(inspection.id),
    blocker: inspection.status === "factual_accuracy" ? publishBlocker(inspection.id, true) : null,
    choices: panel.mayAct && inspection.status === "published" ? choices.map((c) => ({ findingId: c.findingId, label: `${c.code} ${c.title}` })) : [],
    corrections: panel.mayAct && inspection.status === "published" ? chosen.map(editable) : [],
    done: DONE[url.searchParams.get("done") ?? ""] ?? null,
  };
}

interface ActionData {
  /** Errors by the id of the field they are about. */
  errors: Partial<Record<string, string>>;
  /** The comment whose form was sent, with what was typed, to show again. */
  commentId?: string;
  values?: Partial<Record<string, string>>;
}

const text = (form: FormData, name: string, max = 50_000) => {
  const value = form.get(name);
  return typeof value === "string" ? value.slice(0, max) : "";
};

/** The finding edit sent with a form: each text field under `<prefix><field>`, and the version it was based on. */
function editFrom(form: FormData, prefix: string, findingId: string): FindingTextEdit | null {
  if (!form.has(`${prefix}baseVersion`)) return null;
  const fields: Partial<Record<CorrectableField, string>> = {};
  for (const field of CORRECTABLE_FIELDS) if (form.has(`${prefix}${field}`)) fields[field] = text(form, `${prefix}${field}`);
  return { findingId, baseVersion: Number(text(form, `${prefix}baseVersion`, 20)), fields };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = loadInspection(args, user);
  const form = await args.request.formData();
  const intent = form.get("intent");
  const actor = actorFor(user, args.context);
  const done = (what: string) => redirect(`/inspections/${inspection.id}/accuracy?done=${what}`);
  const failed = (errors: ActionData["errors"], rest: Omit<ActionData, "errors"> = {}, status = 400) => data<ActionData>({ errors, ...rest }, { status });
  try {
    switch (intent) {
      case "open":
        openAccuracyCheck(inspection.id, actor);
        return done("opened");
      case "decide": {
        const commentId = text(form, "commentId", 100);
        const comment = accuracyCommentsOf(inspection.id).find((c) => c.id === commentId);
        if (!comment) throw notFound();
        const values: Partial<Record<string, string>> = { decision: text(form, `decision-${commentId}`, 20), reason: text(form, "reason") };
        for (const field of CORRECTABLE_FIELDS) if (form.has(`edit-${field}`)) values[field] = text(form, `edit-${field}`);
        try {
          decideAccuracyComment(
            commentId,
            { decision: values.decision, reason: values.reason, findingEdit: comment.findingId ? editFrom(form, "edit-", comment.findingId) : null },
            actor,
          );
        } catch (error) {
          if (error instanceof AccuracyInputError) {
            const errors: ActionData["errors"] = {};
            for (const [key, message] of Object.entries(error.fieldErrors)) {
              const field = key.includes(".") ? key.split(".")[1]! : key;
              const id = field === "decision" ? `decision-${commentId}` : field === "reason" ? `reason-${commentId}` : `${commentId}-${field}`;
              errors[id] ??= message;
            }
            return failed(errors, { commentId, values });
          }
          if (error instanceof FindingEditConflict) return failed({ [`comment-${commentId}`]: error.message }, { commentId });
          throw error;
        }
        return done("decided");
      }
      case "publish":
        try {
          await publishReport(inspection.id, { trustFinished: form.get("trustFinished") === "yes" }, actor);
        } catch (error) {
          if (!(error instanceof ReportRenderError)) throw error;
          console.error("Publishing the report failed", error);
          return failed({ publish: "The report could not be made, so nothing was published. Try again; if it fails again, tell the service's administrators." }, {}, 500);
        }
        return done("published");
      case "correct": {
        const findingIds = form
          .getAll("finding")
          .filter((v): v is string => typeof v === "string")
          .slice(0, MAX_CORRECTIONS);
        const edits = findingIds.flatMap((id) => editFrom(form, `${id}.`, id) ?? []);
        const values: Partial<Record<string, string>> = { note: text(form, "note") };
        for (const id of findingIds) for (const field of CORRECTABLE_FIELDS) values[`${id}-${field}`] = text(form, `${id}.${field}`);
        try {
          await publishCorrection(inspection.id, { note: values.note, findingEdits: edits }, actor);
        } catch (error) {
          if (error instanceof AccuracyInputError) {
            const errors: ActionData["errors"] = {};
            for (const [key, message] of Object.entries(error.fieldErrors)) errors[key === "note" ? "note" : key === "findingId" ? "correction" : `correct-${key.replace(".", "-")}`] ??= message;
            return failed(errors, { values });
          }
          if (error instanceof FindingEditConflict) return failed({ [`correct-${error.findingId}-observed`]: error.message }, { values });
          if (!(error instanceof ReportRenderError)) throw error;
          console.error("Publishing a correction failed", error);
          return failed(
            { correction: "The corrected report could not be made, so no new version was published (any corrected findings are saved). Publish the correction again; if it fails again, tell the service's administrators." },
            { values },
            500,
          );
        }
        return done("corrected");
      }
      default:
        return failed({ actions: "Choose what to do" });
    }
  } catch (error) {
    if (error instanceof InspectionError) return failed({ actions: error.message });
    throw error;
  }
}

export default function AccuracyPage() {
  const { inspection, panel, comments, versions, blocker, choices, corrections, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const valuesFor = (commentId: string) => (result?.commentId === commentId ? (result.values ?? {}) : {});
  const undecidedFirst = [...comments].sort((a, b) => Number(a.decision !== null) - Number(b.decision !== null));
  const mayDecide = panel.mayAct && inspection.status === "factual_accuracy";
  // The correction form posts to the page with its chosen findings, so a refused correction shows them again.
  const correctionQuery = corrections.length > 0 ? `?${new URLSearchParams(corrections.map((c) => ["correct", c.id])).toString()}` : "";
  return (
    <>
      {done && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={errors} />
      <Link className="govuk-back-link" to={`/inspections/${inspection.id}`}>
        Back to the inspection
      </Link>
      <span className="govuk-caption-l">{inspection.trustName}</span>
      <h1 className="govuk-heading-l">Factual accuracy and publication</h1>
      <dl className="govuk-summary-list">
        <SummaryRow label="Status">
          <InspectionStatusTag status={inspection.status} />
        </SummaryRow>
        {panel.openedAt ? <SummaryRow label="Check started">{`${formatDateTime(panel.openedAt)} by ${panel.openedByName ?? "the reviewer"}`}</SummaryRow> : null}
        {panel.closesOn ? (
          <SummaryRow label="The trust can comment until">{`${formatCalendarDate(panel.closesOn)}${inspection.status === "factual_accuracy" && !panel.windowOpen ? " (closed)" : ""}`}</SummaryRow>
        ) : null}
        {panel.openedAt ? <SummaryRow label="Comments from the trust">{`${panel.comments} ${panel.comments === 1 ? "comment" : "comments"}, ${panel.undecided} not decided`}</SummaryRow> : null}
      </dl>

      <div id="actions" tabIndex={-1}>
        {inspection.status === "approved" ? (
          <section aria-labelledby="open-heading">
            <h2 className="govuk-heading-m" id="open-heading">
              The trust&apos;s factual accuracy check
            </h2>
            {panel.mayAct ? (
              <>
                <p className="govuk-body">
                  {`The trust's users will be able to read the draft report and comment on its accuracy until ${formatCalendarDate(panel.wouldCloseOn)}, 10 working days from today. You then answer each comment, and publish the report.`}
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="open" />
                  <button type="submit" className="govuk-button" data-module="govuk-button">
                    Start the factual accuracy check
                  </button>
                </Form>
              </>
            ) : (
              <p className="govuk-body">The inspection&apos;s reviewer, or a programme lead who was not on the visit, starts the trust&apos;s factual accuracy check.</p>
            )}
          </section>
        ) : null}
      </div>

      {panel.openedAt ? (
        <section aria-labelledby="comments-heading">
          <h2 className="govuk-heading-m" id="comments-heading">
            The trust&apos;s comments
          </h2>
          {comments.length === 0 ? <p className="govuk-body">The trust has made no comments.</p> : null}
          {undecidedFirst.map((comment) => {
            const values = valuesFor(comment.id);
            return (
              <AccuracyComment key={comment.id} comment={comment}>
                {mayDecide && comment.decision === null ? (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="decide" />
                    <input type="hidden" name="commentId" value={comment.id} />
                    <Radios
                      name={`decision-${comment.id}`}
                      legend={`Your decision on this comment about ${commentSubject(comment)}`}
                      options={[
                        { value: "accepted", text: "Accept", hint: comment.finding ? "You can correct the finding's text below" : undefined },
                        { value: "rejected", text: "Reject" },
                      ]}
                      defaultValue={values.decision}
                      error={errors[`decision-${comment.id}`]}
                    />
                    <Textarea
                      name="reason"
                      id={`reason-${comment.id}`}
                      label="Reason"
                      hint={`The trust sees it with your decision. ${DECISION_REASON_MAX.toLocaleString("en-GB")} characters or fewer.`}
                      defaultValue={values.reason}
                      error={errors[`reason-${comment.id}`]}
                    />
                    {comment.finding ? (
                      <details className="govuk-details" open={CORRECTABLE_FIELDS.some((f) => errors[`${comment.id}-${f}`]) || undefined}>
                        <summary className="govuk-details__summary">
                          <span className="govuk-details__summary-text">{`Correct the finding ${comment.finding.code} (only when you accept)`}</span>
                        </summary>
                        <div className="govuk-details__text">
                          <p className="govuk-body">Change what the comment shows is wrong; leave the rest as it is. The finding keeps every earlier version.</p>
                          <input type="hidden" name="edit-baseVersion" value={comment.finding.version} />
                          {CORRECTABLE_FIELDS.map((field) => (
                            <Textarea
                              key={field}
                              name={`edit-${field}`}
                              id={`${comment.id}-${field}`}
                              label={CORRECTABLE_FIELD_LABELS[field]}
                              rows={field === "observed" ? 5 : 3}
                              defaultValue={values[field] ?? comment.finding![field]}
                              error={errors[`${comment.id}-${field}`]}
                            />
                          ))}
                        </div>
                      </details>
                    ) : null}
                    {errors[`comment-${comment.id}`] ? (
                      <p className="govuk-error-message" id={`comment-${comment.id}-error`}>
                        <span className="govuk-visually-hidden">Error:</span> {errors[`comment-${comment.id}`]}
                      </p>
                    ) : null}
                    <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                      Save the decision
                    </button>
                  </Form>
                ) : null}
              </AccuracyComment>
            );
          })}
        </section>
      ) : null}

      {inspection.status === "factual_accuracy" ? (
        <section aria-labelledby="publish-heading" id="publish" tabIndex={-1}>
          <h2 className="govuk-heading-m" id="publish-heading">
            Publishing the report
          </h2>
          {panel.mayAct ? (
            blocker ? (
              <p className="govuk-body">{`${blocker}.`}</p>
            ) : (
              <>
                <p className="govuk-body">
                  Publishing makes report version 1: the PDF is made once and kept exactly as published, and the trust&apos;s actions are made from the gaps. The findings
                  then change only by publishing a correction.
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="publish" />
                  {panel.windowOpen ? (
                    <div className="govuk-form-group">
                      <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        <div className="govuk-checkboxes__item">
                          <input className="govuk-checkboxes__input" id="trustFinished" name="trustFinished" type="checkbox" value="yes" aria-describedby="trustFinished-hint" />
                          <label className="govuk-label govuk-checkboxes__label" htmlFor="trustFinished">
                            The trust has told us it has finished checking the draft
                          </label>
                          <div id="trustFinished-hint" className="govuk-hint govuk-checkboxes__hint">
                            {`The trust can comment until ${formatCalendarDate(panel.closesOn)}. Publish before then only when the trust has said it has nothing more to raise.`}
                          </div>
                        </div>
                      </div>
                    </div>
                  ) : null}
                  <button type="submit" className="govuk-button" data-module="govuk-button">
                    Publish the report
                  </button>
                </Form>
              </>
            )
          ) : (
            <p className="govuk-body">The inspection&apos;s reviewer, or a programme lead who was not on the visit, answers the comments and publishes the report.</p>
          )}
        </section>
      ) : null}

      {versions.length > 0 ? (
        <section aria-labelledby="versions-heading">
          <h2 className="govuk-heading-m" id="versions-heading">
            Published versions
          </h2>
          <div className="app-table-wrapper">
            <table className="govuk-table govuk-table--small-text-until-tablet">
              <TableHead headings={["Version", "Published", "What changed", "SHA-256", { hidden: "Download" }]} />
              <tbody className="govuk-table__body">
                {versions.map((v) => (
                  <tr className="govuk-table__row" key={v.version}>
                    <td className="govuk-table__cell">
                      {`Version ${v.version}`}
                      {v.superseded ? <strong className="govuk-tag govuk-tag--grey govuk-!-margin-left-1">Superseded</strong> : null}
                    </td>
                    <td className="govuk-table__cell">{`${formatDateTime(v.publishedAt)} by ${v.publishedByName}`}</td>
                    <td className="govuk-table__cell app-preserve-lines">{v.changeNote || "First published"}</td>
                    <td className="govuk-table__cell">
                      <code className="app-hash">{v.sha256}</code>
                    </td>
                    <td className="govuk-table__cell">
                      <a className="govuk-link" href={`/inspections/${inspection.id}/reports/${v.version}.pdf`} download>
                        {`Download version ${v.version}`}
                        <span className="govuk-visually-hidden">{` (PDF, ${Math.max(1, Math.round(v.sizeBytes / 1024))} KB)`}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {inspection.status === "published" && panel.mayAct ? (
        <section aria-labelledby="correction-heading" id="correction" tabIndex={-1}>
          <h2 className="govuk-heading-m" id="correction-heading">
            Publish a correction
          </h2>
          <p className="govuk-body">
            A correction is a new version of the report with a note of what changed. The earlier versions stay as they were published, marked superseded. Choose
            the findings to correct, if any, then write the note.
          </p>
          <Form method="get" action={`/inspections/${inspection.id}/accuracy#correction`}>
            {corrections.map((c) => (
              <input key={c.id} type="hidden" name="correct" value={c.id} />
            ))}
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="correct">
                Finding to correct
              </label>
              <select className="govuk-select" id="correct" name="correct" defaultValue="">
                <option value="">Choose a criterion</option>
                {choices
                  .filter((c) => !corrections.some((x) => x.id === c.findingId))
                  .map((c) => (
                    <option key={c.findingId} value={c.findingId}>
                      {c.label}
                    </option>
                  ))}
              </select>
            </div>
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Add this finding to the correction
            </button>
          </Form>
          <Form method="post" noValidate action={`/inspections/${inspection.id}/accuracy${correctionQuery}`}>
            <input type="hidden" name="intent" value="correct" />
            {corrections.map((c) => (
              <fieldset className="govuk-fieldset" key={c.id}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{`${c.code} ${c.title}`}</legend>
                <input type="hidden" name="finding" value={c.id} />
                <input type="hidden" name={`${c.id}.baseVersion`} value={c.version} />
                {CORRECTABLE_FIELDS.map((field) => (
                  <Textarea
                    key={field}
                    name={`${c.id}.${field}`}
                    id={`correct-${c.id}-${field}`}
                    label={CORRECTABLE_FIELD_LABELS[field]}
                    rows={field === "observed" ? 5 : 3}
                    defaultValue={result?.values?.[`${c.id}-${field}`] ?? c[field]}
                    error={errors[`correct-${c.id}-${field}`]}
                  />
                ))}
              </fieldset>
            ))}
            <Textarea
              name="note"
              label="What this correction changes"
              hint={`The trust sees this note with the new version. ${CORRECTION_NOTE_MAX.toLocaleString("en-GB")} characters or fewer.`}
              defaultValue={result?.values?.note}
              error={errors.note}
              rows={4}
            />
            {errors.correction ? (
              <p className="govuk-error-message" id="correction-error">
                <span className="govuk-visually-hidden">Error:</span> {errors.correction}
              </p>
            ) : null}
            <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
              {`Publish version ${(versions[0]?.version ?? 0) + 1}`}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
