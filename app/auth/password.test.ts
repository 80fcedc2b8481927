import { describe, expect, it } from "vitest";
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from "./password.server";
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH } from "./password-policy";

describe("password hashing", () => {
  it("uses scrypt at or above N=2^17, r=8, p=1 and stores the parameters", async () => {
    const encoded = await hashPassword("correct horse battery staple");
    const [scheme, n, r, p, salt, key] = encoded.split("$");
    expect(scheme).toBe("scrypt");
    expect(Number(n)).toBeGreaterThanOrEqual(2 ** 17);
    expect(Number(r)).toBeGreaterThanOrEqual(8);
    expect(Number(p)).toBe(1);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(key!, "base64url")).toHaveLength(32);
    expect(SCRYPT_PARAMS.N).toBe(2 ** 17);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const encoded = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", encoded)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", encoded)).toBe(false);
  });

  it("salts every hash, so equal passwords hash differently", async () => {
    const [a, b] = await Promise.all([hashPassword("same password here"), hashPassword("same password here")]);
    expect(a).not.toBe(b);
  });

  it("treats composed and decomposed accents as the same password", async () => {
    const encoded = await hashPassword("Caf\u00e9 au lait sans sucre");
    expect(await verifyPassword("Cafe\u0301 au lait sans sucre", encoded)).toBe(true);
  });

  it("refuses malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("anything at all", "md5$abc")).toBe(false);
    expect(await verifyPassword("anything at all", "scrypt$x$y$z$$")).toBe(false);
  });
});

describe("password policy", () => {
  it("needs 12 to 128 characters, counted as characters not bytes", () => {
    expect(checkPasswordPolicy("elevenchars")?.message).toMatch(/12 characters or more/);
    expect(checkPasswordPolicy("twelve chars")).toBeNull();
    expect(checkPasswordPolicy("ŵŷŵŷŵŷŵŷŵŷŵŷ")).toBeNull();
    expect(checkPasswordPolicy("a".repeat(PASSWORD_MAX_LENGTH - 1) + "b")).toBeNull();
    expect(checkPasswordPolicy("ab".repeat(65))?.message).toMatch(/128 characters or fewer/);
  });

  it("refuses common passwords whatever their case", () => {
    expect(checkPasswordPolicy("Password1234")?.message).toMatch(/too common/);
    expect(checkPasswordPolicy("QWERTY123456")?.message).toMatch(/too common/);
  });

  it("refuses the published demo password except for the demo seed", () => {
    expect(checkPasswordPolicy("deep-dive-demo")?.message).toMatch(/too common/);
    expect(checkPasswordPolicy("deep-dive-demo", { allowDemo: true })).toBeNull();
  });

  it("refuses the email address and a single repeated character", () => {
    expect(checkPasswordPolicy("ana@nhs.example", { email: "Ana@NHS.example" })?.message).toMatch(/email/);
    expect(checkPasswordPolicy("zzzzzzzzzzzzzz")?.message).toMatch(/repeat/);
  });

  it("has no composition rules: a long passphrase of lower-case words is fine", () => {
    expect(checkPasswordPolicy("purple lighthouse morning tea")).toBeNull();
  });
});
