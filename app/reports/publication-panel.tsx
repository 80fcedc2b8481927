/** The factual accuracy check and publication on an inspection's page: start the check, or follow it to its page. */
import { Form, Link } from "@remix-run/react";
import { formatCalendarDate } from "~/ui/dates";
import type { PublicationPanel } from "./publication.server";

export function PublicationSummary({ inspectionId, panel }: { inspectionId: string; panel: PublicationPanel }) {
  const page = `/inspections/${inspectionId}/accuracy`;
  if (panel.status === "approved") {
    return (
      <section aria-labelledby="accuracy-heading" id="accuracy">
        <h2 className="govuk-heading-m" id="accuracy-heading">
          Factual accuracy check
        </h2>
        {panel.mayAct ? (
          <>
            <p className="govuk-body">
              {`Next, the trust checks the draft report for factual accuracy. Its users can read the draft and comment until ${formatCalendarDate(panel.wouldCloseOn)} (10 working days from today).`}
            </p>
            <Form method="post" action={page}>
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
    );
  }
  if (panel.status !== "factual_accuracy" && panel.status !== "published") return null;
  return (
    <section aria-labelledby="accuracy-heading" id="accuracy">
      <h2 className="govuk-heading-m" id="accuracy-heading">
        {panel.status === "published" ? "Published report" : "Factual accuracy check"}
      </h2>
      <p className="govuk-body">
        {panel.status === "published"
          ? `${panel.versions === 1 ? "Version 1 is published" : `${panel.versions} versions are published; the earlier ones are superseded`}. The trust made ${panel.comments} ${panel.comments === 1 ? "comment" : "comments"} on the draft.`
          : `${panel.windowOpen ? `The trust can comment on the draft report until ${formatCalendarDate(panel.closesOn)}.` : `The trust's check closed on ${formatCalendarDate(panel.closesOn)}.`} ${panel.comments} ${panel.comments === 1 ? "comment" : "comments"}, ${panel.undecided} not decided.`}
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to={page}>
          {panel.status === "published"
            ? panel.mayAct
              ? "Download the report, or publish a correction"
              : "Download the report"
            : panel.mayAct
              ? "Answer the trust's comments and publish the report"
              : "Read the trust's comments"}
        </Link>
      </p>
    </section>
  );
}
