/**
 * Setting up a second factor from your account (trust users, for whom it is a choice; staff set theirs up at their
 * first sign-in). The secret travels in the form: only the signed-in person can post it (cross-site posts are
 * refused), and it is kept only once a code made from it proves their app has it.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CodeField } from "~/auth/code-field";
import { actorFor, requireUser } from "~/auth/guards.server";
import { groupedSecret, newTotpSecret } from "~/auth/mfa";
import { CODE_ERRORS, enrolSignedIn, secondFactorStatus } from "~/auth/mfa.server";
import { qrCodeSvg } from "~/auth/qr.server";
import { RecoveryCodes, SecretToScan } from "~/auth/second-factor-ui";
import { ErrorSummary } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Set up a second factor – Your account – Deep Dive" }];

/** A base32 TOTP secret of the length this app makes (160 bits). */
const SECRET_PATTERN = /^[A-Z2-7]{32}$/;

/** Already set up is a page saying so, not a redirect: it is also what this page shows after its own action. */
export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  if (secondFactorStatus(user.id).enrolledAt) return { enrolled: true as const };
  const secret = newTotpSecret();
  return { enrolled: false as const, email: user.email, secret, grouped: groupedSecret(secret), qrSvg: await qrCodeSvg(secret, user.email) };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const form = await args.request.formData();
  const secret = String(form.get("secret") ?? "");
  const code = String(form.get("code") ?? "").slice(0, 100);
  if (secondFactorStatus(user.id).enrolledAt || !SECRET_PATTERN.test(secret)) return data({ error: "Start again: open this page from your account", codes: null, offered: null }, { status: 400 });
  // After a wrong code the page shows the same secret again (the person may have added it to their app already).
  const again = async (error: string) => data({ error, codes: null, offered: { secret, grouped: groupedSecret(secret), qrSvg: await qrCodeSvg(secret, user.email) } }, { status: 400 });
  if (!code.trim()) return again(CODE_ERRORS.missing);
  const result = enrolSignedIn({ ...actorFor(user, args.context), userId: user.id }, user.email, secret, code);
  if ("error" in result) return again(result.error);
  return data({ error: null, codes: result.codes, offered: null });
}

export default function AccountSecondFactor() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.codes) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Your second factor is set up</h1>
            <div className="govuk-panel__body">Next time you sign in, you will need a code from your app</div>
          </div>
          <RecoveryCodes codes={actionData.codes} />
          <Link className="govuk-button" to="/account">
            I have saved my recovery codes – continue
          </Link>
        </div>
      </div>
    );
  }
  if (page.enrolled) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Your second factor is already set up</h1>
          <p className="govuk-body">
            <Link className="govuk-link" to="/account">
              Back to your account
            </Link>
          </p>
        </div>
      </div>
    );
  }
  const error = actionData?.error ?? undefined;
  const offered = actionData?.offered ?? { secret: page.secret, grouped: page.grouped, qrSvg: page.qrSvg };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/account" className="govuk-back-link">
          Back to your account
        </Link>
        <ErrorSummary errors={error ? { code: error } : undefined} />
        <h1 className="govuk-heading-l">Set up a second factor</h1>
        <p className="govuk-body">Use an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator.</p>
        <SecretToScan email={page.email} secret={offered.grouped} qrSvg={offered.qrSvg} />
        <Form method="post" noValidate>
          <input type="hidden" name="secret" value={offered.secret} />
          <CodeField error={error} hint="To check it is set up, enter the 6-digit code the app now shows for Deep Dive" />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Set up
          </button>
        </Form>
      </div>
    </div>
  );
}
