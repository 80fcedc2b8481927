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
import { Link } from "@remix-run/react";
import { discardFindingEdits, editsNeedingDecision, OUTBOX_CHANGED, syncOutbox, waitingCount } from "./offline-runtime";
import type { OutboxEntry } from "./outbox";
import { anyPrepared } from "./prepare";

const RETRY_EVERY_MS = 30_000;

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
      <p className="govuk-body">
        A change kept on this laptop was not saved:{" "}
        {entry.state === "conflict" ? "someone else saved this finding first." : "the server refused part of it."}{" "}
        <Link className="govuk-link" to={`/inspections/${entry.inspectionId}/criteria/${entry.criterionId}`}>
          Open the finding
        </Link>
        , then copy what you need from your change below into it.
      </p>
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

export function OfflineBanner() {
  const [online, setOnline] = useState(true);
  const [waiting, setWaiting] = useState(0);
  const [syncing, setSyncing] = useState(false);
  const [decisions, setDecisions] = useState<OutboxEntry[]>([]);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const syncRef = useRef<(force: boolean) => Promise<void>>(async () => {});

  useEffect(() => {
    setOnline(navigator.onLine);
    if (!anyPrepared()) return;
    let alive = true;
    const refresh = () => {
      void waitingCount().then((n) => alive && setWaiting(n), () => {});
      void editsNeedingDecision().then((entries) => alive && setDecisions(entries), () => {});
    };
    let running = false;
    syncRef.current = async (force) => {
      if (!navigator.onLine || running) return;
      running = true;
      setSyncing(true);
      try {
        const summary = await syncOutbox(force);
        if (summary.saved > 0 || summary.clearedInspections.length > 0) revalidate.current();
      } finally {
        running = false;
        if (alive) setSyncing(false);
        refresh();
      }
    };
    const onOnline = () => {
      setOnline(true);
      void syncRef.current(true);
    };
    const onOffline = () => setOnline(false);
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    window.addEventListener(OUTBOX_CHANGED, refresh);
    refresh();
    void syncRef.current(false);
    const timer = window.setInterval(() => void syncRef.current(false), RETRY_EVERY_MS);
    return () => {
      alive = false;
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener(OUTBOX_CHANGED, refresh);
      window.clearInterval(timer);
    };
  }, []);

  if (online && waiting === 0) return null;
  const toSend = waiting - decisions.length;
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
        {decisions.length > 0 ? (
          <ul className="govuk-list">
            {decisions.map((entry) => (
              <KeptEdit key={entry.seq} entry={entry} onDiscard={() => void discardFindingEdits(entry.findingId)} />
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
