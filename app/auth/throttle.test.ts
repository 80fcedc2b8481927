import { describe, expect, it } from "vitest";
import { isThrottled, normaliseEmail, THROTTLE, windowStart } from "./throttle";
import { safeRedirectPath } from "./roles";

describe("sign-in throttling", () => {
  it("refuses once an account or an address reaches its limit", () => {
    expect(isThrottled({ account: THROTTLE.maxFailuresPerAccount - 1, address: 0 })).toBe(false);
    expect(isThrottled({ account: THROTTLE.maxFailuresPerAccount, address: 0 })).toBe(true);
    expect(isThrottled({ account: 0, address: THROTTLE.maxFailuresPerAddress - 1 })).toBe(false);
    expect(isThrottled({ account: 0, address: THROTTLE.maxFailuresPerAddress })).toBe(true);
  });

  it("counts failures in a sliding window", () => {
    expect(windowStart(new Date("2026-03-12T09:15:00Z")).toISOString()).toBe("2026-03-12T09:00:00.000Z");
  });

  it("treats differently typed spellings of an email address as one account", () => {
    expect(normaliseEmail("  Lead@DeepDive.TEST ")).toBe("lead@deepdive.test");
  });
});

describe("redirect after sign-in", () => {
  it("follows only paths on this site", () => {
    expect(safeRedirectPath("/trusts?q=RJ1", "/")).toBe("/trusts?q=RJ1");
    expect(safeRedirectPath("//evil.example/x", "/")).toBe("/");
    expect(safeRedirectPath("https://evil.example", "/")).toBe("/");
    expect(safeRedirectPath("/\\evil.example", "/")).toBe("/");
    expect(safeRedirectPath(null, "/home")).toBe("/home");
  });
});
