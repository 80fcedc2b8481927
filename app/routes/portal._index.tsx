import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { notFound, requireTrustUser } from "~/auth/guards.server";
import { portalTrust } from "~/portal/portal.server";

export const meta: MetaFunction = () => [{ title: "Your trust – Deep Dive" }];

export function loader(args: LoaderFunctionArgs) {
  const user = requireTrustUser(args);
  const trust = portalTrust(user);
  if (!trust) throw notFound();
  return { trust };
}

export default function PortalHome() {
  const { trust } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">{trust.odsCode}</span>
      <h1 className="govuk-heading-l">{trust.name}</h1>
      <h2 className="govuk-heading-m">Published reports</h2>
      <p className="govuk-body">Your trust has no published deep-dive reports yet. When a report is published it will be listed here for you to download.</p>
      <h2 className="govuk-heading-m">Actions</h2>
      <p className="govuk-body">There are no actions for your trust to update.</p>
    </>
  );
}
