/**
 * "Waiting to be sent" beside each finding that has something kept on this laptop (issue 7: "each finding edited
 * offline shows that it is waiting"), on the inspection's page, its section pages and the finding's own page. Read
 * from the outbox in the browser, kept current as it changes; nothing is opened for someone who never worked offline.
 */
import { criteriaWithKeptChanges, outboxUsed } from "./offline-runtime";
import { anyPrepared } from "./prepare";
import { useOutboxValue } from "./use-outbox-value";

const NONE_WAITING: ReadonlySet<number> = new Set();
const offlineUseBegan = () => anyPrepared() || outboxUsed();

export function useCriteriaWaiting(inspectionId: string): ReadonlySet<number> {
  return useOutboxValue<ReadonlySet<number>>(() => criteriaWithKeptChanges(inspectionId), NONE_WAITING, inspectionId, offlineUseBegan);
}

export function WaitingTag({ show }: { show: boolean }) {
  return show ? <strong className="govuk-tag govuk-tag--yellow app-waiting-tag">Waiting to be sent</strong> : null;
}
