/**
 * "Offline — N changes waiting" (issue 7): shown to an inspector whose browser keeps changes in the outbox or has lost
 * its connection, on every page. It replays the outbox when the connection comes back, every 30 seconds while changes
 * wait, and when "Send now" is pressed; after a replay that stored something the page's data is loaded again, so the
 * forms carry the new versions. A kept change the server would not take (someone else saved the finding first, or a
 * field was refused) stays, shown here with its text, until the person has what they need from it: nothing is
 * dropped without them seeing it. Nothing is opened or stored for an inspector who has prepared nothing.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Form, Link } from "@remix-run/react";
import { checkPreparedInspections, discardFile, discardFindingEdits, editsNeedingDecision, filesNeedingDecision, FINDINGS_CLOSED, OUTBOX_CHANGED, outboxUsed, syncOutbox, waitingCount } from "./offline-runtime";
import type { EvidenceEntry, OutboxEntry } from "./outbox";
import { anyPrepared } from "./prepare";

const RETRY_EVERY_MS = 30_000;

/** Dispatched (cancelable) on window by the header's Sign out button: cancelled while changes wait here. */
export const SIGN_OUT_ASKED = "deep-dive-sign-out-asked";

const changes = (n: number) => `${n} ${n === 1 ? "change" : "changes"}`;

/** The text fields of a kept edit, as the form named them, for the person to read and copy. */
const TEXT_FIELDS: [string, string][] = [
  ["observed", "What you observed"],
  ["evidenceDocuments", "Documents"],
  ["evidencePeople", "People"],
  ["evidenceSystems", "Systems"],
  ["recommendation", "Recommendation"],
  ["overrideReason", "Reason for the rating"],
];

function KeptEdit({ entry, onDiscard }: { entry: OutboxEntry; onDiscard: () => void }) {
  const value = (name: string) => entry.fields.find(([n]) => n === name)?.[1] ?? "";
  return (
    <li>
      {entry.state === "conflict" ? (
        <p className="govuk-body">
          A change kept on this laptop was not saved: someone else saved this finding first.{" "}
          <Link className="govuk-notification-banner__link" to={`/inspections/${entry.inspectionId}/criteria/${entry.criterionId}?kept`}>
            Compare your change with theirs
          </Link>{" "}
          and choose what to keep.
        </p>
      ) : entry.lastError === FINDINGS_CLOSED ? (
        <p className="govuk-body">{`${FINDINGS_CLOSED}. Copy what you need from it below, for the inspection's lead.`}</p>
      ) : (
        <p className="govuk-body">
          A change kept on this laptop was not saved: the server refused part of it.{" "}
          <Link className="govuk-notification-banner__link" to={`/inspections/${entry.inspectionId}/criteria/${entry.criterionId}?kept`}>
            Open your change on the finding&apos;s page
          </Link>{" "}
          to see what to correct.
        </p>
      )}
      <details className="govuk-details">
        <summary className="govuk-details__summary">
          <span className="govuk-details__summary-text">Your change</span>
        </summary>
        <div className="govuk-details__text">
          {TEXT_FIELDS.filter(([name]) => value(name) !== "").map(([name, label]) => (
            <p className="govuk-body app-preserve-lines" key={name}>
              <strong>{label}:</strong> {value(name)}
            </p>
          ))}
        </div>
      </details>
      <button type="button" className="govuk-button govuk-button--secondary" onClick={onDiscard}>
        I have what I need: remove my change
      </button>
    </li>
  );
}

function RefusedFile({ entry, onDiscard }: { entry: EvidenceEntry; onDiscard: () => void }) {
  return (
    <li>
      <p className="govuk-body">
        {`The file ${entry.name}, kept on this laptop, was not added: ${entry.lastError ?? "the server refused it"}. `}
        <Link className="govuk-notification-banner__link" to={`/inspections/${entry.inspectionId}/criteria/${entry.criterionId}#evidence`}>
          Open the finding
        </Link>{" "}
        to add another file.
      </p>
      <button type="button" className="govuk-button govuk-button--secondary" onClick={onDiscard}>
        Remove<span className="govuk-visually-hidden">{` ${entry.name}`}</span> from this laptop
      </button>
    </li>
  );
}

export function OfflineBanner() {
  const [online, setOnline] = useState(true);
  const [waiting, setWaiting] = useState(0);
  const [syncing, setSyncing] = useState(false);
  const [decisions, setDecisions] = useState<OutboxEntry[]>([]);
  const [refusedFiles, setRefusedFiles] = useState<EvidenceEntry[]>([]);
  const [signOutAsked, setSignOutAsked] = useState(false);
  const waitingNow = useRef(0);
  waitingNow.current = waiting;
  const warningRef = useRef<HTMLDivElement>(null);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const syncRef = useRef<(force: boolean) => Promise<void>>(async () => {});

  useEffect(() => {
    setOnline(navigator.onLine);
    if (!anyPrepared() && !outboxUsed()) return;
    let alive = true;
    const refresh = () => {
      void waitingCount().then((n) => alive && setWaiting(n), () => {});
      void editsNeedingDecision().then((entries) => alive && setDecisions(entries), () => {});
      void filesNeedingDecision().then((entries) => alive && setRefusedFiles(entries), () => {});
    };
    let running = false;
    // A sync asked for while one runs (the connection back mid-sync, say) runs once more after it, forced if any ask was:
    // dropping it would leave changes waiting until the next 30-second retry.
    let askedAgain: { force: boolean } | null = null;
    syncRef.current = async (force) => {
      if (!navigator.onLine) return;
      if (running) {
        askedAgain = { force: (askedAgain?.force ?? false) || force };
        return;
      }
      running = true;
      setSyncing(true);
      try {
        // Each contact with the server first forgets what may no longer be kept (submitted, or off the team).
        await checkPreparedInspections().catch(() => undefined);
        const summary = await syncOutbox(force);
        if (summary.saved > 0 || summary.filesStored > 0 || summary.clearedInspections.length > 0) revalidate.current();
      } finally {
        running = false;
        if (alive) setSyncing(false);
        refresh();
        const again = askedAgain;
        askedAgain = null;
        if (again && alive) void syncRef.current(again.force);
      }
    };
    const onOnline = () => {
      setOnline(true);
      // "online" can come a moment before requests get through (a Wi-Fi that is still joining): send a second later.
      window.setTimeout(() => void syncRef.current(true), 1_000);
    };
    const onOffline = () => setOnline(false);
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    window.addEventListener(OUTBOX_CHANGED, refresh);
    // Signing out clears the outbox with the rest of the site's storage: with changes still on this laptop, the
    // person is told first, and signs out from the warning if they choose to.
    const onSignOutAsked = (event: Event) => {
      if (waitingNow.current === 0) return;
      event.preventDefault();
      setSignOutAsked(true);
    };
    window.addEventListener(SIGN_OUT_ASKED, onSignOutAsked);
    refresh();
    void syncRef.current(false);
    const timer = window.setInterval(() => void syncRef.current(false), RETRY_EVERY_MS);
    return () => {
      alive = false;
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener(OUTBOX_CHANGED, refresh);
      window.removeEventListener(SIGN_OUT_ASKED, onSignOutAsked);
      window.clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    if (signOutAsked) warningRef.current?.focus();
  }, [signOutAsked]);

  if (online && waiting === 0) return null;
  const toSend = waiting - decisions.length - refusedFiles.length;
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="offline-banner-title" id="offline-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="offline-banner-title">
          {online ? "Changes waiting" : "Offline"}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading" role="status">
          {online ? `${changes(toSend)} waiting to be sent` : `Offline — ${changes(toSend)} waiting`}
        </p>
        {signOutAsked ? (
          <div className="govuk-warning-text" id="sign-out-warning" tabIndex={-1} ref={warningRef}>
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <div className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              {`Signing out removes from this laptop ${changes(waiting)} not saved on the server yet. ${online ? "Send them first" : "Wait for the connection and send them first"}, or sign out anyway.`}
              <Form method="post" action="/sign-out" className="govuk-!-margin-top-2">
                <button type="submit" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0">
                  Sign out anyway
                </button>
              </Form>
            </div>
          </div>
        ) : null}
        {decisions.length > 0 || refusedFiles.length > 0 ? (
          <ul className="govuk-list">
            {decisions.map((entry) => (
              <KeptEdit key={entry.seq} entry={entry} onDiscard={() => void discardFindingEdits(entry.findingId)} />
            ))}
            {refusedFiles.map((entry) => (
              <RefusedFile key={`file-${entry.seq}`} entry={entry} onDiscard={() => void discardFile(entry.seq)} />
            ))}
          </ul>
        ) : null}
        {online && toSend === 0 ? null : online ? (
          <button type="button" className="govuk-button govuk-!-margin-bottom-0" disabled={syncing} aria-disabled={syncing} onClick={() => void syncRef.current(true)}>
            Send now
          </button>
        ) : (
          <p className="govuk-body">Changes are kept on this laptop and sent when the connection is back.</p>
        )}
      </div>
    </div>
  );
}
