import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ROLE_LABELS } from "~/auth/roles";
import { findUser, listUsers } from "~/auth/users.server";
import { NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Users – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, ["admin"]);
  const createdId = new URL(args.request.url).searchParams.get("created");
  const created = createdId ? findUser(createdId) : undefined;
  return {
    users: listUsers().map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role], disabled: !!u.disabledAt })),
    created: created ? { id: created.id, name: created.name, email: created.email } : null,
  };
}

/** Nothing is posted here (accounts are created at /admin/users/new); only admins learn that. */
export default function Users() {
  const { users, created } = useLoaderData<typeof loader>();
  return (
    <>
      {created ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">
            Account created for {created.name} ({created.email}).{" "}
            <Link className="govuk-notification-banner__link" to={`/admin/users/${created.id}`}>
              View the account
            </Link>
          </p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">Users</h1>
      <Link to="/admin/users/new" role="button" draggable="false" className="govuk-button" data-module="govuk-button">
        Create a user
      </Link>
      <div className="app-table-wrapper">
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {users.length === 1 ? "1 account" : `${users.length} accounts`}
          </caption>
          <TableHead headings={["Name", "Email address", "Role", "Trust", "Status", { hidden: "Actions" }]} />
          <tbody className="govuk-table__body">
            {users.map((user) => (
              <tr key={user.id} className="govuk-table__row">
                <td className="govuk-table__cell">{user.name}</td>
                <td className="govuk-table__cell">{user.email}</td>
                <td className="govuk-table__cell">{user.roleLabel}</td>
                <td className="govuk-table__cell">{user.trustCode ?? ""}</td>
                <td className="govuk-table__cell">
                  {user.disabled ? (
                    <strong className="govuk-tag govuk-tag--grey">Disabled</strong>
                  ) : (
                    <strong className="govuk-tag govuk-tag--green">Active</strong>
                  )}
                  {user.isDemo ? (
                    <>
                      {" "}
                      <strong className="govuk-tag govuk-tag--blue">Demo</strong>
                    </>
                  ) : null}
                </td>
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/admin/users/${user.id}`}>
                    Change<span className="govuk-visually-hidden"> {user.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
