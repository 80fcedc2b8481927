/**
 * The conflict screen for a change kept offline (issue 7): the banner links a change the server would not take to its
 * finding's page with `?kept`; the page sends the kept change again to its own action, as its Save button would,
 * with the version the change was based on, so the server answers with the findings page's own conflict screen (both
 * versions side by side, keep mine / take theirs / merge) or shows what it refused. The change stays in the outbox
 * until the person saves their decision on that page: only then is it removed. "Take theirs" opens the finding
 * without `?kept`, and the change stays in the banner, with its text, until the person removes it: whichever they
 * choose, no text is lost. Browser only.
 */
import { useSubmit } from "@remix-run/react";
import { useEffect } from "react";
import { discardFindingEdits, keptEditOf } from "./offline-runtime";

/** Which finding's kept change this tab is resolving (set when the conflict screen is opened for it). */
const RESOLVING_KEY = "deep-dive-resolving-kept-edit";

interface Resolving {
  findingId: string;
  criterionCode: string;
}

function resolving(): Resolving | null {
  try {
    return JSON.parse(sessionStorage.getItem(RESOLVING_KEY) ?? "null") as Resolving | null;
  } catch {
    return null;
  }
}

export function useKeptEditResolution({
  enabled,
  findingId,
  criterionCode,
  kept,
  saved,
  answered,
  idempotencyKey,
}: {
  /** The person may save this finding (on the team, findings being recorded). */
  enabled: boolean;
  findingId: string;
  criterionCode: string;
  /** The page was opened with `?kept` (from the banner). */
  kept: boolean;
  /** The page's `?saved` after a Save: "this", or the code of the criterion saved before moving on. */
  saved: string | null;
  /** The page already shows an answer to a post (the conflict screen): nothing to send again. */
  answered: boolean;
  idempotencyKey: string;
}) {
  const submit = useSubmit();
  useEffect(() => {
    if (!enabled) return;
    const current = resolving();
    // The decision was saved (here, or before moving on to the next criterion): the kept change has served.
    if (current && saved !== null && (saved === "this" ? current.findingId === findingId : saved === current.criterionCode)) {
      sessionStorage.removeItem(RESOLVING_KEY);
      void discardFindingEdits(current.findingId);
      return;
    }
    if (!kept) {
      // Opened some other way (e.g. "take theirs"): the change stays in the banner for the person to remove.
      if (current?.findingId === findingId) sessionStorage.removeItem(RESOLVING_KEY);
      return;
    }
    if (answered) {
      // The server's answer is on the page: take the person to it, as an error summary is.
      document.getElementById("conflict")?.focus();
      return;
    }
    if (!navigator.onLine) return;
    let cancelled = false;
    void keptEditOf(findingId).then((edit) => {
      if (cancelled || !edit) return;
      const form = new FormData();
      for (const [name, value] of edit.fields) form.append(name, value);
      form.set("baseVersion", String(edit.baseVersion));
      form.set("idempotencyKey", idempotencyKey);
      sessionStorage.setItem(RESOLVING_KEY, JSON.stringify({ findingId, criterionCode } satisfies Resolving));
      submit(form, { method: "post", replace: true });
    });
    return () => {
      cancelled = true;
    };
  }, [enabled, findingId, criterionCode, kept, saved, answered, idempotencyKey, submit]);
}
