/**
 * Sign-in throttling (pure). Failures are counted in a sliding window per account and per client address;
 * past either limit, sign-in is refused until old failures age out, whatever the password.
 */
export const THROTTLE = {
  windowMinutes: 15,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
} as const;

export function isThrottled(counts: { account: number; address: number }, limits = THROTTLE): boolean {
  return counts.account >= limits.maxFailuresPerAccount || counts.address >= limits.maxFailuresPerAddress;
}

export function windowStart(now: Date, limits = THROTTLE): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000);
}

/** One spelling of an email address per account. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize("NFC").toLowerCase();
}
