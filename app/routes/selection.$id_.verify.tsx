import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { actorFor, notFound, requireRole } from "~/auth/guards.server";
import { recordRoundViewed, roundView, verifyRound, type VerifiedPick } from "~/selection/rounds.server";
import { NotificationBanner } from "~/ui/form";
import { TableHead } from "~/ui/table";
import { OverridesTable } from "~/selection/overrides-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Verify ${data?.round.name ?? "round"} – Selection rounds – Deep Dive` }];

const KIND_LABELS: Record<string, string> = { mandatory: "Mandatory", drawn: "Drawn", validation: "Validation", added: "Added by hand" };

/**
 * Re-runs a closed round's draw and compares it with the stored picks. Programme leads only (0008). Not nested
 * in the round page (the `_` in `$id_`), so the round page's loader does not run (and audit a view) here too.
 */
export function loader(args: LoaderFunctionArgs) {
  const lead = requireRole(args, ["programme_lead"]);
  const id = args.params.id ?? "";
  const round = roundView(id);
  if (!round) throw notFound();
  const actor = actorFor(lead, args.context);
  const verification = round.status === "closed" ? verifyRound(id) : null;
  recordRoundViewed(id, "verify", actor, verification ? { ok: verification.ok } : { closed: false });
  return { round: { id: round.id, name: round.name }, verification };
}

function describe(pick: VerifiedPick | null) {
  if (!pick) return "Nothing";
  return `${pick.trustName ? `${pick.trustName} ` : ""}(${pick.trustCode}), ${(KIND_LABELS[pick.kind] ?? pick.kind).toLowerCase()}`;
}

export default function VerifyRound() {
  const { round, verification: v } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <Link to={`/selection/${round.id}`} className="govuk-back-link">
          Back to the round
        </Link>
        <span className="govuk-caption-l">{round.name}</span>
        <h1 className="govuk-heading-l">Verify the draw</h1>
        {!v ? (
          <p className="govuk-body">This round is not closed yet. Its seed is still secret, so the draw cannot be checked until the round closes.</p>
        ) : (
          <>
            {v.ok ? (
              <div className="govuk-panel govuk-panel--confirmation" id="verdict">
                <h2 className="govuk-panel__title">The draw is verified</h2>
              </div>
            ) : (
              <NotificationBanner title="Important" success={false}>
                <p className="govuk-notification-banner__heading" id="verdict">
                  The draw does not verify: see below for what differs.
                </p>
              </NotificationBanner>
            )}
            <h2 className="govuk-heading-m">The seed and its commitment</h2>
            <p className="govuk-body" id="commitment-check">
              {v.commitmentMatches
                ? "The revealed seed matches the commitment published when the round opened."
                : "The revealed seed does not match the commitment published when the round opened."}
            </p>
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Commitment</dt>
                <dd className="govuk-summary-list__value">
                  <code className="govuk-!-text-break-word">{v.commitment}</code>
                </dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Seed</dt>
                <dd className="govuk-summary-list__value">
                  <code className="govuk-!-text-break-word">{v.seed}</code>
                </dd>
              </div>
            </dl>

            <h2 className="govuk-heading-m">The snapshot</h2>
            <p className="govuk-body" id="snapshot-check">
              {v.snapshotMatchesAudit
                ? "The stored snapshot is the one recorded (by its SHA-256) in the audit trail when the round was drawn."
                : "The stored snapshot does not match the one recorded in the audit trail when the round was drawn: it has been changed since."}
            </p>

            <h2 className="govuk-heading-m">The picks</h2>
            {v.snapshotProblem ? (
              <p className="govuk-body" id="draw-check">
                The draw could not be re-run from the stored snapshot: {v.snapshotProblem}
              </p>
            ) : v.differences.length === 0 ? (
              <p className="govuk-body" id="draw-check">
                {`The draw reproduced every pick: all ${v.expectedPicks} of them, in the same order.`}
              </p>
            ) : (
              <>
                <p className="govuk-body" id="draw-check">
                  {`The draw re-run from the snapshot differs from the stored picks in ${v.differences.length} ${v.differences.length === 1 ? "place" : "places"}.`}
                </p>
                <table className="govuk-table">
                  <caption className="govuk-table__caption govuk-table__caption--s">Differences</caption>
                  <TableHead headings={["Position", "The draw gives", "Stored"]} />
                  <tbody className="govuk-table__body">
                    {v.differences.map((d, i) => (
                      <tr className="govuk-table__row" key={i}>
                        <th scope="row" className="govuk-table__header">
                          {d.position ?? "None"}
                        </th>
                        <td className="govuk-table__cell">{describe(d.expected)}</td>
                        <td className="govuk-table__cell">{describe(d.actual)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}

            <h2 className="govuk-heading-m">Overrides</h2>
            {v.overrides.length === 0 ? (
              <p className="govuk-body">No trust was removed or added by hand. Overrides are decisions made after the draw, so they are listed here, not as differences.</p>
            ) : (
              <OverridesTable
                overrides={v.overrides}
                caption="Decisions made after the draw: listed here, not counted as differences"
                showCaption
              />
            )}

            <h2 className="govuk-heading-m">Check it yourself</h2>
            <ol className="govuk-list govuk-list--number">
              <li>
                Check the commitment: SHA-256 of the seed&apos;s 32 bytes, for example{" "}
                <code>printf &apos;%s&apos; SEED | xxd -r -p | sha256sum</code>.
              </li>
              <li>
                <a className="govuk-link" href={`/selection/${round.id}/snapshot`} download>
                  Download the snapshot (JSON)
                </a>
                : every input of the draw, as it was taken when the round was drawn.
              </li>
              <li>
                Re-run the draw as described in the selection documentation (docs/selection.md in the Deep Dive code), or on the server with{" "}
                <code>npm run selection:verify -- {round.id}</code>.
              </li>
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
