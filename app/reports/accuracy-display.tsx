/** The trust's factual accuracy comments and CQC's answers, shown the same way to staff and in the trust portal. */
import type { ReactNode } from "react";
import { formatDateTime } from "~/ui/dates";
import { CATEGORY_LABELS, DECISION_LABELS, PART_LABELS, type AccuracyCategory, type AccuracyDecision, type ReportPart } from "./publication-rules";

export interface CommentForDisplay {
  id: string;
  part: ReportPart;
  criterion: { code: string; title: string } | null;
  category: AccuracyCategory;
  text: string;
  authorName: string;
  createdAt: string;
  decision: AccuracyDecision | null;
  decisionReason: string | null;
  /** The reviewer's name for staff; null in the portal, where the answer is CQC's. */
  decidedByName: string | null;
  decidedAt: string | null;
}

/** What part of the report a comment is about: "A finding: A1.a Board direction", "The summary". */
export function commentSubject(comment: Pick<CommentForDisplay, "part" | "criterion">): string {
  return comment.part === "finding" && comment.criterion ? `${comment.criterion.code} ${comment.criterion.title}` : PART_LABELS[comment.part];
}

export function DecisionTag({ decision }: { decision: AccuracyDecision | null }) {
  if (!decision) return <strong className="govuk-tag govuk-tag--yellow">Not decided yet</strong>;
  return <strong className={`govuk-tag ${decision === "accepted" ? "govuk-tag--green" : "govuk-tag--grey"}`}>{DECISION_LABELS[decision]}</strong>;
}

/** One comment, with its answer when decided; `children` (a decision form) goes under an undecided one. */
export function AccuracyComment({ comment, heading = "h3", children }: { comment: CommentForDisplay; heading?: "h2" | "h3" | "h4"; children?: ReactNode }) {
  const Heading = heading;
  return (
    <div className="govuk-summary-card" id={`comment-${comment.id}`}>
      <div className="govuk-summary-card__title-wrapper">
        <Heading className="govuk-summary-card__title">{commentSubject(comment)}</Heading>
        <DecisionTag decision={comment.decision} />
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Kind of comment</dt>
            <dd className="govuk-summary-list__value">{CATEGORY_LABELS[comment.category]}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Comment</dt>
            <dd className="govuk-summary-list__value">
              <span className="app-preserve-lines">{comment.text}</span>
              <span className="govuk-!-display-block govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{`${comment.authorName}, ${formatDateTime(comment.createdAt)}`}</span>
            </dd>
          </div>
          {comment.decision ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">{comment.decision === "accepted" ? "Accepted because" : "Rejected because"}</dt>
              <dd className="govuk-summary-list__value">
                <span className="app-preserve-lines">{comment.decisionReason}</span>
                <span className="govuk-!-display-block govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{`${comment.decidedByName ?? "CQC"}, ${formatDateTime(comment.decidedAt)}`}</span>
              </dd>
            </div>
          ) : null}
        </dl>
        {children}
      </div>
    </div>
  );
}
