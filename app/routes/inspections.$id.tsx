import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { actorFor, notFound, refuse, requireStaff } from "~/auth/guards.server";
import { hasEarlierRatings, ratingLabel, SEVERITY_LABELS } from "~/baseline/rating";
import { movementCounts, MovementTag } from "~/inspections/movement-display";
import { InspectionError, recordArrival } from "~/inspections/inspections.server";
import { COMMENT_MAX_CHARS, ReviewComment } from "~/inspections/review-display";
import {
  approveInspection,
  leaveSite,
  returnForClarification,
  ReviewInputError,
  reviewView,
  startReview,
  submitInspection,
  SubmitRefused,
  type SubmitProblem,
} from "~/inspections/review.server";
import { inspectionAccess, inspectionHeader, inspectionOverview } from "~/inspections/workspace.server";
import { othersPresent, recordWorkspaceView } from "~/inspections/presence.server";
import { isOfflinePreparation } from "~/offline/offline.server";
import { isPresenceBeat, PresencePanel } from "~/inspections/presence";
import { useCriteriaWaiting, WaitingTag } from "~/offline/waiting-mark";
import { OfflinePanel } from "~/offline/offline-panel";
// Not from findings.server: the component uses it, and runs in the browser too.
import { RECORDING_STATUSES } from "~/inspections/finding-rules";
import { InspectionStatusTag } from "~/inspections/inspection-display";
import { publicationPanel } from "~/reports/publication.server";
import { PublicationSummary } from "~/reports/publication-panel";
import { formatCalendarDateWithWeekday, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Inspection of ${data?.overview.inspection.trustName ?? "a trust"} – Deep Dive` }];

const DONE: Record<string, string> = {
  arrived: "Arrival recorded: the trust has been given notice now. Record findings below.",
  left: "The team has left site: the findings are in draft.",
  submitted: "The findings are submitted for review. The team can no longer change them.",
  "review-started": "You are reviewing this inspection. Return the findings to the team with comments, or approve them.",
  returned: "The findings are returned to the team with your comments.",
  answered: "Your answer is saved.",
  approved: "The findings are approved. They can no longer be changed.",
};

/** The most comment rows the reviewer's form offers at once. */
const MAX_COMMENT_ROWS = 20;

/**
 * The team, programme leads, admins and the inspection's reviewer see an inspection before publication (and an
 * inspector not on the team, while submitted findings wait for a reviewer); anyone else gets 404 (audited).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  isPresenceBeat(formAction) ? false : defaultShouldRevalidate;

export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const overview = inspectionOverview(args.params.id ?? "");
  if (!overview) throw notFound();
  const access = inspectionAccess(user, overview.inspection) ?? refuse(args, user, "an inspection the user is not on");
  recordWorkspaceView(overview.inspection.id, "overview", null, actorFor(user, args.context), { preparingOffline: isOfflinePreparation(args.request) });
  const { inspection } = overview;
  const isVisitLead = inspection.team.some((m) => m.id === user.id && m.role === "lead");
  const onTeam = inspection.team.some((m) => m.id === user.id);
  const review = reviewView(inspection.id)!;
  const done = new URL(args.request.url).searchParams.get("done") ?? "";
  return {
    overview,
    access,
    isVisitLead,
    isReviewer: inspection.reviewerId === user.id,
    others: othersPresent(inspection.id, user.id),
    // A programme lead or an inspector not on the team; once it has a reviewer, only that reviewer.
    mayStartReview:
      inspection.status === "submitted" && (user.role === "programme_lead" || user.role === "inspector") && !onTeam && (inspection.reviewerId === null || inspection.reviewerId === user.id),
    review,
    // The factual accuracy check and publication, after approval (app/reports/publication.server.ts).
    publication: publicationPanel(inspection.id, user)!,
    done: DONE[done] ?? null,
  };
}

interface CommentRow {
  findingId: string;
  text: string;
}

interface ActionData {
  error?: string;
  problems?: SubmitProblem[];
  /** The reviewer's comment form, as sent, with its errors by field id. */
  rows?: CommentRow[];
  rowErrors?: Partial<Record<string, string>>;
}

function commentRows(form: FormData): CommentRow[] {
  const count = Math.min(Math.max(Number(form.get("rows")) || 1, 1), MAX_COMMENT_ROWS);
  return Array.from({ length: count }, (_, i) => {
    const findingId = form.get(`finding-${i}`);
    const text = form.get(`comment-${i}`);
    return { findingId: typeof findingId === "string" ? findingId.slice(0, 100) : "", text: typeof text === "string" ? text.slice(0, COMMENT_MAX_CHARS * 2) : "" };
  });
}

export async function action(args: ActionFunctionArgs) {
  const user = requireStaff(args);
  const inspection = inspectionHeader(args.params.id ?? "");
  if (!inspection) throw notFound();
  if (!inspectionAccess(user, inspection)) refuse(args, user, "an inspection the user is not on");
  const form = await args.request.formData();
  const intent = form.get("intent");
  const actor = actorFor(user, args.context);
  const done = (what: string) => redirect(`/inspections/${inspection.id}?done=${what}`);
  const rows = intent === "return" || intent === "add-comment" ? commentRows(form) : [];
  try {
    switch (intent) {
      case "arrive":
        recordArrival(inspection.id, actor);
        return done("arrived");
      case "leave":
        leaveSite(inspection.id, actor);
        return done("left");
      case "submit":
        submitInspection(inspection.id, actor);
        return done("submitted");
      case "start-review":
        startReview(inspection.id, actor);
        return done("review-started");
      case "approve":
        approveInspection(inspection.id, actor);
        return done("approved");
      case "add-comment":
        // Without JavaScript: the form again, as sent, with one more empty comment.
        return data<ActionData>({ rows: rows.length < MAX_COMMENT_ROWS ? [...rows, { findingId: "", text: "" }] : rows });
      case "return": {
        // Rows left entirely blank are not comments; every other row is sent, by its position.
        const sent = rows.flatMap((row, index) => (row.findingId === "" && row.text.trim() === "" ? [] : [{ ...row, index }]));
        try {
          returnForClarification(inspection.id, sent, actor);
        } catch (error) {
          if (!(error instanceof ReviewInputError)) throw error;
          const rowErrors: Partial<Record<string, string>> = {};
          for (const e of error.errors) {
            const row = e.index === null ? 0 : sent[e.index]!.index;
            rowErrors[`${e.field === "findingId" ? "finding" : "comment"}-${row}`] ??= e.message.replace(/^Comment \d+/, `Comment ${row + 1}`);
          }
          return data<ActionData>({ rows, rowErrors }, { status: 400 });
        }
        return done("returned");
      }
      default:
        return data<ActionData>({ error: "Choose what to do" }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof SubmitRefused) return data<ActionData>({ error: error.message, problems: error.problems }, { status: 400 });
    if (error instanceof InspectionError) return data<ActionData>({ error: error.message, rows: rows.length > 0 ? rows : undefined }, { status: 400 });
    throw error;
  }
}

export default function InspectionPage() {
  const { overview, access, isVisitLead, isReviewer, mayStartReview, review, done, others, publication } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { inspection, summary } = overview;
  const criteriaUrl = (criterionId: number) => `/inspections/${inspection.id}/criteria/${criterionId}`;
  // Findings with changes kept on this laptop (app/offline/waiting-mark.tsx).
  const waiting = useCriteriaWaiting(inspection.id);
  const sectionUrl = (sectionId: number) => `/inspections/${inspection.id}/sections/${sectionId}`;
  // A section's title (a link to its page once findings can be recorded) and its progress, with its movement since the last inspection.
  const sectionTitle = (section: (typeof overview.frameworks)[number]["sections"][number]) => (
    <>
      {inspection.status !== "planned" ? (
        <Link className="govuk-link" to={sectionUrl(section.id)}>
          {`${section.code} ${section.title}`}
        </Link>
      ) : (
        `${section.code} ${section.title}`
      )}
      <span className="govuk-caption-s">
        {`${section.summary.assessed} of ${section.summary.total} assessed, ${section.summary.gaps} ${section.summary.gaps === 1 ? "gap" : "gaps"}`}
        {hasEarlierRatings(section.movement) ? `. Since the last inspection: ${movementCounts(section.movement)}` : ""}
      </span>
    </>
  );
  const criteria = overview.frameworks.flatMap((f) => f.sections.flatMap((s) => s.criteria));
  const commentRows = result?.rows ?? [{ findingId: "", text: "" }];
  const rowErrors = result?.rowErrors ?? {};
  return (
    <>
      {done && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      {result?.problems ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} role="alert" id="submit-problems">
          <h2 className="govuk-error-summary__title">{result.error}</h2>
          <div className="govuk-error-summary__body">
            <ul className="govuk-list govuk-error-summary__list">
              {result.problems.map((p) => (
                <li key={`${p.kind}-${p.findingId}`}>
                  <a href={`${criteriaUrl(p.criterionId)}${p.kind === "comment" ? "#review" : ""}`}>{p.text}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : result?.rowErrors ? (
        <ErrorSummary errors={rowErrors} />
      ) : (
        <ErrorSummary errors={{ actions: result?.error }} />
      )}
      <span className="govuk-caption-l">Inspection</span>
      <h1 className="govuk-heading-l">{inspection.trustName}</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <SummaryRow label="Status">
              <InspectionStatusTag status={inspection.status} />
            </SummaryRow>
            <SummaryRow label="Visit">{inspection.visitDate ? formatCalendarDateWithWeekday(inspection.visitDate) : "No visit"}</SummaryRow>
            <SummaryRow label="Team">{inspection.team.map((m) => `${m.name}${m.role === "lead" ? " (lead)" : ""}`).join(", ")}</SummaryRow>
            <SummaryRow label="Arrived">{inspection.arrivedAt ? formatDateTime(inspection.arrivedAt) : "Not yet"}</SummaryRow>
            <SummaryRow label="Progress">{`${summary.assessed} of ${summary.total} criteria assessed, ${summary.gaps} ${summary.gaps === 1 ? "gap" : "gaps"} against the profile`}</SummaryRow>
            {hasEarlierRatings(overview.movement) ? <SummaryRow label="Since the last inspection">{movementCounts(overview.movement)}</SummaryRow> : null}
            {review.submittedAt ? <SummaryRow label="Submitted">{`${formatDateTime(review.submittedAt)} by ${review.submittedByName ?? "the lead"}`}</SummaryRow> : null}
            <SummaryRow label="Reviewer">{review.reviewer ? review.reviewer.name : "None yet"}</SummaryRow>
            {review.approvedAt ? <SummaryRow label="Approved">{`${formatDateTime(review.approvedAt)} by ${review.approvedByName ?? "the reviewer"}`}</SummaryRow> : null}
          </dl>
          <p className="govuk-body">
            {/* A document download, not a page of the app: a plain link, so the browser downloads it. */}
            <a className="govuk-link" href={`/inspections/${inspection.id}/report.pdf`} download>
              Preview the report (PDF)
            </a>
            <span className="govuk-!-display-block govuk-!-font-size-16">A draft as the report stands now, marked DRAFT on every page; it is not stored.</span>
          </p>
          <PresencePanel inspectionId={inspection.id} criterionId={null} initial={others} />
          {access === "team" && (RECORDING_STATUSES as readonly string[]).includes(inspection.status) ? <OfflinePanel inspectionId={inspection.id} /> : null}
        </div>
      </div>

      <div id="actions" tabIndex={-1}>
        {inspection.status === "planned" && isVisitLead ? (
          <div id="arrive" tabIndex={-1}>
            <h2 className="govuk-heading-m">Arrival</h2>
            <p className="govuk-body">Record the team&apos;s arrival when you give the trust notice of the inspection. Findings can be recorded from then on.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="arrive" />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Record our arrival
              </button>
            </Form>
          </div>
        ) : inspection.status === "planned" ? (
          <p className="govuk-body">Findings can be recorded once the visit&apos;s lead inspector records the team&apos;s arrival.</p>
        ) : null}

        {(inspection.status === "on_site" || inspection.status === "draft") && isVisitLead ? (
          <>
            <h2 className="govuk-heading-m">Submitting the findings</h2>
            <p className="govuk-body">
              {review.unanswered > 0
                ? `Answer the reviewer's ${review.unanswered === 1 ? "comment" : `${review.unanswered} comments`} below, then submit the findings again.`
                : "When every criterion is assessed and every gap has a severity, submit the findings for review. The team cannot change them after that."}
            </p>
            <div className="govuk-button-group">
              <Form method="post">
                <input type="hidden" name="intent" value="submit" />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Submit for review
                </button>
              </Form>
              {inspection.status === "on_site" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="leave" />
                  <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                    Leave site
                  </button>
                </Form>
              ) : null}
            </div>
          </>
        ) : null}

        {inspection.status === "submitted" ? (
          <>
            <h2 className="govuk-heading-m">Review</h2>
            {mayStartReview ? (
              <>
                <p className="govuk-body">
                  {review.reviewer
                    ? "The team has answered your comments and submitted the findings again."
                    : "These findings are waiting for a reviewer: a programme lead or an inspector who was not on the visit."}
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="start-review" />
                  <button type="submit" className="govuk-button" data-module="govuk-button">
                    Start the review
                  </button>
                </Form>
              </>
            ) : (
              <p className="govuk-body">{review.reviewer ? `Waiting for ${review.reviewer.name} to review the findings again.` : "Waiting for a reviewer."}</p>
            )}
          </>
        ) : null}

        {inspection.status === "in_review" && isReviewer ? (
          <>
            <h2 className="govuk-heading-m">Your review</h2>
            <p className="govuk-body">Read each finding (the criteria below link to them). Then return the findings to the team with what they should clarify, or approve them.</p>
            <Form method="post" noValidate id="return-form">
              <input type="hidden" name="rows" value={commentRows.length} />
              {commentRows.map((row, i) => (
                <fieldset className="govuk-fieldset" key={i}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{`Comment ${i + 1}`}</legend>
                  <div className={`govuk-form-group${rowErrors[`finding-${i}`] ? " govuk-form-group--error" : ""}`}>
                    <label className="govuk-label" htmlFor={`finding-${i}`}>
                      Criterion
                    </label>
                    {rowErrors[`finding-${i}`] ? (
                      <p id={`finding-${i}-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {rowErrors[`finding-${i}`]}
                      </p>
                    ) : null}
                    <select
                      className={`govuk-select${rowErrors[`finding-${i}`] ? " govuk-select--error" : ""}`}
                      id={`finding-${i}`}
                      name={`finding-${i}`}
                      defaultValue={row.findingId}
                      aria-describedby={rowErrors[`finding-${i}`] ? `finding-${i}-error` : undefined}
                    >
                      <option value="">Choose a criterion</option>
                      {criteria.map((c) => (
                        <option key={c.findingId} value={c.findingId}>
                          {`${c.code} ${c.title}`}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className={`govuk-form-group${rowErrors[`comment-${i}`] ? " govuk-form-group--error" : ""}`}>
                    <label className="govuk-label" htmlFor={`comment-${i}`}>
                      What should the team clarify?
                    </label>
                    <div id={`comment-${i}-hint`} className="govuk-hint">{`${COMMENT_MAX_CHARS.toLocaleString("en-GB")} characters or fewer.`}</div>
                    {rowErrors[`comment-${i}`] ? (
                      <p id={`comment-${i}-error`} className="govuk-error-message">
                        <span className="govuk-visually-hidden">Error:</span> {rowErrors[`comment-${i}`]}
                      </p>
                    ) : null}
                    <textarea
                      className={`govuk-textarea${rowErrors[`comment-${i}`] ? " govuk-textarea--error" : ""}`}
                      id={`comment-${i}`}
                      name={`comment-${i}`}
                      rows={3}
                      defaultValue={row.text}
                      aria-describedby={`comment-${i}-hint${rowErrors[`comment-${i}`] ? ` comment-${i}-error` : ""}`}
                    />
                  </div>
                </fieldset>
              ))}
              <div className="govuk-button-group">
                <button type="submit" name="intent" value="return" className="govuk-button" data-module="govuk-button">
                  {commentRows.length === 1 ? "Return to the team with this comment" : `Return to the team with these ${commentRows.length} comments`}
                </button>
                {commentRows.length < MAX_COMMENT_ROWS ? (
                  <button type="submit" name="intent" value="add-comment" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                    Add another comment
                  </button>
                ) : null}
              </div>
            </Form>
            <h3 className="govuk-heading-s">Approve</h3>
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                Once approved, the findings cannot be changed.
              </strong>
            </div>
            <Form method="post">
              <input type="hidden" name="intent" value="approve" />
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Approve the findings
              </button>
            </Form>
          </>
        ) : inspection.status === "in_review" ? (
          <p className="govuk-body">{`${review.reviewer?.name ?? "The reviewer"} is reviewing the findings.`}</p>
        ) : null}

        <PublicationSummary inspectionId={inspection.id} panel={publication} />
      </div>

      {review.findings.length > 0 ? (
        <section aria-labelledby="review-comments">
          <h2 className="govuk-heading-m" id="review-comments">
            Reviewer&apos;s comments
          </h2>
          <p className="govuk-body">{`${review.comments} ${review.comments === 1 ? "comment" : "comments"}, ${review.unanswered} not answered yet.`}</p>
          {review.findings.map((f) => (
            <div key={f.findingId}>
              <h3 className="govuk-heading-s">
                <Link className="govuk-link" to={`${criteriaUrl(f.criterionId)}#review`}>
                  {`${f.code} ${f.title}`}
                </Link>
              </h3>
              {f.comments.map((c) => (
                <ReviewComment key={c.id} comment={c} />
              ))}
            </div>
          ))}
        </section>
      ) : null}

      {overview.frameworks.map((framework) => (
        <section key={framework.frameworkVersionId} aria-labelledby={`framework-${framework.frameworkVersionId}`}>
          <h2 className="govuk-heading-m" id={`framework-${framework.frameworkVersionId}`}>
            {framework.title}
          </h2>
          <p className="govuk-body">{`Profile: ${framework.profileName}. ${framework.summary.assessed} of ${framework.summary.total} assessed, ${framework.summary.gaps} ${framework.summary.gaps === 1 ? "gap" : "gaps"}.`}</p>
          {framework.sections.map((section) =>
            section.criteria.length === 0 ? (
              <h3 key={section.code} className="govuk-heading-s">
                {sectionTitle(section)}
              </h3>
            ) : (
              <div className="app-table-wrapper" key={section.code}>
                <table className="govuk-table govuk-table--small-text-until-tablet">
                  <caption className="govuk-table__caption govuk-table__caption--s">{sectionTitle(section)}</caption>
                  <TableHead headings={["Criterion", "Rating", "Against the profile", ...(hasEarlierRatings(framework.movement) ? ["Since the last inspection"] : [])]} />
                  <tbody className="govuk-table__body">
                    {section.criteria.map((c) => (
                      <tr className="govuk-table__row" key={c.criterionId}>
                        <th scope="row" className="govuk-table__header">
                          {inspection.status !== "planned" ? (
                            <>
                              <Link className="govuk-link" to={criteriaUrl(c.criterionId)}>
                                {`${c.code} ${c.title}`}
                              </Link>{" "}
                              <WaitingTag show={waiting.has(c.criterionId)} />
                            </>
                          ) : (
                            `${c.code} ${c.title}`
                          )}
                        </th>
                        <td className="govuk-table__cell">{ratingLabel(c.rating, c.scale)}</td>
                        <td className="govuk-table__cell">
                          {c.gap === "gap" ? (
                            <strong className="govuk-tag govuk-tag--red">{c.severity ? `Gap: ${SEVERITY_LABELS[c.severity]}` : "Gap: severity needed"}</strong>
                          ) : c.gap === "meets" ? (
                            "Meets the profile"
                          ) : c.gap === "not-assessed" ? (
                            "Not assessed yet"
                          ) : c.gap === "not-applicable" ? (
                            "Not applicable"
                          ) : (
                            "No minimum"
                          )}
                        </td>
                        {hasEarlierRatings(framework.movement) ? (
                          <td className="govuk-table__cell">
                            <MovementTag movement={c.movement} />
                            {c.previous ? <span className="govuk-!-display-block govuk-!-font-size-16">{`Last time: ${ratingLabel(c.previous.rating, c.scale)}`}</span> : null}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ),
          )}
        </section>
      ))}
    </>
  );
}
