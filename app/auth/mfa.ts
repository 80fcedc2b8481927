/**
 * The second factor's rules, without a database (decision 0022): TOTP codes (RFC 6238 with the otpauth library:
 * HMAC-SHA-1, 6 digits, 30-second steps, one step either side for clock drift), each accepted once; and one-time
 * recovery codes of 120 random bits, stored only as SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

export const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
/** Steps either side of now a code may come from: a phone's clock a little out, or a code typed as it changed. */
const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes in one sign-in before it has to start again with the password. */
export const MAX_CODE_ATTEMPTS = 5;
/** How long the second step of a sign-in stays open after the password. */
export const CHALLENGE_MINUTES = 10;
const ISSUER = "Deep Dive";

/**
 * The published secret every demo staff account is set up with (base32, 160 bits), so anyone trying the demo can add
 * it to an authenticator app; in demo mode the sign-in page also shows its current code. Never used outside the demo.
 */
export const DEMO_TOTP_SECRET = "DEEPDIVEDEMOSECRETDONOTUSE234567";

const totp = (secretBase32: string, label = "") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });

/** A new random TOTP secret (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUri(secretBase32: string, email: string): string {
  return totp(secretBase32, email).toString();
}

/** The secret in groups of four, as a person types it into an app that cannot scan. */
export function groupedSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The time step a moment falls in. */
export function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a moment (the demo's hint on the sign-in page, and tests). */
export function totpCode(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() });
}

/** What a person typed, reduced to digits when it looks like a TOTP code ("123 456" and "123-456" are fine). */
export function normaliseTotpInput(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "wrong" | "used" };

/**
 * Checks a 6-digit code against the secret at `now`. A code from a step at or before `lastStep` (the last one
 * accepted for this person) is refused, so a code seen over someone's shoulder, or replayed, cannot be used again.
 */
export function checkTotp(secretBase32: string, code: string, lastStep: number | null, now: Date): TotpCheck {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: "wrong" };
  const step = timeStep(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: "used" };
  return { ok: true, step };
}

/**
 * Recovery codes use Crockford's base32 in lower case (no i, l, o or u): 32 symbols, 5 bits each. Typing a look-alike
 * (i or l for 1, o for 0) is read as what was meant.
 */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_GROUPS = 4;
const RECOVERY_GROUP_LENGTH = 6;

/** New recovery codes, as the person sees them once ("k7m2qz-9fh3xa-…": 24 symbols, 120 bits). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const symbols = Array.from(randomBytes(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH), (byte) => RECOVERY_ALPHABET[byte % 32]!);
    return Array.from({ length: RECOVERY_GROUPS }, (_, g) => symbols.slice(g * RECOVERY_GROUP_LENGTH, (g + 1) * RECOVERY_GROUP_LENGTH).join("")).join("-");
  });
}

/** What a person typed, as a recovery code's stored form (case, spaces and hyphens do not matter), or null. */
export function normaliseRecoveryCode(input: string): string | null {
  const symbols = input.toLowerCase().replace(/[\s-]/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
  if (symbols.length !== RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH) return null;
  return [...symbols].every((c) => RECOVERY_ALPHABET.includes(c)) ? symbols : null;
}

/**
 * The stored form of a recovery code: SHA-256 is enough for a random 120-bit secret (ASVS 6.5.2 asks for a slow hash
 * only below 112 bits), and lets a code be found by its hash.
 */
export function hashRecoveryCode(normalised: string): string {
  return createHash("sha256").update(`deep-dive-recovery:${normalised}`).digest("hex");
}
