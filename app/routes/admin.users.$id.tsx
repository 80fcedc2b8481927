import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { lastEventAt } from "~/audit/audit-query.server";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { CodeField } from "~/auth/code-field";
import { confirmSecondFactor, secondFactorStatus } from "~/auth/mfa.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import { ROLE_LABELS, ROLE_OPTIONS } from "~/auth/roles";
import {
  AccountError,
  findUser,
  listAssignableTrusts,
  parseAccountInput,
  resetPassword,
  resetSecondFactor,
  setUserDisabled,
  trustName,
  updateUser,
  type FieldErrors,
} from "~/auth/users.server";
import { formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Radios, Select, TextInput } from "~/ui/form";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? "User"} – Users – Deep Dive` }];

/** What the page says after each kind of change (Post/Redirect/Get, so a refresh does not repeat it). */
const DONE_MESSAGES = {
  updated: "Details saved",
  unchanged: "Nothing to save: the details were already the same",
  disabled: "Account disabled. Any sessions it had have ended",
  enabled: "Account enabled. They can sign in again",
  password: "Password reset. The account has been signed out everywhere",
  "second-factor": "Second factor reset. The account has been signed out everywhere and sets up a new one at its next sign-in",
} as const;

export function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const user = findUser(args.params.id ?? "");
  if (!user) throw notFound();
  const done = new URL(args.request.url).searchParams.get("done");
  return {
    user: {
      ...user,
      roleLabel: ROLE_LABELS[user.role],
      trustName: user.trustCode ? (trustName(user.trustCode) ?? null) : null,
      lastSignedInAt: lastEventAt("sign-in.succeeded", "user", user.id) ?? null,
      secondFactor: secondFactorStatus(user.id),
    },
    isSelf: admin.id === user.id,
    trusts: listAssignableTrusts(),
    done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
  };
}

type Intent = "update" | "disable" | "enable" | "reset-password" | "reset-second-factor";
type Values = { name: string; email: string; role: string; trustCode: string };
type ActionData = { intent: Intent | null; errors: FieldErrors; values?: Values };

const failed = (body: ActionData) => data(body, { status: 400 });

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const id = args.params.id ?? "";
  const current = findUser(id);
  if (!current) throw notFound();
  const form = await args.request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const actor = actorFor(admin, args.context);
  const done = (what: keyof typeof DONE_MESSAGES) => redirect(`/admin/users/${encodeURIComponent(id)}?done=${what}`);
  const intent = field("intent");
  try {
    switch (intent) {
      case "update": {
        const values: Values = {
          name: field("name").slice(0, 500),
          email: field("email").slice(0, 500),
          role: field("role"),
          trustCode: field("trustCode").slice(0, 20),
        };
        // The trust select is on the page whatever the role (no JavaScript needed): it only counts for trust users.
        const parsed = parseAccountInput({ ...values, trustCode: values.role === "trust_user" ? values.trustCode : undefined });
        if (!parsed.ok) return failed({ intent, errors: parsed.errors, values });
        // Changing what an account may see is sensitive: the admin gives their second factor again (decision 0022).
        if (parsed.input.role !== current.role || (parsed.input.trustCode ?? null) !== current.trustCode) {
          const codeError = confirmSecondFactor({ ...actor, userId: admin.id }, admin.email, field("code").slice(0, 100), "change role or trust");
          if (codeError) return failed({ intent, errors: { code: codeError }, values });
        }
        try {
          return done(updateUser(id, parsed.input, actor) ? "updated" : "unchanged");
        } catch (error) {
          if (error instanceof AccountError) return failed({ intent, errors: error.fieldErrors, values });
          throw error;
        }
      }
      case "disable":
        setUserDisabled(id, true, actor);
        return done("disabled");
      case "enable":
        setUserDisabled(id, false, actor);
        return done("enabled");
      case "reset-password": {
        const password = field("password");
        if (!password) return failed({ intent, errors: { password: "Enter a new password" } });
        await resetPassword(id, password, actor);
        return done("password");
      }
      case "reset-second-factor": {
        const codeError = confirmSecondFactor({ ...actor, userId: admin.id }, admin.email, field("resetCode").slice(0, 100), "reset a second factor");
        if (codeError) return failed({ intent, errors: { resetCode: codeError } });
        resetSecondFactor(id, actor);
        return done("second-factor");
      }
      default:
        return failed({ intent: null, errors: { account: "Choose what to change" } });
    }
  } catch (error) {
    if (error instanceof AccountError) return failed({ intent: intent as Intent, errors: error.fieldErrors });
    throw error;
  }
}

export default function UserPage() {
  const { user, isSelf, trusts, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  // Values typed into the details form come back after an error; otherwise the form shows the account.
  const values = actionData?.intent === "update" && actionData.values ? actionData.values : null;
  const disabled = !!user.disabledAt;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/admin/users" className="govuk-back-link">
          Back to users
        </Link>
        {done && !errors ? (
          <NotificationBanner>
            <p className="govuk-notification-banner__heading">{done}</p>
          </NotificationBanner>
        ) : null}
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">{user.email}</span>
        <h1 className="govuk-heading-l">{user.name}</h1>

        <dl className="govuk-summary-list">
          <SummaryRow label="Email address">{user.email}</SummaryRow>
          <SummaryRow label="Role">{user.roleLabel}</SummaryRow>
          <SummaryRow label="Trust">{user.trustCode ? `${user.trustName ?? "Unknown trust"} (${user.trustCode})` : "None"}</SummaryRow>
          <SummaryRow label="Status">
            {disabled ? (
              <>
                <strong className="govuk-tag govuk-tag--grey">Disabled</strong> since {formatDateTime(user.disabledAt)}
              </>
            ) : (
              <strong className="govuk-tag govuk-tag--green">Active</strong>
            )}
            {user.isDemo ? (
              <>
                {" "}
                <strong className="govuk-tag govuk-tag--blue">Demo</strong>
              </>
            ) : null}
          </SummaryRow>
          <SummaryRow label="Created">{formatDateTime(user.createdAt)}</SummaryRow>
          <SummaryRow label="Last signed in">{user.lastSignedInAt ? formatDateTime(user.lastSignedInAt) : "Never"}</SummaryRow>
          <SummaryRow label="Second factor">
            {user.secondFactor.enrolledAt
              ? `Set up ${formatDateTime(user.secondFactor.enrolledAt)}, ${user.secondFactor.recoveryCodesLeft} recovery codes left`
              : "Not set up"}
          </SummaryRow>
        </dl>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/admin/audit?objectType=user&objectId=${encodeURIComponent(user.id)}`}>
            Audit events about this account
          </Link>
        </p>

        <h2 className="govuk-heading-m">Change details</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update" />
          <TextInput name="name" label="Full name" autoComplete="off" spellCheck={false} defaultValue={values?.name ?? user.name} error={errors?.name} />
          <TextInput
            name="email"
            label="Email address"
            type="email"
            autoComplete="off"
            spellCheck={false}
            defaultValue={values?.email ?? user.email}
            error={errors?.email}
          />
          <Radios
            name="role"
            legend="Role"
            options={ROLE_OPTIONS}
            defaultValue={values?.role ?? user.role}
            error={errors?.role}
            hint={isSelf ? "You cannot remove your own admin role." : "Changing the role or trust signs the account out everywhere."}
          />
          <Select
            name="trustCode"
            label="Trust"
            hint="Only for trust users: they see only this trust. Ignored for other roles."
            options={[
              { value: "", text: "Not a trust user" },
              // A trust that has since closed stays selectable for the user who already has it.
              ...(user.trustCode && !trusts.some((t) => t.odsCode === user.trustCode)
                ? [{ value: user.trustCode, text: `${user.trustName ?? "Unknown trust"} (${user.trustCode}, closed)` }]
                : []),
              ...trusts.map((t) => ({ value: t.odsCode, text: `${t.name} (${t.odsCode})` })),
            ]}
            defaultValue={values?.trustCode ?? user.trustCode ?? ""}
            error={errors?.trustCode}
          />
          <CodeField label="Your code from your authenticator app" hint="Needed only when you change the role or trust" error={errors?.code} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save changes
          </button>
        </Form>

        {user.secondFactor.enrolledAt ? (
          <>
            <h2 className="govuk-heading-m">Reset second factor</h2>
            <p className="govuk-body">
              For someone who has lost their phone and their recovery codes. They are signed out everywhere{isSelf ? ", including you" : ""}, and set up a new
              second factor when they next sign in.
            </p>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="reset-second-factor" />
              <CodeField name="resetCode" label="Your code from your authenticator app" hint="To confirm it is you" error={errors?.resetCode} />
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Reset second factor
              </button>
            </Form>
          </>
        ) : null}

        <h2 className="govuk-heading-m">Reset password</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="reset-password" />
          <TextInput
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Common passwords are not allowed. Resetting signs the account out everywhere${isSelf ? ", including you" : ""}.`}
            error={errors?.password}
          />
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Reset password
          </button>
        </Form>

        <h2 className="govuk-heading-m" id="account-heading">
          {disabled ? "Enable account" : "Disable account"}
        </h2>
        <div id="account" tabIndex={-1} className={`govuk-form-group${errors?.account ? " govuk-form-group--error" : ""}`}>
          {errors?.account ? (
            <p className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {errors.account}
            </p>
          ) : null}
          {disabled ? (
            <>
              <p className="govuk-body">They will be able to sign in again with their current password.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="enable" />
                <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                  Enable account
                </button>
              </Form>
            </>
          ) : isSelf ? (
            <p className="govuk-body">You cannot disable your own account. Ask another admin to do it.</p>
          ) : (
            <>
              <div className="govuk-warning-text">
                <span className="govuk-warning-text__icon" aria-hidden="true">
                  !
                </span>
                <strong className="govuk-warning-text__text">
                  <span className="govuk-visually-hidden">Warning</span>
                  Disabling the account signs it out everywhere at once, and it cannot sign in until it is enabled again.
                </strong>
              </div>
              <Form method="post">
                <input type="hidden" name="intent" value="disable" />
                <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                  Disable account
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

