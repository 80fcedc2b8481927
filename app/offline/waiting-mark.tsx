/**
 * "Waiting to be sent" beside each finding that has something kept on this laptop (issue 7: "each finding edited
 * offline shows that it is waiting"), on the inspection's page, its section pages and the finding's own page. Read
 * from the outbox in the browser, kept current as it changes; nothing is opened for someone who never worked offline.
 */
import { useEffect, useState } from "react";
import { criteriaWithKeptChanges, OUTBOX_CHANGED, outboxUsed } from "./offline-runtime";
import { anyPrepared } from "./prepare";

export function useCriteriaWaiting(inspectionId: string): ReadonlySet<number> {
  const [waiting, setWaiting] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    if (!anyPrepared() && !outboxUsed()) return;
    let alive = true;
    const refresh = () => void criteriaWithKeptChanges(inspectionId).then((set) => alive && setWaiting(set), () => {});
    refresh();
    window.addEventListener(OUTBOX_CHANGED, refresh);
    return () => {
      alive = false;
      window.removeEventListener(OUTBOX_CHANGED, refresh);
    };
  }, [inspectionId]);
  return waiting;
}

export function WaitingTag({ show }: { show: boolean }) {
  return show ? <strong className="govuk-tag govuk-tag--yellow app-waiting-tag">Waiting to be sent</strong> : null;
}
