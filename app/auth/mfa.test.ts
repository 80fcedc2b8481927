import { describe, expect, it } from "vitest";
import {
  checkTotp,
  DEMO_TOTP_SECRET,
  groupedSecret,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  normaliseTotpInput,
  otpauthUri,
  timeStep,
  totpCode,
} from "./mfa";

/** RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP codes (RFC 6238)", () => {
  it("matches the RFC's test vectors (their last 6 digits)", () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe("287082");
    expect(totpCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe("081804");
    expect(totpCode(RFC_SECRET, new Date(1_234_567_890_000))).toBe("005924");
    expect(totpCode(RFC_SECRET, new Date(2_000_000_000_000))).toBe("279037");
  });

  it("accepts the code of this step and of one step either side, and no further", () => {
    const now = new Date(1_800_000_015_000);
    const at = (seconds: number) => totpCode(RFC_SECRET, new Date(now.getTime() + seconds * 1000));
    expect(checkTotp(RFC_SECRET, at(0), null, now)).toEqual({ ok: true, step: timeStep(now) });
    expect(checkTotp(RFC_SECRET, at(-30), null, now)).toEqual({ ok: true, step: timeStep(now) - 1 });
    expect(checkTotp(RFC_SECRET, at(30), null, now)).toEqual({ ok: true, step: timeStep(now) + 1 });
    expect(checkTotp(RFC_SECRET, at(-60), null, now)).toEqual({ ok: false, reason: "wrong" });
    expect(checkTotp(RFC_SECRET, at(60), null, now)).toEqual({ ok: false, reason: "wrong" });
  });

  it("refuses a code from a step at or before the last one accepted, so no code works twice", () => {
    const now = new Date(1_800_000_015_000);
    const code = totpCode(RFC_SECRET, now);
    const first = checkTotp(RFC_SECRET, code, null, now);
    expect(first.ok).toBe(true);
    const step = (first as { step: number }).step;
    expect(checkTotp(RFC_SECRET, code, step, now)).toEqual({ ok: false, reason: "used" });
    expect(checkTotp(RFC_SECRET, totpCode(RFC_SECRET, new Date(now.getTime() - 30_000)), step, now)).toEqual({ ok: false, reason: "used" });
    expect(checkTotp(RFC_SECRET, totpCode(RFC_SECRET, new Date(now.getTime() + 30_000)), step, now)).toEqual({ ok: true, step: step + 1 });
  });

  it("reads a code typed with a space or hyphen, and nothing that is not 6 digits", () => {
    expect(normaliseTotpInput(" 123 456 ")).toBe("123456");
    expect(normaliseTotpInput("123-456")).toBe("123456");
    expect(normaliseTotpInput("12345")).toBeNull();
    expect(normaliseTotpInput("1234567")).toBeNull();
    expect(normaliseTotpInput("12345a")).toBeNull();
  });

  it("makes 160-bit secrets, different each time, and an otpauth address apps read", () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
    const uri = new URL(otpauthUri(a, "nia@cqc.example"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(uri.searchParams.get("secret")).toBe(a);
    expect(uri.searchParams.get("issuer")).toBe("Deep Dive");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(decodeURIComponent(uri.pathname)).toContain("nia@cqc.example");
    expect(groupedSecret(DEMO_TOTP_SECRET)).toBe("DEEP DIVE DEMO SECR ETDO NOTU SE23 4567");
  });
});

describe("recovery codes", () => {
  it("makes ten different codes of 24 symbols (120 bits) in four groups", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{6}(-[0-9a-hjkmnp-tv-z]{6}){3}$/);
  });

  it("reads a code whatever its case, spacing and hyphens, and look-alike letters as the digits meant", () => {
    const [code] = newRecoveryCodes(1);
    const normalised = normaliseRecoveryCode(code!)!;
    expect(normaliseRecoveryCode(code!.toUpperCase().replaceAll("-", " "))).toBe(normalised);
    expect(normaliseRecoveryCode("0000o0-111il1-222222-333333")).toBe("000000111111222222333333");
    expect(normaliseRecoveryCode("too-short")).toBeNull();
    expect(normaliseRecoveryCode("uuuuuu-uuuuuu-uuuuuu-uuuuuu")).toBeNull();
  });

  it("stores a code as a SHA-256 that does not contain it", () => {
    const hash = hashRecoveryCode("000000111111222222333333");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("000000111111");
    expect(hashRecoveryCode("000000111111222222333334")).not.toBe(hash);
  });
});
