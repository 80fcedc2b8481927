/** The review's comments and answers, and a finding as recorded, the same on the inspection and criterion pages. */
import { Form } from "@remix-run/react";
import { ratingLabel, SEVERITY_LABELS, type Scale } from "~/baseline/rating";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { SummaryRow } from "~/ui/summary-list";
import type { FindingView } from "./findings.server";
import type { ReviewCommentView } from "./review.server";

export const COMMENT_MAX_CHARS = 2000;

/** One clarify comment and its answer (or that it has none yet). */
export function ReviewComment({ comment }: { comment: ReviewCommentView }) {
  return (
    <div className="govuk-inset-text" id={`comment-${comment.id}`}>
      <p className="govuk-body-s govuk-!-margin-bottom-1">
        <strong>{`${comment.authorName}, reviewer`}</strong>
        {`, ${formatDateTime(comment.createdAt)}`}
      </p>
      <p className="govuk-body app-preserve-lines">{comment.text}</p>
      {comment.response !== null ? (
        <>
          <p className="govuk-body-s govuk-!-margin-bottom-1">
            <strong>{`Answer from ${comment.respondedByName ?? "the team"}`}</strong>
            {`, ${formatDateTime(comment.respondedAt)}`}
          </p>
          <p className="govuk-body app-preserve-lines govuk-!-margin-bottom-0">{comment.response}</p>
        </>
      ) : (
        <strong className="govuk-tag govuk-tag--yellow">Not answered yet</strong>
      )}
    </div>
  );
}

export interface AnswerResult {
  commentId: string;
  error: string;
  response: string;
}

/**
 * The reviewer's comments on one finding, for the criterion page; for a member of the team while the findings are
 * in draft, a form under each unanswered comment to answer it (a plain POST with intent=answer).
 */
export function FindingReviewComments({ comments, canAnswer, answer }: { comments: ReviewCommentView[]; canAnswer: boolean; answer?: AnswerResult }) {
  if (comments.length === 0) return null;
  return (
    <section aria-labelledby="review-comments" id="review">
      <h2 className="govuk-heading-m" id="review-comments">
        Reviewer&apos;s comments
      </h2>
      {comments.map((comment) => {
        const error = answer?.commentId === comment.id ? answer.error : undefined;
        const field = `response-${comment.id}`;
        return (
          <div key={comment.id}>
            <ReviewComment comment={comment} />
            {canAnswer && comment.response === null ? (
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="commentId" value={comment.id} />
                <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
                  <label className="govuk-label govuk-label--s" htmlFor={field}>
                    Your answer
                  </label>
                  <div id={`${field}-hint`} className="govuk-hint">
                    {`Change the finding above first if it needs it. ${COMMENT_MAX_CHARS.toLocaleString("en-GB")} characters or fewer.`}
                  </div>
                  {error ? (
                    <p id={`${field}-error`} className="govuk-error-message">
                      <span className="govuk-visually-hidden">Error:</span> {error}
                    </p>
                  ) : null}
                  <textarea
                    className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
                    id={field}
                    name="response"
                    rows={3}
                    defaultValue={answer?.commentId === comment.id ? answer.response : undefined}
                    aria-describedby={`${field}-hint${error ? ` ${field}-error` : ""}`}
                  />
                </div>
                <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Answer the comment
                </button>
              </Form>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

/** A finding as recorded, read only: for those who read findings (reviewers, programme leads, admins) and after submission. */
export function FindingRecord({ finding, scale, heading = "h2" }: { finding: FindingView; scale: Scale; heading?: "h2" | "h3" | "h4" }) {
  const text = (value: string) => (value ? <span className="app-preserve-lines">{value}</span> : "Nothing recorded");
  const Heading = heading;
  return (
    <>
      <Heading className={heading === "h2" ? "govuk-heading-m" : "govuk-heading-s"}>The finding</Heading>
      <dl className="govuk-summary-list">
        <SummaryRow label="Rating">{ratingLabel(finding.rating, scale)}</SummaryRow>
        {finding.overrideReason ? <SummaryRow label="Reason for the rating">{text(finding.overrideReason)}</SummaryRow> : null}
        <SummaryRow label="What was observed">{text(finding.observed)}</SummaryRow>
        <SummaryRow label="Documents seen">{text(finding.evidenceDocuments)}</SummaryRow>
        <SummaryRow label="People spoken to">{text(finding.evidencePeople)}</SummaryRow>
        <SummaryRow label="Systems seen">{text(finding.evidenceSystems)}</SummaryRow>
        {finding.devicesSampled !== null || finding.devicesFailing !== null ? (
          <SummaryRow label="Devices">{`${finding.devicesFailing ?? 0} failing of ${finding.devicesSampled ?? 0} sampled`}</SummaryRow>
        ) : null}
        {finding.severity ? <SummaryRow label="Severity of the gap">{SEVERITY_LABELS[finding.severity]}</SummaryRow> : null}
        <SummaryRow label="Recommendation">{text(finding.recommendation)}</SummaryRow>
        <SummaryRow label="Action due by">{finding.actionDue ? formatCalendarDate(finding.actionDue) : "No action"}</SummaryRow>
        <SummaryRow label="Last saved">{finding.updatedAt ? formatDateTime(finding.updatedAt) : "Not yet"}</SummaryRow>
      </dl>
    </>
  );
}
