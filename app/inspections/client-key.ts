/**
 * Idempotency keys made in the browser, for the saves the finding form's autosave sends (app/inspections/autosave.ts)
 * and the saves the offline outbox replays (app/offline/outbox.ts). Kept apart from both so the outbox, which has no
 * React in it, can share the one way keys are made. See docs/decisions/0013-findings-no-lost-update.md.
 */

/** A fresh idempotency key: 32 characters of base64url from 24 random bytes. */
export function newClientKey(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
