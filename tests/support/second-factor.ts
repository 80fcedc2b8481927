/**
 * The second step of sign-in for tests that are about something else. Sign-in itself (password, code, set-up,
 * recovery codes, replay) is tested in mfa.test.ts over HTTP and in the browser; a code can be used once only, so a
 * suite signing the same demo account in many times within 30 seconds could not finish the second step for real every
 * time. After the real password step, these helpers begin the session in the server's database as the second step
 * would (the same row, the same cookie), and end the open challenge.
 */
import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { timeStep, TOTP_PERIOD_SECONDS, totpCode } from "../../app/auth/mfa";

const databaseByUrl = new Map<string, string>();

/** tests/support/server.ts records each server's database here. */
export function rememberDatabase(url: string, databaseFile: string) {
  databaseByUrl.set(url, databaseFile);
}

export function databaseOf(url: string): string {
  const file = databaseByUrl.get(url);
  if (!file) throw new Error(`no database known for ${url}: start it with startServer`);
  return file;
}

/** Begins a session for an account whose password step was just passed; returns the session id for the cookie. */
export function finishSecondStep(url: string, email: string): string {
  const db = new Database(databaseOf(url));
  try {
    db.pragma("busy_timeout = 10000");
    const user = db.prepare("SELECT id, disabled_at AS disabledAt FROM users WHERE email = ?").get(email.trim().toLowerCase()) as
      | { id: string; disabledAt: string | null }
      | undefined;
    if (!user || user.disabledAt) throw new Error(`no enabled account ${email}`);
    const id = randomBytes(32).toString("base64url");
    const now = new Date().toISOString();
    db.transaction(() => {
      db.prepare("DELETE FROM sign_in_challenges WHERE user_id = ?").run(user.id);
      db.prepare("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, client_address, user_agent) VALUES (?, ?, ?, ?, '127.0.0.1', 'tests')").run(
        createHash("sha256").update(id).digest("hex"),
        user.id,
        now,
        now,
      );
    })();
    return id;
  } finally {
    db.close();
  }
}

export const SESSION_COOKIE = "deep-dive-session";

/**
 * A code from the account's authenticator app that the server has not accepted yet (each is accepted once): for the
 * step now or the next (the server allows one either side), or, when both were used, the next unused one once its
 * time comes. For tests of the second step itself.
 */
export async function unusedCode(url: string, email: string, secret: string): Promise<string> {
  const db = new Database(databaseOf(url), { readonly: true });
  let lastStep: number | null;
  try {
    lastStep = (db.prepare("SELECT mfa_last_step AS s FROM users WHERE email = ?").get(email) as { s: number | null } | undefined)?.s ?? null;
  } finally {
    db.close();
  }
  const now = timeStep(new Date());
  const step = lastStep === null || lastStep < now ? now : lastStep + 1;
  // Accepted up to one step ahead of the server's clock: wait until `step` is at most one ahead.
  const waitMs = (step - 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs + 50));
  return totpCode(secret, new Date(step * TOTP_PERIOD_SECONDS * 1000));
}
