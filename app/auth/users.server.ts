/** Accounts: create, change role and trust, disable (ending sessions at once), enable, reset password. */
import { randomUUID } from "node:crypto";
import { asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { ROLES, trusts, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { hashPassword } from "./password.server";
import { checkPasswordPolicy } from "./password-policy";
import { removeSecondFactor } from "./mfa.server";
import { destroyUserSessions } from "./session.server";
import { normaliseEmail } from "./throttle";

export const accountSchema = z
  .object({
    email: z
      .string()
      .trim()
      .min(1, "Enter an email address")
      .max(254, "Email address must be 254 characters or fewer")
      .email("Enter an email address in the correct format, like name@example.org")
      .transform(normaliseEmail),
    name: z.string().trim().min(1, "Enter a name").max(100, "Name must be 100 characters or fewer"),
    role: z.enum(ROLES, { message: "Select a role" }),
    trustCode: z
      .string()
      .trim()
      .toUpperCase()
      .max(10)
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((value, ctx) => {
    if (value.role === "trust_user" && !value.trustCode) {
      ctx.addIssue({ code: "custom", path: ["trustCode"], message: "Select the trust this user belongs to" });
    }
    if (value.role !== "trust_user" && value.trustCode) {
      ctx.addIssue({ code: "custom", path: ["trustCode"], message: "Only trust users belong to a trust" });
    }
  });

export type AccountInput = z.infer<typeof accountSchema>;

/** Errors by form field; `account` is for a refusal that is about the account as a whole (such as disabling yourself). */
export type FieldErrors = Partial<Record<"email" | "name" | "role" | "trustCode" | "password" | "account" | "code" | "resetCode", string>>;

export class AccountError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** Checks submitted account details against accountSchema: the input, or the first error for each field. */
export function parseAccountInput(
  raw: { email?: unknown; name?: unknown; role?: unknown; trustCode?: unknown },
): { ok: true; input: AccountInput } | { ok: false; errors: FieldErrors } {
  const parsed = accountSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === "email" || field === "name" || field === "role" || field === "trustCode") errors[field] ??= issue.message;
    else errors.account ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * A trust user's trust must be in the register and open. A trust that has closed since it was given to
 * the user may stay as it is (`current`), so their other details can still be changed.
 */
function assertTrustAssignable(tx: Tx, trustCode: string | null, current: string | null = null) {
  if (!trustCode) return;
  const trust = tx.select({ closedOn: trusts.closedOn }).from(trusts).where(eq(trusts.odsCode, trustCode)).get();
  if (!trust) throw new AccountError({ trustCode: "Select a trust from the register" });
  if (trust.closedOn && trustCode !== current) throw new AccountError({ trustCode: "Select a trust that is open" });
}

const notFoundError = () => new AccountError({ account: "This account no longer exists" });

export async function createUser(
  input: AccountInput & { password: string; isDemo?: boolean },
  actor: Actor,
  db: Db = getDb(),
): Promise<string> {
  const problem = checkPasswordPolicy(input.password, { email: input.email, allowDemo: input.isDemo });
  if (problem) throw new AccountError({ password: problem.message });
  const passwordHash = await hashPassword(input.password);
  return writeTransaction((tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) {
      throw new AccountError({ email: "An account with this email address already exists" });
    }
    assertTrustAssignable(tx, input.trustCode);
    const id = randomUUID();
    tx.insert(users)
      .values({ id, email: input.email, name: input.name, role: input.role, trustCode: input.trustCode, passwordHash, isDemo: input.isDemo ?? false })
      .run();
    recordAudit(tx, actor, {
      action: "user.created",
      objectType: "user",
      objectId: id,
      summary: { email: input.email, role: input.role, trustCode: input.trustCode, demo: input.isDemo ?? false },
    });
    return id;
  }, db);
}

/**
 * Changes name, email, role and trust. An admin cannot take away their own admin role (so there is always
 * an admin who can undo a mistake). Returns whether anything changed; an unchanged account is not audited.
 */
export function updateUser(id: string, input: AccountInput, actor: Actor): boolean {
  return writeTransaction((tx) => {
    const before = tx.select().from(users).where(eq(users.id, id)).get();
    if (!before) throw notFoundError();
    if (actor.userId === id && before.role === "admin" && input.role !== "admin") {
      throw new AccountError({ role: "You cannot remove your own admin role. Ask another admin to do it" });
    }
    const clash = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
    if (clash && clash.id !== id) throw new AccountError({ email: "An account with this email address already exists" });
    assertTrustAssignable(tx, input.trustCode, before.trustCode);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ["email", "name", "role", "trustCode"] as const) {
      if (before[key] !== input[key]) changes[key] = { from: before[key], to: input[key] };
    }
    if (Object.keys(changes).length === 0) return false;
    tx.update(users)
      .set({ email: input.email, name: input.name, role: input.role, trustCode: input.trustCode, updatedAt: new Date().toISOString() })
      .where(eq(users.id, id))
      .run();
    // A change of role or trust changes what the user may see: end their sessions so it applies at once.
    if (changes.role || changes.trustCode) destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: "user.updated", objectType: "user", objectId: id, summary: changes });
    return true;
  });
}

/**
 * Disables an account (ending every session it has at once) or enables it again. An admin cannot disable
 * themselves. Returns whether anything changed: disabling a disabled account keeps its original date.
 */
export function setUserDisabled(id: string, disabled: boolean, actor: Actor): boolean {
  if (disabled && actor.userId === id) throw new AccountError({ account: "You cannot disable your own account" });
  return writeTransaction((tx) => {
    const before = tx.select({ email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, id)).get();
    if (!before) throw notFoundError();
    if (!!before.disabledAt === disabled) return false;
    const now = new Date().toISOString();
    tx.update(users).set({ disabledAt: disabled ? now : null, updatedAt: now }).where(eq(users.id, id)).run();
    if (disabled) destroyUserSessions(tx, id);
    recordAudit(tx, actor, {
      action: disabled ? "user.disabled" : "user.enabled",
      objectType: "user",
      objectId: id,
      summary: { email: before.email },
    });
    return true;
  });
}

/**
 * Resets someone's second factor (a lost phone, and no recovery codes): it is removed and their sessions end; staff
 * set up a new one at their next sign-in. Returns whether there was one to reset.
 */
export function resetSecondFactor(id: string, actor: Actor): boolean {
  return writeTransaction((tx) => {
    const before = tx.select({ email: users.email, mfaSecret: users.mfaSecret }).from(users).where(eq(users.id, id)).get();
    if (!before) throw notFoundError();
    if (!before.mfaSecret) return false;
    removeSecondFactor(tx, id, new Date());
    destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: "mfa.reset", objectType: "user", objectId: id, summary: { email: before.email } });
    return true;
  });
}

/** Sets a new password (policy-checked) and ends every session the account has. */
export async function resetPassword(id: string, password: string, actor: Actor) {
  const user = getDb().select({ email: users.email }).from(users).where(eq(users.id, id)).get();
  if (!user) throw notFoundError();
  const problem = checkPasswordPolicy(password, { email: user.email });
  if (problem) throw new AccountError({ password: problem.message });
  const passwordHash = await hashPassword(password);
  writeTransaction((tx) => {
    const result = tx.update(users).set({ passwordHash, updatedAt: new Date().toISOString() }).where(eq(users.id, id)).run();
    if (result.changes === 0) throw notFoundError();
    destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: "user.password-reset", objectType: "user", objectId: id, summary: { email: user.email } });
  });
}

/** Open trusts, by name, for choosing a trust user's trust. */
export function listAssignableTrusts() {
  return getDb()
    .select({ odsCode: trusts.odsCode, name: trusts.name })
    .from(trusts)
    .where(isNull(trusts.closedOn))
    .orderBy(asc(trusts.name))
    .all();
}

/** What the admin pages show of an account: never the password hash. */
const accountColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  trustCode: users.trustCode,
  isDemo: users.isDemo,
  disabledAt: users.disabledAt,
};

/** The name of a trust, open or closed (for showing a user's trust). */
export function trustName(odsCode: string): string | undefined {
  return getDb().select({ name: trusts.name }).from(trusts).where(eq(trusts.odsCode, odsCode)).get()?.name;
}

/** What the admin pages show of an account, by email address (inspector2 before inspector10): never the password hash. */
export function listUsers() {
  return getDb()
    .select(accountColumns)
    .from(users)
    .orderBy(asc(users.email))
    .all()
    .sort((a, b) => a.email.localeCompare(b.email, "en", { numeric: true }));
}

export function findUser(id: string) {
  return getDb()
    .select({ ...accountColumns, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, id))
    .get();
}
