import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { challengeCookie } from "~/auth/mfa.server";
import { landingPage, ROLE_HOMES, safeRedirectPath } from "~/auth/roles";
import { getSessionUser, sessionCookie } from "~/auth/session.server";
import { GENERIC_SIGN_IN_ERROR, signIn } from "~/auth/sign-in.server";
import { ErrorSummary, NotificationBanner, TextInput } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Sign in – Deep Dive" }];

/** Open to everyone; a signed-in user is sent on to their home. */
export function loader({ request }: LoaderFunctionArgs) {
  const user = getSessionUser(request);
  if (user) throw redirect(ROLE_HOMES[user.role]);
  return null;
}

type SignInErrors = { email?: string; password?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "").slice(0, 320);
  const password = String(form.get("password") ?? "");
  const redirectTo = form.get("redirectTo");
  if (!email.trim() || !password) {
    const errors: SignInErrors = {
      email: email.trim() ? undefined : "Enter your email address",
      password: password ? undefined : "Enter your password",
    };
    return data({ errors }, { status: 400 });
  }
  if (password.length > 1024) return data({ errors: { email: GENERIC_SIGN_IN_ERROR } as SignInErrors }, { status: 400 });
  const wanted = typeof redirectTo === "string" && redirectTo ? safeRedirectPath(redirectTo, "/") : null;
  const result = await signIn({
    email,
    password,
    clientAddress: context.clientAddress,
    userAgent: request.headers.get("User-Agent"),
    redirectTo: wanted,
    request,
  });
  if (result.ok === false) return data({ errors: { email: result.error } as SignInErrors }, { status: 400 });
  if (result.ok === "second-factor") {
    const next = result.step === "code" ? "/sign-in/code" : "/sign-in/set-up";
    return redirect(next, { headers: { "Set-Cookie": challengeCookie(request, result.challengeId) } });
  }
  return redirect(landingPage(result.user, wanted), { headers: { "Set-Cookie": sessionCookie(request, result.sessionId) } });
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {params.get("signedOut") && !errors ? (
          <NotificationBanner>
            <p className="govuk-notification-banner__heading">You have signed out</p>
          </NotificationBanner>
        ) : null}
        {params.get("ended") && !errors ? (
          <NotificationBanner title="Important" success={false}>
            <p className="govuk-notification-banner__heading">Your sign-in ended before it was finished. Sign in again</p>
          </NotificationBanner>
        ) : null}
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Sign in to Deep Dive</h1>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextInput name="email" label="Email address" type="email" autoComplete="username" spellCheck={false} error={errors?.email} />
          <TextInput name="password" label="Password" type="password" autoComplete="current-password" error={errors?.password} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Sign in
          </button>
        </Form>
      </div>
    </div>
  );
}
