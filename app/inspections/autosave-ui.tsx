/** The finding form's autosave status line and the list of its keyboard shortcuts (see ./autosave.ts). */
import { useEffect, useState } from "react";
import { statusText, type AutosaveStatus } from "./autosave";

/** The status of the autosave, read out politely by screen readers; the hint appears only when JavaScript runs. */
export function AutosaveStatusLine({ status }: { status: AutosaveStatus }) {
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  return (
    <div className="app-autosave">
      {scripted ? <p className="govuk-body-s app-autosave__hint">Your changes are saved automatically a moment after you stop typing.</p> : null}
      <p className="govuk-body app-autosave__status" role="status" aria-live="polite" id="autosave-status">
        {statusText(status)}
      </p>
    </div>
  );
}

const Keys = ({ keys }: { keys: string[] }) => (
  <>
    {keys.map((k, i) => (
      <span key={k}>
        {i > 0 ? "+" : null}
        <kbd className="app-kbd">{k}</kbd>
      </span>
    ))}
  </>
);

/** A details element listing the shortcuts; `ratings` is how many ratings Alt+1… choose between (0 on a read-only page). */
export function KeyboardShortcuts({ ratings }: { ratings: number }) {
  const rows: [string[], string][] = [
    [["Alt", "N"], "Go to the next criterion (your changes are saved first)"],
    [["Alt", "P"], "Go to the previous criterion (your changes are saved first)"],
  ];
  if (ratings > 0) {
    rows.unshift([["Ctrl", "S"], "Save now"]);
    rows.push([["Alt", "1"], `Alt+1 to Alt+${ratings}: choose a rating, in the order they are listed`], [["Alt", "0"], "No rating chosen: as the answers give it (or not rated yet)"]);
  }
  return (
    <details className="govuk-details" id="keyboard-shortcuts">
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Keyboard shortcuts</span>
      </summary>
      <div className="govuk-details__text">
        <p className="govuk-body">
          These work when JavaScript is on, also while typing in a box. On a Mac, use Command+S to save and Control+Option instead of Alt.
        </p>
        <dl className="govuk-summary-list govuk-summary-list--no-border app-shortcuts">
          {rows.map(([keys, what]) => (
            <div className="govuk-summary-list__row" key={keys.join("+")}>
              <dt className="govuk-summary-list__key">
                <Keys keys={keys} />
              </dt>
              <dd className="govuk-summary-list__value">{what}</dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}
