/**
 * "Also working in this inspection": who else is in the workspace and on which criterion. Rendered from the loader's
 * list, so it works without JavaScript; with JavaScript, a heartbeat every HEARTBEAT_SECONDS (while the tab is
 * visible) keeps the reader's own place fresh and brings the list up to date.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { WarningText } from "~/ui/warning-text";

export interface PresentPerson {
  userId: string;
  name: string;
  /** The criterion they have open, or null on the overview or a section page. */
  criterion: { id: number; code: string; title: string } | null;
  minutesAgo: number;
}

const HEARTBEAT_SECONDS = 30;

/** A heartbeat's submission: pages skip reloading their data after one (it changes nothing they show but the list). */
export function isPresenceBeat(formAction: string | undefined): boolean {
  return !!formAction && /^\/inspections\/[^/?]+\/presence(\?|$)/.test(formAction);
}

function when(minutesAgo: number): string {
  if (minutesAgo < 1) return "now";
  return minutesAgo === 1 ? "1 minute ago" : `${minutesAgo} minutes ago`;
}

/** Keeps the reader's place fresh and returns the latest list of the others (the loader's until the first beat). */
function usePresence(inspectionId: string, criterionId: number | null, initial: PresentPerson[]): PresentPerson[] {
  const fetcher = useFetcher<{ others: PresentPerson[] }>();
  const [others, setOthers] = useState(initial);
  useEffect(() => setOthers(initial), [initial]);
  useEffect(() => {
    if (fetcher.data?.others) setOthers(fetcher.data.others);
  }, [fetcher.data]);
  const { submit } = fetcher;
  useEffect(() => {
    const beat = () => {
      if (document.visibilityState !== "visible") return;
      submit({ criterionId: criterionId === null ? "" : String(criterionId) }, { method: "post", action: `/inspections/${inspectionId}/presence` });
    };
    const timer = window.setInterval(beat, HEARTBEAT_SECONDS * 1000);
    document.addEventListener("visibilitychange", beat);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", beat);
    };
  }, [inspectionId, criterionId, submit]);
  return others;
}

export function PresencePanel({ inspectionId, criterionId, initial }: { inspectionId: string; criterionId: number | null; initial: PresentPerson[] }) {
  const others = usePresence(inspectionId, criterionId, initial);
  const here = criterionId === null ? [] : others.filter((p) => p.criterion?.id === criterionId);
  return (
    <div className="app-presence" data-testid="presence">
      {here.length > 0 ? (
        <WarningText>
          {`${here.map((p) => p.name).join(" and ")} ${here.length === 1 ? "is" : "are"} also working on this criterion. If you both save, the second save shows both versions so that nothing is lost.`}
        </WarningText>
      ) : null}
      {others.length > 0 ? (
        <>
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">Also working in this inspection</h2>
          <ul className="govuk-list govuk-body-s">
            {others.map((p) => (
              <li key={p.userId}>
                {p.name}
                {" – "}
                {p.criterion ? (
                  <Link className="govuk-link" to={`/inspections/${inspectionId}/criteria/${p.criterion.id}`}>
                    {`${p.criterion.code} ${p.criterion.title}`}
                  </Link>
                ) : (
                  "the inspection's overview or a section"
                )}
                {` (${when(p.minutesAgo)})`}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="govuk-body-s govuk-!-margin-bottom-2">No one else is working in this inspection just now.</p>
      )}
    </div>
  );
}
