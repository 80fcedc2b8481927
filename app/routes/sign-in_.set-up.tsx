/**
 * Setting up the second factor, the first time a staff member signs in (staff must have one; decision 0022): a QR code
 * and the same secret to type, a code to confirm it, then recovery codes, shown once. Open only to a browser holding
 * the challenge the password step gave it. Trust users who choose a second factor set it up from their account page.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CodeField } from "~/auth/code-field";
import { groupedSecret, newTotpSecret } from "~/auth/mfa";
import { clearedChallengeCookie, CODE_ERRORS, offerEnrolSecret, readChallenge } from "~/auth/mfa.server";
import { qrCodeSvg } from "~/auth/qr.server";
import { RecoveryCodes, SecretToScan } from "~/auth/second-factor-ui";
import { landingPage } from "~/auth/roles";
import { sessionCookie } from "~/auth/session.server";
import { completeSignIn } from "~/auth/sign-in.server";
import { ErrorSummary } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Set up your second factor – Sign in – Deep Dive" }];

/**
 * Public: the challenge cookie is the guard. Once the set-up is confirmed the challenge is gone, and the page shows
 * the recovery codes from the action's answer; so no challenge is not a redirect here, but a page saying so.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const challenge = readChallenge(request);
  if (!challenge) return { open: false as const };
  if (challenge.user.mfaSecret) throw redirect("/sign-in/code");
  const secret = offerEnrolSecret(challenge, newTotpSecret());
  return { open: true as const, email: challenge.user.email, secret: groupedSecret(secret), qrSvg: await qrCodeSvg(secret, challenge.user.email) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = readChallenge(request);
  if (!challenge || challenge.user.mfaSecret) throw redirect("/sign-in?ended=1", { headers: { "Set-Cookie": clearedChallengeCookie(request) } });
  const form = await request.formData();
  const code = String(form.get("code") ?? "").slice(0, 100);
  if (!code.trim()) return data({ error: CODE_ERRORS.missing, recoveryCodes: null, next: null }, { status: 400 });
  const result = completeSignIn(challenge, { code, clientAddress: context.clientAddress, userAgent: request.headers.get("User-Agent"), request });
  if (!result.ok) {
    if (result.restart) throw redirect("/sign-in?ended=1", { headers: { "Set-Cookie": clearedChallengeCookie(request) } });
    return data({ error: result.error, recoveryCodes: null, next: null }, { status: 400 });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", clearedChallengeCookie(request));
  headers.append("Set-Cookie", sessionCookie(request, result.sessionId));
  return data({ error: null, recoveryCodes: result.recoveryCodes, next: landingPage(result.user, result.redirectTo) }, { headers });
}

export default function SetUpSecondFactor() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.recoveryCodes && actionData.next) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Your second factor is set up</h1>
            <div className="govuk-panel__body">You are signed in</div>
          </div>
          <RecoveryCodes codes={actionData.recoveryCodes} />
          <a className="govuk-button" href={actionData.next}>
            I have saved my recovery codes – continue
          </a>
        </div>
      </div>
    );
  }
  if (!page.open) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This sign-in has ended</h1>
          <p className="govuk-body">
            <a className="govuk-link" href="/sign-in">
              Sign in again
            </a>{" "}
            with your email address and password.
          </p>
        </div>
      </div>
    );
  }
  const error = actionData?.error ?? undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? { code: error } : undefined} />
        <span className="govuk-caption-l">Sign in to Deep Dive</span>
        <h1 className="govuk-heading-l">Set up your second factor</h1>
        <p className="govuk-body">
          Staff accounts need a second factor as well as a password. Use an authenticator app on your work phone, such as Microsoft Authenticator or
          Google Authenticator.
        </p>
        <SecretToScan email={page.email} secret={page.secret} qrSvg={page.qrSvg} />
        <Form method="post" noValidate>
          <CodeField error={error} hint="To check it is set up, enter the 6-digit code the app now shows for Deep Dive" />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Set up and sign in
          </button>
        </Form>
      </div>
    </div>
  );
}
