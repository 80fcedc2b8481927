/** The password policy (ASVS 6.2): length 12 to 128 characters, no composition rules, no common passwords. */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Common passwords of 12 or more characters, from public breach-frequency lists, plus this service's own words. */
const DENY_LIST = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456789123",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "aaaaaaaaaaaa",
  "abc123456789",
  "abcdefghijkl",
  "administrator",
  "changeme1234",
  "iloveyou1234",
  "letmein12345",
  "password1234",
  "password12345",
  "password123!",
  "passwordpassword",
  "qwerty123456",
  "qwertyuiop12",
  "qwertyuiop123",
  "qwertyuiopasdf",
  "welcome12345",
  "welcome123456",
  "zaq12wsxcde3",
  "deepdive1234",
  "deep-dive-demo",
  "nhsnhsnhsnhs",
  "nhspassword1",
  "nhspassword123",
  "cqcpassword1",
  "cqcpassword123",
  "carequalitycommission",
]);

export type PasswordProblem = { field: "password"; message: string };

/**
 * Returns the reason a new password is refused, or null if it is acceptable.
 * `allowDemo` lets the demo seed use the published demo password, which is otherwise refused.
 */
export function checkPasswordPolicy(
  password: string,
  context: { email?: string; allowDemo?: boolean } = {},
): PasswordProblem | null {
  const length = [...password.normalize("NFC")].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { field: "password", message: `Password must be ${PASSWORD_MIN_LENGTH} characters or more` };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { field: "password", message: `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer` };
  }
  const lowered = password.toLowerCase();
  if (DENY_LIST.has(lowered) && !(context.allowDemo && lowered === "deep-dive-demo")) {
    return { field: "password", message: "Password is too common. Choose a password that is harder to guess" };
  }
  if (context.email && lowered === context.email.toLowerCase()) {
    return { field: "password", message: "Password must not be your email address" };
  }
  if (new Set(lowered).size === 1) {
    return { field: "password", message: "Password must not repeat one character" };
  }
  return null;
}
