import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, refuse, requireTrustUser } from "~/auth/guards.server";
import { InspectionError, InspectionNotFound } from "~/inspections/inspections.server";
import { portalAccuracy } from "~/portal/reports.server";
import { AccuracyComment } from "~/reports/accuracy-display";
import { AccuracyInputError, raiseAccuracyComment } from "~/reports/publication.server";
import { ACCURACY_CATEGORIES, ACCURACY_COMMENT_MAX, CATEGORY_HINTS, CATEGORY_LABELS, PART_LABELS, REPORT_PARTS } from "~/reports/publication-rules";
import { ReportHtml } from "~/reports/report-html";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Radios, Select, Textarea } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

/**
 * The trust's factual accuracy check of its draft report: the draft (in the page, marked DRAFT, and as a DRAFT PDF),
 * a form to comment while the check is open, and the trust's comments with CQC's answers. Only for users of the
 * inspection's own trust, from the day the check opens; anything else is the same 404 as an id that does not exist.
 * After publication the page keeps the comments and answers, and points to the published report.
 */
export const meta: MetaFunction = () => [{ title: "Check your draft report – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const view = portalAccuracy(user, args.params.inspectionId ?? "");
  if (!view) refuse(args, user, "an inspection that is not the trust's own, or not in its factual accuracy check");
  const done = new URL(args.request.url).searchParams.get("done") === "commented";
  return { ...view, done };
}

interface ActionData {
  errors: Partial<Record<string, string>>;
  values: Record<string, string>;
}

export async function action(args: ActionFunctionArgs) {
  const user = requireTrustUser(args);
  const inspectionId = args.params.inspectionId ?? "";
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const values = { part: field("part", 40), findingId: field("findingId", 100), category: field("category", 40), text: field("text", ACCURACY_COMMENT_MAX * 4) };
  try {
    raiseAccuracyComment(inspectionId, { part: values.part, findingId: values.part === "finding" ? values.findingId : "", category: values.category, text: values.text }, actorFor(user, args.context));
  } catch (error) {
    if (error instanceof InspectionNotFound) refuse(args, user, "a comment on an inspection that is not the trust's own, or not in its factual accuracy check");
    if (error instanceof AccuracyInputError) return data<ActionData>({ errors: error.fieldErrors, values }, { status: 400 });
    if (error instanceof InspectionError) return data<ActionData>({ errors: { text: error.message }, values }, { status: 400 });
    throw error;
  }
  return redirect(`/portal/accuracy/${encodeURIComponent(inspectionId)}?done=commented`);
}

export default function PortalAccuracy() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values;
  const undecided = view.comments.filter((c) => c.decision === null).length;
  return (
    <>
      {view.done && !result ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Your comment is sent to CQC. You will see the answer here.</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={errors} />
      <Link className="govuk-back-link" to="/portal">
        Back to your trust
      </Link>
      <h1 className="govuk-heading-l">{view.status === "published" ? "Your comments on the draft report" : "Check your draft report for factual accuracy"}</h1>
      <dl className="govuk-summary-list">
        {view.inspectedOn ? <SummaryRow label="Inspection">{formatCalendarDate(view.inspectedOn)}</SummaryRow> : null}
        <SummaryRow label="Draft shared">{formatDateTime(view.openedAt)}</SummaryRow>
        <SummaryRow label={view.windowOpen ? "You can comment until" : "The check closed"}>{`${formatCalendarDate(view.closesOn)}${view.windowOpen ? " (the end of that day)" : ""}`}</SummaryRow>
        <SummaryRow label="Your comments">{`${view.comments.length} ${view.comments.length === 1 ? "comment" : "comments"}${view.comments.length > 0 ? `, ${undecided} waiting for an answer` : ""}`}</SummaryRow>
      </dl>

      {view.status === "published" ? (
        <p className="govuk-body">
          The report is published: download it from <Link className="govuk-link" to="/portal">your trust&apos;s page</Link>. Your comments and CQC&apos;s answers are kept below.
        </p>
      ) : (
        <>
          <p className="govuk-body">
            Check the draft below for typing errors, facts that are not right, and evidence it leaves out. CQC answers each comment, accepting it (and correcting the
            report) or explaining why not, before the report is published.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href={`/portal/accuracy/${view.inspectionId}/draft.pdf`} download>
              Download the draft report (PDF, marked DRAFT)
            </a>
            {" · "}
            <a className="govuk-link" href="#draft-report">
              Read the draft report on this page
            </a>
          </p>
        </>
      )}

      {view.windowOpen ? (
        <section aria-labelledby="comment-heading" id="comment-form">
          <h2 className="govuk-heading-m" id="comment-heading">
            Make a comment
          </h2>
          <Form method="post" noValidate>
            <Radios
              name="part"
              legend="Which part of the report is it about?"
              options={REPORT_PARTS.map((p) => ({ value: p, text: PART_LABELS[p] }))}
              defaultValue={values?.part}
              error={errors.part}
            />
            <Select
              name="findingId"
              label="If it is about a finding, which one?"
              options={[{ value: "", text: "Choose a finding" }, ...view.findings.map((f) => ({ value: f.findingId, text: f.label }))]}
              defaultValue={values?.findingId}
              error={errors.findingId}
            />
            <Radios
              name="category"
              legend="What kind of comment is it?"
              options={ACCURACY_CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c], hint: CATEGORY_HINTS[c] }))}
              defaultValue={values?.category}
              error={errors.category}
            />
            <Textarea
              name="text"
              label="Your comment"
              hint={`Say what is wrong or missing and what it should say. ${ACCURACY_COMMENT_MAX.toLocaleString("en-GB")} characters or fewer.`}
              defaultValue={values?.text}
              error={errors.text}
              rows={5}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Send the comment
            </button>
          </Form>
        </section>
      ) : view.status === "factual_accuracy" ? (
        <p className="govuk-body">{`The factual accuracy check closed on ${formatCalendarDate(view.closesOn)}: comments can no longer be made. CQC's answers appear below as they are given.`}</p>
      ) : null}

      <section aria-labelledby="comments-heading" id="comments">
        <h2 className="govuk-heading-m" id="comments-heading">
          Your trust&apos;s comments
        </h2>
        {view.comments.length === 0 ? <p className="govuk-body">Your trust has not made any comments.</p> : null}
        {view.comments.map((c) => (
          <AccuracyComment key={c.id} comment={c} />
        ))}
      </section>

      {view.draft ? (
        <section aria-labelledby="draft-report-heading" id="draft-report">
          <h2 className="govuk-heading-m" id="draft-report-heading">
            The draft report
          </h2>
          <ReportHtml cover={view.draft.cover} sections={view.draft.sections} draft />
        </section>
      ) : null}
    </>
  );
}
