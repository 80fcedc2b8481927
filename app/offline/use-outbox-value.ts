/** Reads something from the outbox in the browser and reads it again whenever the outbox changes. */
import { useEffect, useState } from "react";
import { OUTBOX_CHANGED } from "./offline-runtime";

/**
 * `read` runs after hydration and on every OUTBOX_CHANGED event while `enabled`; until then, and when not enabled
 * (nothing was ever kept on this laptop, so the outbox is not even opened), the value is `initial`. `enabled` may be a
 * function (with a stable identity) when it reads browser storage, which only exists after hydration. `read` is looked up
 * afresh on each change of `key`, which names what it reads (a finding, an inspection).
 */
export function useOutboxValue<T>(read: () => Promise<T>, initial: T, key: string, enabled: boolean | (() => boolean)): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    if (!(typeof enabled === "function" ? enabled() : enabled)) return;
    let alive = true;
    const refresh = () => void read().then((next) => alive && setValue(next), () => {});
    refresh();
    window.addEventListener(OUTBOX_CHANGED, refresh);
    return () => {
      alive = false;
      window.removeEventListener(OUTBOX_CHANGED, refresh);
    };
    // `read` is a new closure on every render; `key` says what it reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled]);
  return value;
}
