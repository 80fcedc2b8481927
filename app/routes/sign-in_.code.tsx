/**
 * The second step of signing in: the code from the person's authenticator app, or one of their recovery codes. Open
 * only to a browser holding the challenge the password step gave it (decision 0022); in demo mode a demo account's
 * current code is shown here, and only here.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CodeField } from "~/auth/code-field";
import { clearedChallengeCookie, CODE_ERRORS, demoCodeFor, readChallenge } from "~/auth/mfa.server";
import { landingPage } from "~/auth/roles";
import { sessionCookie } from "~/auth/session.server";
import { completeSignIn } from "~/auth/sign-in.server";
import { ErrorSummary } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Enter your code – Sign in – Deep Dive" }];

/** Public: the challenge cookie is the guard. Without one (none, ended or too old), back to the password. */
export function loader({ request }: LoaderFunctionArgs) {
  const challenge = readChallenge(request);
  if (!challenge) throw redirect("/sign-in");
  if (!challenge.user.mfaSecret) throw redirect("/sign-in/set-up");
  return { demoCode: demoCodeFor(challenge.user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = readChallenge(request);
  if (!challenge) throw redirect("/sign-in?ended=1", { headers: { "Set-Cookie": clearedChallengeCookie(request) } });
  const form = await request.formData();
  const code = String(form.get("code") ?? "").slice(0, 100);
  if (!code.trim()) return data({ error: CODE_ERRORS.missing }, { status: 400 });
  const result = completeSignIn(challenge, { code, clientAddress: context.clientAddress, userAgent: request.headers.get("User-Agent"), request });
  if (!result.ok) {
    if (result.restart) throw redirect("/sign-in?ended=1", { headers: { "Set-Cookie": clearedChallengeCookie(request) } });
    return data({ error: result.error }, { status: 400 });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", clearedChallengeCookie(request));
  headers.append("Set-Cookie", sessionCookie(request, result.sessionId));
  return redirect(landingPage(result.user, result.redirectTo), { headers });
}

export default function SignInCode() {
  const { demoCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData?.error;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? { code: error } : undefined} />
        <span className="govuk-caption-l">Sign in to Deep Dive</span>
        <h1 className="govuk-heading-l">Enter the code from your authenticator app</h1>
        {demoCode ? (
          <div className="govuk-inset-text" id="demo-code">
            Demo account: the current code is <strong className="app-demo-code">{demoCode}</strong>. Only demo accounts, in demo mode, see their
            code here.
          </div>
        ) : null}
        <Form method="post" noValidate>
          <CodeField error={error} hint="The 6-digit code your app shows now. If you cannot use your app, enter one of your recovery codes" />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Continue
          </button>
        </Form>
        <p className="govuk-body">
          <Link className="govuk-link" to="/sign-in">
            Start again with your email address and password
          </Link>
        </p>
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">If you have lost your phone and your recovery codes</span>
          </summary>
          <div className="govuk-details__text">Ask an administrator to reset your second factor. You will set it up again when you next sign in.</div>
        </details>
      </div>
    </div>
  );
}
