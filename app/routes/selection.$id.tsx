import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { CodeField } from "~/auth/code-field";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { confirmSecondFactor } from "~/auth/mfa.server";
import {
  closeRound,
  drawRound,
  OVERRIDE_REASON_MAX,
  overridePick,
  recordRoundViewed,
  roundView,
  RoundNotFound,
  SelectionError,
  trustsToAdd,
} from "~/selection/rounds.server";
import { formatCalendarDate, formatDateTime } from "~/ui/dates";
import { ErrorSummary, NotificationBanner, Select, Textarea } from "~/ui/form";
import { TableHead } from "~/ui/table";
import { SummaryRow } from "~/ui/summary-list";
import { OverridesTable } from "~/selection/overrides-table";
import { WarningText } from "~/ui/warning-text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.round.name ?? "Round"} – Selection rounds – Deep Dive` }];

const DONE_MESSAGES = {
  opened: "Round opened. Its commitment is published below; the seed stays secret until the round closes",
  drawn: "Round drawn",
  removed: "Trust removed from the round",
  added: "Trust added to the round",
  closed: "Round closed. The seed is revealed below, so anyone can check the draw",
} as const;

const STATUS_TAGS = {
  open: { text: "Open", className: "govuk-tag--blue" },
  drawn: { text: "Drawn", className: "govuk-tag--yellow" },
  closed: { text: "Closed", className: "govuk-tag--grey" },
} as const;

const KIND_LABELS = { mandatory: "Mandatory", drawn: "Drawn", validation: "Validation", added: "Added by hand" } as const;

/** Selection is confidential: programme leads only; everyone else gets 404 (docs/decisions/0008-selection.md). */
export function loader(args: LoaderFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const round = roundView(id);
  if (!round) throw notFound();
  recordRoundViewed(id, "round", actorFor(lead, args.context));
  const params = new URL(args.request.url).searchParams;
  const done = params.get("done");
  return {
    round,
    addable: round.status === "drawn" ? trustsToAdd(id) : [],
    removeChoice: params.get("remove") ?? "",
    // Passed down rather than imported by the component: a .server module's exports do not reach the browser.
    reasonMax: OVERRIDE_REASON_MAX,
    done: done && done in DONE_MESSAGES ? DONE_MESSAGES[done as keyof typeof DONE_MESSAGES] : null,
  };
}

type Intent = "draw" | "remove" | "add" | "close";
type Errors = Partial<Record<"round" | "removeTrustCode" | "removeReason" | "addTrustCode" | "addReason" | "code", string>>;
type ActionData = { intent: Intent | null; errors: Errors; values?: { trustCode: string; reason: string } };

export async function action(args: ActionFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const form = await args.request.formData();
  const field = (name: string, max: number) => {
    const value = form.get(name);
    return typeof value === "string" ? value.slice(0, max) : "";
  };
  const actor = actorFor(lead, args.context);
  const intent = field("intent", 20) as Intent;
  const done = (what: keyof typeof DONE_MESSAGES) => redirect(`/selection/${encodeURIComponent(id)}?done=${what}`);
  // The two override forms have fields of their own (addTrustCode, removeReason…), so every id on the page is unique.
  const values = { trustCode: field(`${intent}TrustCode`, 20), reason: field(`${intent}Reason`, OVERRIDE_REASON_MAX + 1000) };
  try {
    switch (intent) {
      case "draw":
        drawRound(id, actor);
        return done("drawn");
      case "close": {
        if (!roundView(id)) throw notFound();
        // Closing reveals the seed: the lead gives their second factor again first (decision 0022).
        const codeError = confirmSecondFactor({ ...actor, userId: lead.id }, lead.email, field("code", 100), "close a round and reveal its seed");
        if (codeError) return data<ActionData>({ intent, errors: { code: codeError } }, { status: 400 });
        closeRound(id, actor);
        return done("closed");
      }
      case "remove":
      case "add":
        overridePick(id, { action: intent, ...values }, actor);
        return done(intent === "add" ? "added" : "removed");
      default:
        if (!roundView(id)) throw notFound();
        return data<ActionData>({ intent: null, errors: { round: "Choose what to do with the round" } }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof RoundNotFound) throw notFound();
    if (error instanceof SelectionError) {
      const e = error.fieldErrors;
      const errors: Errors =
        intent === "add" || intent === "remove"
          ? { [`${intent}TrustCode`]: e.trustCode, [`${intent}Reason`]: e.reason, round: e.round }
          : { round: e.round ?? error.message };
      return data<ActionData>({ intent, errors, values }, { status: 400 });
    }
    throw error;
  }
}

export default function RoundPage() {
  const { round, addable, removeChoice, reasonMax, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const errors = actionData?.errors;
  const valuesFor = (intent: Intent) => (actionData?.intent === intent ? actionData.values : undefined);
  const active = round.picks.filter((p) => !p.removed);
  const tag = STATUS_TAGS[round.status];
  return (
    <>
      <Link to="/selection" className="govuk-back-link">
        Back to selection rounds
      </Link>
      {done && !errors ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">Selection round</span>
      <h1 className="govuk-heading-l">{round.name}</h1>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <dl className="govuk-summary-list">
            <SummaryRow label="Status">
              <strong className={`govuk-tag ${tag.className}`}>{tag.text}</strong>
            </SummaryRow>
            <SummaryRow label="Period">
              {formatCalendarDate(round.periodStart)} to {formatCalendarDate(round.periodEnd)}
            </SummaryRow>
            <SummaryRow label="Capacity">{`${round.capacity} trusts`}</SummaryRow>
            <SummaryRow label="Minimum time since the last inspection">{`${round.minMonthsSinceInspection} months`}</SummaryRow>
            <SummaryRow label="Validation share">
              {`${Math.round(round.validationShare * 1000) / 10}% of the capacity, from bands 4 to 6`}
            </SummaryRow>
            <SummaryRow label="Opened">
              {formatDateTime(round.createdAt)} by {round.createdBy}
            </SummaryRow>
            <SummaryRow label="Commitment (SHA-256 of the seed)">
              <code className="govuk-!-text-break-word" id="commitment">
                {round.commitment}
              </code>
            </SummaryRow>
            <SummaryRow label="Seed">
              {round.seed ? (
                <code className="govuk-!-text-break-word" id="seed">
                  {round.seed}
                </code>
              ) : (
                "Secret until the round closes"
              )}
            </SummaryRow>
            {round.drawnAt ? (
              <SummaryRow label="Drawn">
                {formatDateTime(round.drawnAt)}
                {round.modelVersion ? `, with risk model ${round.modelVersion.name}` : ""}
                {round.candidates !== null ? `, from ${round.candidates} trusts` : ""}
              </SummaryRow>
            ) : null}
            {round.closedAt ? <SummaryRow label="Closed">{formatDateTime(round.closedAt)}</SummaryRow> : null}
          </dl>
        </div>
      </div>

      <div id="round" tabIndex={-1}>
        {errors?.round ? (
          <p className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {errors.round}
          </p>
        ) : null}
      </div>

      {round.status === "open" ? (
        <>
          <h2 className="govuk-heading-m">Draw the round</h2>
          <p className="govuk-body">
            The draw takes the current risk ranking, picks every mandatory trust (band 1), draws the rest at random weighted by risk score, and adds a
            validation sample from bands 4 to 6. The result is fixed by the secret seed, so drawing cannot be repeated for a different result.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="draw" />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Draw
            </button>
          </Form>
        </>
      ) : (
        <>
          <h2 className="govuk-heading-m">Picks</h2>
          {round.plan?.overCapacity ? (
            <WarningText>
              There are {round.plan.mandatory} mandatory trusts, more than the capacity of {round.capacity}. All of them are picked and nothing was drawn at
              random. Remove picks, with a reason, if the round cannot inspect them all.
            </WarningText>
          ) : null}
          <p className="govuk-body">
            {`${active.length} ${active.length === 1 ? "trust" : "trusts"} in the round (capacity ${round.capacity}).`}
          </p>
          <div className="app-table-wrapper">
            <table className="govuk-table govuk-table--small-text-until-tablet">
              <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Picks, in the order drawn</caption>
              <TableHead
                headings={["Order", "Trust", "Band", "Score", "Kind", "Reason", ...(round.status === "drawn" ? [{ hidden: "Actions" }] : [])]}
              />
              <tbody className="govuk-table__body">
                {round.picks.map((pick) => (
                  <tr className="govuk-table__row" key={pick.trustCode}>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{pick.drawOrder ?? ""}</td>
                    <th scope="row" className="govuk-table__header">
                      <Link to={`/trusts/${pick.trustCode}`} className="govuk-link">
                        {pick.trustName}
                      </Link>
                      {` (${pick.trustCode})`}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{pick.band ?? ""}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{pick.score === null ? "" : pick.score.toFixed(1)}</td>
                    <td className="govuk-table__cell">
                      {KIND_LABELS[pick.kind]}
                      {pick.removed ? (
                        <>
                          {" "}
                          <strong className="govuk-tag govuk-tag--red">Removed</strong>
                        </>
                      ) : null}
                    </td>
                    <td className="govuk-table__cell">{pick.reason}</td>
                    {round.status === "drawn" ? (
                      <td className="govuk-table__cell">
                        {pick.removed ? null : (
                          <Link className="govuk-link" to={`?remove=${encodeURIComponent(pick.trustCode)}#removeTrustCode`} preventScrollReset>
                            Remove<span className="govuk-visually-hidden"> {pick.trustName}</span>
                          </Link>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2 className="govuk-heading-m">Overrides</h2>
          {round.overrides.length === 0 ? (
            <p className="govuk-body">No trust has been removed or added by hand.</p>
          ) : (
            <div className="app-table-wrapper">
              <OverridesTable overrides={round.overrides} caption="Overrides, oldest first" showCaption={false} />
            </div>
          )}
        </>
      )}

      {round.status !== "open" ? (
        <>
          <h2 className="govuk-heading-m">Visits</h2>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/selection/${round.id}/schedule`}>
              Plan and see the visits for this round
            </Link>
          </p>
        </>
      ) : null}

      {round.status === "drawn" ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Remove a trust</h2>
            {/* Keyed by the address, so following a pick's "Remove" link selects that trust even after an error. */}
            <Form method="post" noValidate key={`remove-${location.search}`}>
              <input type="hidden" name="intent" value="remove" />
              <Select
                name="removeTrustCode"
                label="Trust to remove"
                options={[{ value: "", text: "Select a trust" }, ...active.map((p) => ({ value: p.trustCode, text: `${p.trustName} (${p.trustCode})` }))]}
                defaultValue={valuesFor("remove")?.trustCode ?? removeChoice}
                error={errors?.removeTrustCode}
              />
              <Textarea
                name="removeReason"
                label="Why remove it"
                hint={`Required, ${reasonMax} characters or fewer. Kept with the round and in the audit trail.`}
                defaultValue={valuesFor("remove")?.reason}
                error={errors?.removeReason}
              />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Remove the trust
              </button>
            </Form>

            <h2 className="govuk-heading-m">Add a trust</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="add" />
              <Select
                name="addTrustCode"
                label="Trust to add"
                hint="Open trusts not already in this round."
                options={[{ value: "", text: "Select a trust" }, ...addable.map((t) => ({ value: t.odsCode, text: `${t.name} (${t.odsCode})` }))]}
                defaultValue={valuesFor("add")?.trustCode ?? ""}
                error={errors?.addTrustCode}
              />
              <Textarea
                name="addReason"
                label="Why add it"
                hint={`Required, ${reasonMax} characters or fewer. Kept with the round and in the audit trail.`}
                defaultValue={valuesFor("add")?.reason}
                error={errors?.addReason}
              />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Add the trust
              </button>
            </Form>

            <h2 className="govuk-heading-m">Close the round</h2>
            <WarningText>
              Closing the round reveals its seed to everyone who can see the round, and its picks can no longer be changed. Its trusts can then be picked
              by other rounds again.
            </WarningText>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="close" />
              <CodeField label="Your code from your authenticator app" hint="To confirm it is you: closing reveals the seed" error={errors?.code} />
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Close the round and reveal the seed
              </button>
            </Form>
          </div>
        </div>
      ) : null}

      {round.status === "closed" ? (
        <>
          <h2 className="govuk-heading-m">Check the draw</h2>
          <p className="govuk-body">
            The seed is revealed, so the draw can be re-run from the snapshot taken when it was drawn, and compared with the picks stored.
          </p>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/selection/${round.id}/verify`}>
              Verify this round
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}

