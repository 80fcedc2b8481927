import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actorFor, requireRole } from "~/auth/guards.server";
import { Heatmap, ShareTable, StatusTable, TrendFigure, TrustMapFigure } from "~/national/national-display";
import nationalStyles from "~/national/national.css";
import { nationalPicture, recordNationalPictureViewed } from "~/national/national.server";
import { formatCalendarDate } from "~/ui/dates";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: nationalStyles }];

// The title only when the page is shown: a refusal (404) must not say what is here.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? "The national picture – Deep Dive" : "Page not found – Deep Dive" }];

/**
 * Programme leads and admins: both may already see every inspection and every trust's risk. Inspectors get 404,
 * because the heatmap shows the ratings of inspections they may not open (docs/decisions/0019-national-picture.md).
 * Every view is audited, as the risk pages are.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "admin"]);
  const picture = nationalPicture();
  recordNationalPictureViewed(actorFor(user, args.context), picture);
  return { ...picture, isLead: user.role === "programme_lead" };
}

export default function NationalPicture() {
  const { asOf, modelVersion, statusCounts, totalInspections, map, frameworks, isLead } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">The national picture</h1>
      <p className="govuk-body">
        Where the inspection programme stands across England, as of {formatCalendarDate(asOf)}: inspections by status, every open
        trust&apos;s risk band, the ratings found at inspected trusts, and whether trusts inspected more than once are going in the right
        direction.
      </p>

      <h2 className="govuk-heading-m">Inspections by status</h2>
      <p className="govuk-body">
        Counts only.{" "}
        {isLead ? (
          <>
            Which trusts are planned, and when, is in each round&apos;s schedule under{" "}
            <Link className="govuk-link" to="/selection">
              Selection rounds
            </Link>
            .
          </>
        ) : (
          "Which trusts are planned, and when, is for programme leads only."
        )}
      </p>
      <StatusTable counts={statusCounts} total={totalInspections} />

      <h2 className="govuk-heading-m">Risk across England</h2>
      <p className="govuk-body">
        Bands from the risk model{" "}
        <Link className="govuk-link" to={`/risk/models/${modelVersion.id}`}>
          {modelVersion.name}
        </Link>
        ; band 1 is the highest priority. The{" "}
        <Link className="govuk-link" to="/risk">
          risk ranking
        </Link>{" "}
        explains each trust&apos;s score.
      </p>
      <TrustMapFigure map={map} asOf={asOf} />

      <h2 className="govuk-heading-m">Ratings at inspected trusts</h2>
      {frameworks.length === 0 ? (
        <p className="govuk-body" id="no-ratings">
          No inspection has been approved yet. Ratings appear here once an inspection&apos;s findings are approved.
        </p>
      ) : (
        <>
          <p className="govuk-body">
            Each trust&apos;s latest inspection whose findings are approved (including those in the factual accuracy check or
            published), one row per trust. Each cell has the rating&apos;s code as well as its colour; the criteria&apos;s titles are in the
            next table. Scroll the table sideways to see every criterion.
          </p>
          {frameworks.map((f) => (
            <Heatmap key={f.frameworkVersionId} picture={f} />
          ))}

          <h2 className="govuk-heading-m">What good looks like so far</h2>
          <p className="govuk-body">
            For each criterion, how many inspected trusts meet the profile their latest inspection was assessed against: the emerging
            baseline of what good looks like.
          </p>
          {frameworks.map((f) => (
            <ShareTable key={f.frameworkVersionId} picture={f} />
          ))}

          <h2 className="govuk-heading-m">Trusts inspected more than once</h2>
          <p className="govuk-body">
            The share of criteria meeting the profile at each of a trust&apos;s inspections on the same framework, and how many criteria
            improved, held or fell since the inspection before.
          </p>
          {frameworks.map((f) => (
            <TrendFigure key={f.frameworkVersionId} picture={f} />
          ))}
        </>
      )}
    </>
  );
}
