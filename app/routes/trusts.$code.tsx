import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireStaff } from "~/auth/guards.server";
import { BROAD_TYPE_LABELS, getTrust, MTC_CATEGORY_LABELS } from "~/trusts/register.server";
import { formatCalendarDate } from "~/ui/dates";
import { SummaryRow } from "~/ui/summary-list";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.trust ? `${data.trust.name} – Deep Dive` : "Trust not found – Deep Dive" },
];

export function loader(args: LoaderFunctionArgs) {
  const user = requireStaff(args);
  const trust = getTrust(args.params.code ?? "");
  if (!trust) throw notFound();
  return {
    trust: {
      ...trust,
      typeLabel: BROAD_TYPE_LABELS[trust.broadType],
      traumaCentres: trust.traumaCentres.map((c) => ({ hospital: c.hospital, categoryLabel: MTC_CATEGORY_LABELS[c.category] })),
    },
    // The trust's actions are read by programme leads and admins (trusts.$code_.actions.tsx).
    canSeeActions: user.role === "programme_lead" || user.role === "admin",
  };
}

const NOT_KNOWN = "Not known";

export default function TrustDetails() {
  const { trust, canSeeActions } = useLoaderData<typeof loader>();
  const addressLines = trust.addressLines ? trust.addressLines.split(", ") : [];
  return (
    <>
      <Link to="/trusts" className="govuk-back-link">
        Back to NHS trusts
      </Link>
      <span className="govuk-caption-l">{trust.odsCode}</span>
      <h1 className="govuk-heading-l">{trust.name}</h1>
      {trust.isClosed ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            This trust closed on {formatCalendarDate(trust.closedOn)}.
          </strong>
        </div>
      ) : null}
      <dl className="govuk-summary-list">
        <SummaryRow label="ODS code">{trust.odsCode}</SummaryRow>
        <SummaryRow label="Name">{trust.name}</SummaryRow>
        <SummaryRow label="ODS name (as published)">{trust.odsName}</SummaryRow>
        <SummaryRow label="Type">{trust.typeLabel}</SummaryRow>
        <SummaryRow label="Trust type (FOI 2024)">{trust.trustType ?? NOT_KNOWN}</SummaryRow>
        <SummaryRow label="Region">
          {trust.regionName} ({trust.regionCode})
        </SummaryRow>
        <SummaryRow label="ICB code">{trust.icbCode ?? NOT_KNOWN}</SummaryRow>
        <SummaryRow label="Address">
          {addressLines.length > 0
            ? addressLines.map((line, i) => (
                <span key={i}>
                  {line}
                  {i < addressLines.length - 1 ? <br /> : null}
                </span>
              ))
            : NOT_KNOWN}
        </SummaryRow>
        <SummaryRow label="Postcode">{trust.postcode ?? NOT_KNOWN}</SummaryRow>
        <SummaryRow label="Opened">{trust.openedOn ? formatCalendarDate(trust.openedOn) : NOT_KNOWN}</SummaryRow>
        {trust.closedOn ? <SummaryRow label={trust.isClosed ? "Closed" : "Closes"}>{formatCalendarDate(trust.closedOn)}</SummaryRow> : null}
        <SummaryRow label="Ambulance trust">{trust.isAmbulance ? "Yes" : "No"}</SummaryRow>
        <SummaryRow label={trust.traumaCentres.length > 1 ? "Major trauma centres" : "Major trauma centre"}>
          {trust.traumaCentres.length === 0 ? (
            "None"
          ) : (
            <ul className="govuk-list">
              {trust.traumaCentres.map((c) => (
                <li key={c.hospital}>
                  {c.hospital} ({c.categoryLabel})
                </li>
              ))}
            </ul>
          )}
        </SummaryRow>
        <SummaryRow label="Primary EPR supplier (FOI 2024)">{trust.eprSupplier ?? NOT_KNOWN}</SummaryRow>
        <SummaryRow label="Location (latitude, longitude)">
          {trust.latitude !== null && trust.longitude !== null ? `${trust.latitude}, ${trust.longitude}` : NOT_KNOWN}
        </SummaryRow>
      </dl>
      {canSeeActions ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={`/trusts/${trust.odsCode}/actions`}>
            Actions from this trust&apos;s published deep dives
          </Link>
        </p>
      ) : null}
    </>
  );
}
