import { describe, expect, it } from "vitest";
import { sessionState, shouldTouch } from "./session-policy";

const policy = { idleMinutes: 30, absoluteHours: 12 };
const at = (iso: string) => new Date(iso);

describe("session expiry", () => {
  const createdAt = at("2026-03-12T08:00:00Z");

  it("is active while used within the idle limit", () => {
    expect(sessionState({ createdAt, lastSeenAt: at("2026-03-12T09:00:00Z") }, at("2026-03-12T09:29:59Z"), policy)).toBe("active");
  });

  it("ends after the idle limit without a request", () => {
    expect(sessionState({ createdAt, lastSeenAt: at("2026-03-12T09:00:00Z") }, at("2026-03-12T09:30:00Z"), policy)).toBe("idle-expired");
  });

  it("ends at the absolute limit however busy the user is", () => {
    const lastSeenAt = at("2026-03-12T19:59:00Z");
    expect(sessionState({ createdAt, lastSeenAt }, at("2026-03-12T19:59:59Z"), policy)).toBe("active");
    expect(sessionState({ createdAt, lastSeenAt }, at("2026-03-12T20:00:00Z"), policy)).toBe("absolute-expired");
  });

  it("records activity at most once a minute", () => {
    const lastSeenAt = at("2026-03-12T09:00:00Z");
    expect(shouldTouch({ createdAt, lastSeenAt }, at("2026-03-12T09:00:59Z"), policy)).toBe(false);
    expect(shouldTouch({ createdAt, lastSeenAt }, at("2026-03-12T09:01:00Z"), policy)).toBe(true);
  });

  it("records activity often enough for a short idle limit", () => {
    const lastSeenAt = at("2026-03-12T09:00:00Z");
    const short = { idleMinutes: 2, absoluteHours: 12 };
    expect(shouldTouch({ createdAt, lastSeenAt }, at("2026-03-12T09:00:29Z"), short)).toBe(false);
    expect(shouldTouch({ createdAt, lastSeenAt }, at("2026-03-12T09:00:30Z"), short)).toBe(true);
  });
});
