/** When a session ends (pure). Documented in docs/decisions/0003-sessions.md. */

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export type SessionState = "active" | "idle-expired" | "absolute-expired";

export function sessionState(session: SessionTimes, now: Date, policy: SessionPolicy): SessionState {
  if (now.getTime() - session.createdAt.getTime() >= policy.absoluteHours * 3_600_000) return "absolute-expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleMinutes * 60_000) return "idle-expired";
  return "active";
}

/**
 * Recording every request would make every page view a write: activity is recorded at most once a minute
 * (or four times per idle period, if that is shorter), which is precise enough for idle expiry.
 */
export function shouldTouch(session: SessionTimes, now: Date, policy: SessionPolicy): boolean {
  const interval = Math.min(60_000, (policy.idleMinutes * 60_000) / 4);
  return now.getTime() - session.lastSeenAt.getTime() >= interval;
}
