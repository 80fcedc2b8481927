/**
 * "Working offline" on an inspection's page, for its team while the findings are being recorded
 * (docs/decisions/0020-offline-browser-storage.md): a button that keeps the inspection's workspace pages in this
 * browser so they open with no connection, and when that was last done. Server-rendered as a note that offline use
 * needs JavaScript; with JavaScript the button replaces it.
 */
import { useEffect, useState } from "react";
import { londonTime } from "~/inspections/autosave";
import { offlineSupported, prepareInspection, PrepareError, preparedRecord, type PreparedRecord } from "./prepare";

type State =
  | { kind: "server" }
  | { kind: "unsupported" }
  | { kind: "ready"; record: PreparedRecord | null }
  | { kind: "preparing"; record: PreparedRecord | null }
  | { kind: "failed"; record: PreparedRecord | null; message: string };

const londonDay = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });

function preparedText(record: PreparedRecord): string {
  const when = `${londonDay.format(new Date(record.preparedAt))} at ${londonTime(record.preparedAt)}`;
  const missing = record.failed.length > 0 ? ` ${record.failed.length} could not be kept: prepare it again before you go.` : "";
  return `Prepared for offline use on ${when} (${record.pages} ${record.pages === 1 ? "page" : "pages"}).${missing}`;
}

export function OfflinePanel({ inspectionId }: { inspectionId: string }) {
  const [state, setState] = useState<State>({ kind: "server" });
  useEffect(() => {
    setState(offlineSupported() ? { kind: "ready", record: preparedRecord(inspectionId) } : { kind: "unsupported" });
  }, [inspectionId]);

  const prepare = async () => {
    const record = state.kind === "ready" || state.kind === "failed" ? state.record : null;
    setState({ kind: "preparing", record });
    try {
      setState({ kind: "ready", record: await prepareInspection(inspectionId) });
    } catch (error) {
      setState({ kind: "failed", record, message: error instanceof PrepareError ? error.message : "The pages could not be kept: try again" });
    }
  };

  const record = "record" in state ? state.record : null;
  return (
    <section aria-labelledby="offline-heading" id="offline">
      <h2 className="govuk-heading-m" id="offline-heading">
        Working offline
      </h2>
      <p className="govuk-body">
        Before you go on site, keep this inspection&apos;s pages in this browser so that they open with no connection, and what
        you record on a criterion page with no connection is kept on this laptop and sent when the connection is back. Only
        this inspection is kept, and signing out removes it: send any waiting changes first.
      </p>
      {state.kind === "server" ? <p className="govuk-body">Working offline needs JavaScript.</p> : null}
      {state.kind === "unsupported" ? <p className="govuk-body">This browser cannot keep pages for offline use here.</p> : null}
      {state.kind === "ready" || state.kind === "preparing" || state.kind === "failed" ? (
        <button type="button" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={state.kind === "preparing"} aria-disabled={state.kind === "preparing"} onClick={() => void prepare()}>
          {record ? "Prepare again" : "Make available offline"}
        </button>
      ) : null}
      <p className="govuk-body" role="status" aria-live="polite">
        {state.kind === "preparing" ? "Keeping the pages…" : state.kind === "failed" ? state.message : record ? preparedText(record) : ""}
      </p>
    </section>
  );
}
