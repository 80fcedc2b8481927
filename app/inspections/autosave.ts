/**
 * Autosave and keyboard shortcuts for the one-criterion finding form (issue 5), in the browser only.
 *
 * - A moment (AUTOSAVE_DELAY_MS) after typing or a change stops, the form's data is posted to the same route action
 *   the Save button uses, through a Remix fetcher, with `mode=autosave` (the action then answers JSON instead of
 *   redirecting) and the current base version. Every attempt has its own idempotency key: the one the server put in
 *   the form for the first, then keys made here (the form's hidden key is replaced as soon as it is used, so the
 *   Save button never sends a key an autosave already spent). See docs/decisions/0013-findings-no-lost-update.md.
 * - Saved: the form takes the new version, and the status says "Saved 10:42" (London time). Conflict (409): autosave
 *   stops and the page shows both versions (the action's conflict data), as the Save button would. Invalid (400):
 *   the errors are shown as the Save button would show them.
 * - Never two saves at once: a change made while a save is in flight queues one follow-up save. Save (the button or
 *   Ctrl+S), or leaving for another page of the app, waits for the save in flight and goes on with its new version.
 * - Leaving the page (reload, closing the tab) warns only while there are changes an autosave has still to save.
 * - Without JavaScript none of this runs: the form posts as before and the action redirects.
 */
import { useBlocker, useFetcher, useNavigate, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from "react";
import { newClientKey } from "./client-key";

export const AUTOSAVE_DELAY_MS = 1500;
/** The value of the `mode` field that asks the action for JSON (the new version and when) instead of a redirect. */
export const AUTOSAVE_MODE = "autosave";

/** What the action answers an autosave that was saved. */
export interface AutosaveSaved {
  outcome: "saved";
  version: number;
  savedAt: string | null;
}

/** The action's answers other than "saved" (the same ones the Save button gets). */
type Problem = { outcome: "invalid"; idempotencyKey: string } | { outcome: "conflict"; idempotencyKey: string; current: { version: number } };

export type AutosaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string | null }
  | { kind: "nothing" }
  | { kind: "invalid" }
  | { kind: "conflict" }
  | { kind: "offline" }
  /** Kept in this browser's outbox with no connection (app/offline), to be sent when it is back. */
  | { kind: "kept"; at: string };

const LONDON_TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
/** "10:42": the time of an instant in London. */
export const londonTime = (iso: string) => LONDON_TIME.format(new Date(iso));

export function statusText(status: AutosaveStatus): string {
  switch (status.kind) {
    case "saving":
      return "Saving…";
    case "saved":
      return `Saved ${londonTime(status.at ?? new Date().toISOString())}`;
    case "nothing":
      return "No changes to save";
    case "invalid":
      return "Not saved: there is a problem with what was entered (listed at the top of the page)";
    case "conflict":
      return "Not saved: someone else saved this finding while you were working (both versions are at the top of the page)";
    case "offline":
      return "Not saved yet: there is no connection. Your changes will be saved when it is back.";
    case "kept":
      return `Kept on this laptop ${londonTime(status.at)}: it will be sent when the connection is back`;
    default:
      return "";
  }
}

interface View<R> {
  /** The server-rendered key this view belongs to: a new one (a navigation, a Save) starts afresh. */
  forKey: string;
  version: number;
  key: string;
  /** The last autosave's problem, shown instead of the Save button's (undefined once an autosave saved). */
  result: R | undefined;
  /** Whether an autosave has answered since the page was rendered (its answer then replaces the action data). */
  touched: boolean;
  status: AutosaveStatus;
}

interface Live {
  forKey: string;
  version: number;
  serverKeyUsed: boolean;
  /** Changes not yet sent by any save. */
  dirty: boolean;
  inFlight: boolean;
  /** A save was asked for while one was in flight: one follow-up. */
  queued: boolean;
  /** A conflict: no more autosaves until the page is rendered afresh. */
  stopped: boolean;
  timer: number | undefined;
  /** What to do once the save in flight is saved: a Save that waited, or a navigation that was held. */
  after: null | { kind: "submit"; submitter: HTMLElement | null } | { kind: "proceed" };
  lastData: unknown;
  /** The form's content as last sent or kept offline: leaving a text field that still holds it is no change. */
  sentContent: string | undefined;
}

/** What the person has written in the form, without the fields the page itself sets. */
function contentOf(form: HTMLFormElement): string {
  const own = new Set(["baseVersion", "idempotencyKey", "mode", "then", "intent"]);
  return JSON.stringify([...new FormData(form).entries()].filter(([name, value]) => !own.has(name) && typeof value === "string"));
}

const freshLive = (forKey: string, version: number): Live => ({
  forKey,
  version,
  serverKeyUsed: false,
  dirty: false,
  inFlight: false,
  queued: false,
  stopped: false,
  timer: undefined,
  after: null,
  lastData: undefined,
  sentContent: undefined,
});

/**
 * The autosave of the finding form. `serverKey` and `serverVersion` are what the server rendered in the form's hidden
 * fields; pass `serverKey` as the form's React key too, so a new rendering (another criterion, a Save's answer)
 * starts a fresh form. Returns the hidden fields' values, the status, the last autosave problem (if any) and the
 * form's submit handler.
 */
export function useFindingAutosave<R extends Problem>({
  formRef,
  enabled,
  serverKey,
  serverVersion,
  delayMs = AUTOSAVE_DELAY_MS,
  offline,
}: {
  formRef: RefObject<HTMLFormElement | null>;
  enabled: boolean;
  serverKey: string;
  serverVersion: number;
  delayMs?: number;
  /** With no connection, keep the form in the offline outbox instead (when this inspection was prepared). */
  offline?: { available: () => boolean; keep: (form: FormData, baseVersion: number) => Promise<void> };
}) {
  const fetcher = useFetcher();
  const submit = useSubmit();
  const initial = useCallback(
    (): View<R> => ({ forKey: serverKey, version: serverVersion, key: serverKey, result: undefined, touched: false, status: { kind: "idle" } }),
    [serverKey, serverVersion],
  );
  const [state, setState] = useState<View<R>>(initial);
  const view = state.forKey === serverKey ? state : initial();
  const update = useCallback((change: Partial<View<R>>) => setState((s) => ({ ...(s.forKey === serverKey ? s : initial()), ...change })), [serverKey, initial]);

  const live = useRef<Live>(freshLive(serverKey, serverVersion));
  if (live.current.forKey !== serverKey) {
    window.clearTimeout(live.current.timer);
    live.current = freshLive(serverKey, serverVersion);
  }
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;

  // Any navigation in the app (a link, Alt+N, another form on the page) while changes are unsaved waits for them to
  // be saved; the finding form's own Save clears `dirty` first, so it is not held.
  const blocker = useBlocker(useCallback(() => live.current.dirty || live.current.inFlight, []));
  const blockerRef = useRef(blocker);
  blockerRef.current = blocker;

  // The logic, renewed each render so it sees the current props; effects and listeners call it through the ref.
  const logic = useRef({
    saveNow: (): boolean => false,
    markDirty: (_leavingField: boolean) => {},
    settle: (_data: unknown) => {},
    submitForm: (_submitter: HTMLElement | null) => {},
  });
  logic.current.submitForm = (submitter) => {
    const form = formRef.current;
    if (!form) return;
    const formData = new FormData(form, submitter);
    formData.set("baseVersion", String(live.current.version));
    formData.set("idempotencyKey", newClientKey());
    live.current.dirty = false;
    submit(formData, { method: "post" });
  };
  logic.current.saveNow = () => {
    const l = live.current;
    window.clearTimeout(l.timer);
    l.timer = undefined;
    if (!enabledRef.current || l.stopped) return false;
    if (l.inFlight) {
      l.queued = true;
      return true;
    }
    const form = formRef.current;
    if (!form) return false;
    if (!navigator.onLine && offline?.available()) {
      const formData = new FormData(form);
      formData.delete("then");
      formData.delete("intent");
      l.dirty = false;
      l.sentContent = contentOf(form);
      offline.keep(formData, l.version).then(
        () => update({ status: { kind: "kept", at: new Date().toISOString() } }),
        () => {
          l.dirty = true;
          l.sentContent = undefined;
          update({ status: { kind: "offline" } });
        },
      );
      return true;
    }
    if (!navigator.onLine) {
      update({ status: { kind: "offline" } });
      window.addEventListener("online", () => logic.current.saveNow(), { once: true });
      return false;
    }
    const formData = new FormData(form);
    formData.delete("then");
    formData.delete("intent");
    formData.set("baseVersion", String(l.version));
    formData.set("idempotencyKey", l.serverKeyUsed ? newClientKey() : serverKey);
    formData.set("mode", AUTOSAVE_MODE);
    l.serverKeyUsed = true;
    l.dirty = false;
    l.sentContent = contentOf(form);
    l.queued = false;
    l.inFlight = true;
    // The key just used is spent: the form's hidden key (for the Save button) becomes a fresh one.
    update({ key: newClientKey(), status: { kind: "saving" } });
    fetcher.submit(formData, { method: "post" });
    return true;
  };
  logic.current.markDirty = (leavingField) => {
    const l = live.current;
    // Leaving a text field fires "change" for what was typed and has been sent (or kept offline) since: no new change.
    if (leavingField && l.sentContent !== undefined && formRef.current && contentOf(formRef.current) === l.sentContent) {
      l.dirty = false;
      window.clearTimeout(l.timer);
      l.timer = undefined;
      return;
    }
    l.dirty = true;
    if (!enabledRef.current || l.stopped) return;
    window.clearTimeout(l.timer);
    l.timer = window.setTimeout(() => logic.current.saveNow(), delayMs);
  };
  logic.current.settle = (data) => {
    const l = live.current;
    l.inFlight = false;
    const answer = data as AutosaveSaved | R | undefined;
    const after = l.after;
    if (answer?.outcome === "saved") {
      l.version = answer.version;
      update({ version: answer.version, result: undefined, touched: true, status: { kind: "saved", at: answer.savedAt } });
      if (after?.kind === "submit") {
        l.after = null;
        window.clearTimeout(l.timer);
        logic.current.submitForm(after.submitter);
      } else if (l.queued || (after && l.dirty)) {
        logic.current.saveNow();
      } else if (after?.kind === "proceed") {
        l.after = null;
        blockerRef.current.proceed?.();
      }
      return;
    }
    // A problem: nothing of this save was stored; what was typed stays in the form.
    l.after = null;
    l.dirty = true;
    l.sentContent = undefined;
    if (after?.kind === "proceed") blockerRef.current.reset?.();
    if (answer?.outcome === "conflict") {
      l.stopped = true;
      l.queued = false;
      window.clearTimeout(l.timer);
      l.version = answer.current.version;
      update({ version: answer.current.version, key: answer.idempotencyKey, result: answer, touched: true, status: { kind: "conflict" } });
    } else if (answer?.outcome === "invalid") {
      update({ key: answer.idempotencyKey, result: answer, touched: true, status: { kind: "invalid" } });
      if (l.queued) logic.current.saveNow();
    }
  };

  // Typing or a change in the form: save a moment after it stops.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const onEdit = (event: Event) => {
      const target = event.target;
      const choice = target instanceof HTMLInputElement && (target.type === "radio" || target.type === "checkbox");
      // A choice the page itself steers (the rating following the indicators) is set by React during the click, and
      // the browser then fires no input or change for it: the click is the edit.
      if (event.type === "click" && !choice) return;
      if ((target instanceof HTMLInputElement && target.type !== "hidden") || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
        logic.current.markDirty(event.type === "change" && !choice && !(target instanceof HTMLSelectElement));
      }
    };
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("click", onEdit);
    return () => {
      form.removeEventListener("click", onEdit);
      form.removeEventListener("input", onEdit);
      form.removeEventListener("change", onEdit);
    };
  }, [formRef, serverKey]);

  // The answer to the save in flight.
  useEffect(() => {
    if (fetcher.state !== "idle" || !live.current.inFlight || fetcher.data === live.current.lastData) return;
    live.current.lastData = fetcher.data;
    logic.current.settle(fetcher.data);
  }, [fetcher.state, fetcher.data]);

  // Another page of the app, with changes not saved yet: save them first, then go.
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    const l = live.current;
    if (l.inFlight && !l.stopped) {
      l.after = { kind: "proceed" };
      return;
    }
    if (!l.stopped && enabledRef.current && logic.current.saveNow()) {
      l.after = { kind: "proceed" };
      return;
    }
    if (window.confirm("Your changes to this finding are not saved. Leave this page anyway?")) blocker.proceed();
    else blocker.reset();
  }, [blocker]);

  // Leaving the page itself: a warning only while an autosave has something to save.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (live.current.dirty || live.current.inFlight) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  useEffect(() => () => window.clearTimeout(live.current.timer), []);

  /** The Save buttons: wait for a save in flight, then post with its new version. */
  const onSubmit = useCallback((event: FormEvent<HTMLFormElement>) => {
    const l = live.current;
    window.clearTimeout(l.timer);
    l.timer = undefined;
    if (l.inFlight) {
      event.preventDefault();
      l.after = { kind: "submit", submitter: (event.nativeEvent as SubmitEvent).submitter };
      return;
    }
    l.dirty = false;
  }, []);

  /** Ctrl+S: save now (by autosave; once autosave has stopped, as the Save button). */
  const saveNow = useCallback(() => {
    const l = live.current;
    if (!enabledRef.current || l.stopped) {
      const form = formRef.current;
      form?.requestSubmit(form.querySelector<HTMLButtonElement>('button[name="then"][value="stay"]'));
      return;
    }
    if (l.dirty || l.inFlight) logic.current.saveNow();
    else if (!l.timer) setState((s) => (s.forKey === serverKey && s.status.kind === "saved" ? s : { ...(s.forKey === serverKey ? s : initial()), status: { kind: "nothing" } }));
  }, [formRef, serverKey, initial]);

  return { baseVersion: view.version, idempotencyKey: view.key, status: view.status, result: view.result, touched: view.touched, onSubmit, saveNow };
}

const isApple = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/**
 * Keyboard shortcuts on a criterion's page. Alt+N / Alt+P: next / previous criterion (unsaved changes are saved first);
 * Alt+1…Alt+5: choose a rating, Alt+0 the one the answers give; Ctrl+S (Cmd+S): save now. On a Mac, Control+Option
 * instead of Alt, since Option alone types characters; elsewhere Alt with Ctrl (AltGr) is left alone for the same
 * reason. No single-letter shortcuts, so typing is never taken over.
 */
export function useFindingShortcuts({
  formRef,
  nextUrl,
  previousUrl,
  saveNow,
}: {
  formRef: RefObject<HTMLFormElement | null>;
  nextUrl: string | null;
  previousUrl: string | null;
  saveNow: (() => void) | null;
}) {
  const navigate = useNavigate();
  useEffect(() => {
    const apple = isApple();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.shiftKey) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.code === "KeyS") {
        event.preventDefault();
        if (!event.repeat) saveNow?.();
        return;
      }
      const move = apple ? event.ctrlKey && event.altKey && !event.metaKey : event.altKey && !event.ctrlKey && !event.metaKey;
      if (!move || event.repeat) return;
      const url = event.code === "KeyN" ? nextUrl : event.code === "KeyP" ? previousUrl : undefined;
      if (url) {
        event.preventDefault();
        navigate(url);
        return;
      }
      const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code)?.[1];
      const form = formRef.current;
      if (digit === undefined || !form || !saveNow) return;
      const radio = form.querySelectorAll<HTMLInputElement>('input[type="radio"][name="rating"]')[Number(digit)];
      if (!radio) return;
      event.preventDefault();
      radio.click();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [formRef, navigate, nextUrl, previousUrl, saveNow]);
}
