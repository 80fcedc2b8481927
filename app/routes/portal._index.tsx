import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requireTrustUser } from "~/auth/guards.server";
import { portalActions } from "~/portal/actions.server";
import { PortalActions } from "~/portal/portal-actions";
import { portalTrust } from "~/portal/portal.server";
import { PortalReports } from "~/portal/portal-reports";
import { portalChecks, portalReports } from "~/portal/reports.server";

export const meta: MetaFunction = () => [{ title: "Your trust – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const trust = portalTrust(user);
  if (!trust) throw notFound();
  return { trust, actions: portalActions(user), reports: portalReports(user), checks: portalChecks(user) };
}

export default function PortalHome() {
  const { trust, actions, reports, checks } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">{trust.odsCode}</span>
      <h1 className="govuk-heading-l">{trust.name}</h1>
      <PortalReports reports={reports} checks={checks} />
      <PortalActions actions={actions} />
    </>
  );
}
