import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import { ROLE_OPTIONS } from "~/auth/roles";
import { AccountError, createUser, listAssignableTrusts, parseAccountInput, type FieldErrors } from "~/auth/users.server";
import { ErrorSummary, Radios, Select, TextInput } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Create a user – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  return { trusts: listAssignableTrusts() };
}

type Values = { name: string; email: string; role: string; trustCode: string };
type ActionData = { errors: FieldErrors; values: Values };

/** Errors in the order the fields appear, so the error summary reads down the page. */
const inPageOrder = (errors: FieldErrors): FieldErrors => ({
  name: errors.name,
  email: errors.email,
  role: errors.role,
  trustCode: errors.trustCode,
  password: errors.password,
  account: errors.account,
});

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, ["admin"]);
  const form = await args.request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const values: Values = {
    name: field("name").slice(0, 500),
    email: field("email").slice(0, 500),
    role: field("role"),
    trustCode: field("trustCode").slice(0, 20),
  };
  const password = field("password");
  // The trust select is on the page whatever the role (no JavaScript needed): it only counts for trust users.
  const parsed = parseAccountInput({ ...values, trustCode: values.role === "trust_user" ? values.trustCode : undefined });
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const problem = password ? checkPasswordPolicy(password, { email: parsed.ok ? parsed.input.email : values.email }) : null;
  if (!password) errors.password = "Enter an initial password";
  else if (problem) errors.password = problem.message;
  if (!parsed.ok || errors.password) return data<ActionData>({ errors: inPageOrder(errors), values }, { status: 400 });
  try {
    const id = await createUser({ ...parsed.input, password }, actorFor(admin, args.context));
    return redirect(`/admin/users?created=${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof AccountError) return data<ActionData>({ errors: inPageOrder(error.fieldErrors), values }, { status: 400 });
    throw error;
  }
}

export default function NewUser() {
  const { trusts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/admin/users" className="govuk-back-link">
          Back to users
        </Link>
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Create a user</h1>
        <Form method="post" noValidate>
          <TextInput name="name" label="Full name" autoComplete="off" spellCheck={false} defaultValue={values?.name} error={errors?.name} />
          <TextInput
            name="email"
            label="Email address"
            type="email"
            autoComplete="off"
            spellCheck={false}
            defaultValue={values?.email}
            error={errors?.email}
            hint="They sign in with this address"
          />
          <Radios name="role" legend="Role" options={ROLE_OPTIONS} defaultValue={values?.role} error={errors?.role} />
          <Select
            name="trustCode"
            label="Trust"
            hint="Only for trust users: they see only this trust. Ignored for other roles."
            options={[{ value: "", text: "Not a trust user" }, ...trusts.map((t) => ({ value: t.odsCode, text: `${t.name} (${t.odsCode})` }))]}
            defaultValue={values?.trustCode}
            error={errors?.trustCode}
          />
          <TextInput
            name="password"
            label="Initial password"
            type="password"
            autoComplete="new-password"
            hint={`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Common passwords are not allowed. Give it to the person by a different route from their email address.`}
            error={errors?.password}
          />
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Create user
            </button>
            <Link to="/admin/users" className="govuk-link">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
