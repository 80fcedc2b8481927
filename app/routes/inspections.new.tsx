import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, refuse, requireRole } from "~/auth/guards.server";
import { listFrameworkVersions } from "~/baseline/frameworks.server";
import { defaultProfile, profileLineages } from "~/baseline/profile-rules";
import { createInspection, InspectionError, InspectionNotFound } from "~/inspections/inspections.server";
import { visitView } from "~/scheduling/schedule.server";
import { formatCalendarDateWithWeekday } from "~/ui/dates";
import { ErrorSummary, Select } from "~/ui/form";

export const meta: MetaFunction = () => [{ title: "Start the inspection – Deep Dive" }];

/** A programme lead, or the lead inspector of the visit, starts its inspection; anyone else gets 404. */
function visitFor(args: LoaderFunctionArgs | ActionFunctionArgs, user: { id: string; role: string }) {
  const visit = visitView(new URL(args.request.url).searchParams.get("visit") ?? "");
  if (!visit || (visit.status !== "scheduled" && visit.status !== "completed")) throw notFound();
  const isVisitLead = visit.team.some((m) => m.id === user.id && m.role === "lead");
  if (user.role !== "programme_lead" && !isVisitLead) return null;
  return visit;
}

export function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "inspector"]);
  const visit = visitFor(args, user) ?? refuse(args, user, "starting an inspection of a visit the user does not lead");
  return {
    visit: { id: visit.id, trustName: visit.trustName, trustCode: visit.trustCode, date: visit.date },
    // Listed newest version first within each framework; that newest version is offered by default, with the
    // newest version of the CQC baseline profile if there is one, else the framework file's first profile.
    frameworks: listFrameworkVersions().map((f, i, all) => {
      const supersededBy = new Map(profileLineages(f.profiles).flatMap((l) => l.versions.map((v) => [v.id, v.supersededBy] as const)));
      return {
        id: f.id,
        title: f.title,
        isNewest: all.findIndex((g) => g.framework === f.framework) === i,
        defaultProfileId: defaultProfile(f.profiles)?.id ?? null,
        profiles: f.profiles.map((p) => {
          const newer = supersededBy.get(p.id);
          return { id: p.id, name: `${p.name} (version ${p.version}${newer ? `, superseded by version ${newer}` : ""})` };
        }),
      };
    }),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, ["programme_lead", "inspector"]);
  const visit = visitFor(args, user) ?? refuse(args, user, "starting an inspection of a visit the user does not lead");
  const form = await args.request.formData();
  const choices = listFrameworkVersions().flatMap((f) => {
    const value = form.get(`profile-${f.id}`);
    const profileId = typeof value === "string" && /^\d{1,12}$/.test(value) ? Number(value) : null;
    return profileId === null ? [] : [{ frameworkVersionId: f.id, profileId }];
  });
  try {
    const id = createInspection(visit.id, choices, actorFor(user, args.context));
    return redirect(`/inspections/${id}`);
  } catch (error) {
    if (error instanceof InspectionNotFound) throw notFound();
    if (error instanceof InspectionError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

export default function StartInspection() {
  const { visit, frameworks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const firstField = frameworks[0] ? `profile-${frameworks[0].id}` : "frameworks";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to={`/visits/${visit.id}`} className="govuk-back-link">
          Back to the visit
        </Link>
        <ErrorSummary errors={{ [firstField]: result?.error }} />
        <span className="govuk-caption-l">{`${visit.trustName}, ${formatCalendarDateWithWeekday(visit.date)}`}</span>
        <h1 className="govuk-heading-l">Start the inspection</h1>
        <p className="govuk-body">
          Choose the frameworks the trust is assessed against, each with the profile of what good looks like. They are fixed once the inspection starts,
          so findings can be compared with earlier and later inspections.
        </p>
        <Form method="post" noValidate>
          {frameworks.map((f, i) => (
            <Select
              key={f.id}
              name={`profile-${f.id}`}
              label={f.title}
              hint="The profile sets the minimum rating each criterion needs."
              options={[{ value: "", text: "Not used in this inspection" }, ...f.profiles.map((p) => ({ value: String(p.id), text: p.name }))]}
              defaultValue={f.isNewest && f.defaultProfileId !== null ? String(f.defaultProfileId) : ""}
              error={i === 0 ? result?.error : undefined}
            />
          ))}
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Start the inspection
          </button>
        </Form>
      </div>
    </div>
  );
}
