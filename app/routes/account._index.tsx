/**
 * Your account: the second factor (set up or not, recovery codes left), new recovery codes, and, for trust users who
 * chose one, turning it off. Both ask for a code from the app again first (decision 0022).
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CodeField } from "~/auth/code-field";
import { actorFor, requireUser } from "~/auth/guards.server";
import { confirmSecondFactor, removeSecondFactor, replaceRecoveryCodes, secondFactorRequired, secondFactorStatus } from "~/auth/mfa.server";
import { ROLE_LABELS } from "~/auth/roles";
import { RecoveryCodes } from "~/auth/second-factor-ui";
import { recordAudit } from "~/audit/audit.server";
import { writeTransaction } from "~/db.server";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction = () => [{ title: "Your account – Deep Dive" }];

const DONE = { "set-up": "Your second factor is set up", "turned-off": "Your second factor is turned off" } as const;

export function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const done = new URL(args.request.url).searchParams.get("done");
  return {
    name: user.name,
    email: user.email,
    roleLabel: ROLE_LABELS[user.role],
    required: secondFactorRequired(user.role),
    status: secondFactorStatus(user.id),
    done: done && done in DONE ? DONE[done as keyof typeof DONE] : null,
  };
}

type Intent = "new-recovery-codes" | "turn-off";

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  // Each form has its own field, so the page has no two fields with one id.
  const code = String(form.get(intent === "turn-off" ? "turnOffCode" : "code") ?? "").slice(0, 100);
  const status = secondFactorStatus(user.id);
  if (!status.enrolledAt || (intent === "turn-off" && secondFactorRequired(user.role)) || (intent !== "new-recovery-codes" && intent !== "turn-off")) {
    return data({ intent, error: "There is nothing to change", codes: null }, { status: 400 });
  }
  const actor = { ...actorFor(user, args.context), userId: user.id };
  const error = confirmSecondFactor(actor, user.email, code, intent);
  if (error) return data({ intent, error, codes: null }, { status: 400 });
  if (intent === "turn-off") {
    writeTransaction((tx) => {
      removeSecondFactor(tx, user.id, new Date());
      recordAudit(tx, actor, { action: "mfa.removed", objectType: "user", objectId: user.id, summary: { by: "self" } });
    });
    return redirect("/account?done=turned-off");
  }
  const codes = writeTransaction((tx) => {
    const made = replaceRecoveryCodes(tx, user.id, new Date());
    recordAudit(tx, actor, { action: "mfa.recovery-codes-replaced", objectType: "user", objectId: user.id });
    return made;
  });
  return data({ intent, error: null, codes });
}

export default function Account() {
  const { name, email, roleLabel, required, status, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errorFor = (intent: Intent) => (actionData?.intent === intent ? (actionData.error ?? undefined) : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done && !actionData ? (
          <NotificationBanner>
            <p className="govuk-notification-banner__heading">{done}</p>
          </NotificationBanner>
        ) : null}
        <ErrorSummary errors={actionData?.error ? { [actionData.intent === "turn-off" ? "turnOffCode" : "code"]: actionData.error } : undefined} />
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          <SummaryRow label="Name">{name}</SummaryRow>
          <SummaryRow label="Email address">{email}</SummaryRow>
          <SummaryRow label="Role">{roleLabel}</SummaryRow>
          <SummaryRow label="Second factor">
            {status.enrolledAt ? `Authenticator app, set up ${formatDateTime(status.enrolledAt)}` : "Not set up"}
          </SummaryRow>
          {status.enrolledAt ? <SummaryRow label="Recovery codes left">{String(status.recoveryCodesLeft)}</SummaryRow> : null}
        </dl>
        {actionData?.codes ? <RecoveryCodes codes={actionData.codes} /> : null}
        {!status.enrolledAt ? (
          <>
            <h2 className="govuk-heading-m">Add a second factor</h2>
            <p className="govuk-body">With a second factor, signing in needs a code from an app on your phone as well as your password.</p>
            <Link className="govuk-button" to="/account/second-factor">
              Set up a second factor
            </Link>
          </>
        ) : (
          <>
            <h2 className="govuk-heading-m">New recovery codes</h2>
            <p className="govuk-body">New codes replace any you have left. Enter a code from your app to confirm it is you.</p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="new-recovery-codes" />
              <CodeField error={errorFor("new-recovery-codes")} hint="The 6-digit code your app shows now" />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Get new recovery codes
              </button>
            </Form>
            {required ? (
              <p className="govuk-body">Your role needs a second factor, so it cannot be turned off. If you have a new phone, ask an administrator to reset it.</p>
            ) : (
              <>
                <h2 className="govuk-heading-m">Turn off the second factor</h2>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="turn-off" />
                  <CodeField name="turnOffCode" error={errorFor("turn-off")} hint="The 6-digit code your app shows now" />
                  <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                    Turn off the second factor
                  </button>
                </Form>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
