import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { ActionHistory, ActionsTable } from "~/portal/actions-display";
import { recordActionsRead, trustActionsByInspection } from "~/portal/actions.server";
import { getTrust } from "~/trusts/register.server";
import { formatCalendarDate } from "~/ui/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.trust ? `Actions: ${data.trust.name} – Deep Dive` : "Page not found – Deep Dive" }];

/**
 * A trust's actions from its published deep dives, as the trust sees them, with every progress update: read only, for
 * programme leads and admins (CQC does not update a trust's action plan; inspectors see inspections only through
 * their visits). Each view is audited.
 */
export function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "admin"]);
  const trust = getTrust(args.params.code ?? "");
  if (!trust) throw notFound();
  const now = new Date();
  const inspections = trustActionsByInspection(trust.odsCode, now);
  recordActionsRead(
    "actions.viewed",
    trust.odsCode,
    inspections.reduce((n, i) => n + i.actions.length, 0),
    actorFor(user, args.context),
    now,
  );
  return { trust: { odsCode: trust.odsCode, name: trust.name }, inspections };
}

export default function TrustActions() {
  const { trust, inspections } = useLoaderData<typeof loader>();
  return (
    <>
      <Link to={`/trusts/${trust.odsCode}`} className="govuk-back-link">
        Back to {trust.name}
      </Link>
      <span className="govuk-caption-l">
        {trust.name} ({trust.odsCode})
      </span>
      <h1 className="govuk-heading-l">Actions</h1>
      <p className="govuk-body">
        The actions from this trust&apos;s published deep dives, as the trust sees them in its portal. The trust updates them; this page is read only.
      </p>
      {inspections.length === 0 ? <p className="govuk-body">This trust has no actions: none of its deep dives has been published with a gap.</p> : null}
      {inspections.map((inspection) => {
        const when = inspection.visitDate ? formatCalendarDate(inspection.visitDate) : "an inspection without a visit";
        const toDo = inspection.actions.filter((a) => a.status !== "done").length;
        const overdue = inspection.actions.filter((a) => a.overdue).length;
        return (
          <section key={inspection.inspectionId} aria-labelledby={`inspection-${inspection.inspectionId}`}>
            <h2 className="govuk-heading-m" id={`inspection-${inspection.inspectionId}`}>
              Deep dive of {when}
            </h2>
            <p className="govuk-body">
              {inspection.actions.length} {inspection.actions.length === 1 ? "action" : "actions"}: {toDo} to do{overdue > 0 ? ` (${overdue} overdue)` : ""},{" "}
              {inspection.actions.length - toDo} done.
            </p>
            <ActionsTable caption={`Actions from the deep dive of ${when}`} actions={inspection.actions} showLastNote />
            <details className="govuk-details">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">Every update of these actions</span>
              </summary>
              <div className="govuk-details__text">
                {inspection.actions.map((a) => (
                  <div key={a.id}>
                    <h3 className="govuk-heading-s">
                      {a.criterionCode} {a.criterionTitle}
                    </h3>
                    <ActionHistory history={a.history} />
                  </div>
                ))}
              </div>
            </details>
          </section>
        );
      })}
    </>
  );
}
