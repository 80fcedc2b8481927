/** Accounts: create, change role and trust, disable (ending sessions at once), enable, reset password. */
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { ROLES, trusts, users } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { hashPassword } from "./password.server";
import { checkPasswordPolicy } from "./password-policy";
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

export type FieldErrors = Partial<Record<"email" | "name" | "role" | "trustCode" | "password", string>>;

export class AccountError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

function assertTrustExists(tx: Tx, trustCode: string | null) {
  if (trustCode && !tx.select({ c: trusts.odsCode }).from(trusts).where(eq(trusts.odsCode, trustCode)).get()) {
    throw new AccountError({ trustCode: "Select a trust from the register" });
  }
}

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
    assertTrustExists(tx, input.trustCode);
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

export function updateUser(id: string, input: AccountInput, actor: Actor) {
  writeTransaction((tx) => {
    const before = tx.select().from(users).where(eq(users.id, id)).get();
    if (!before) throw new AccountError({ email: "This account no longer exists" });
    const clash = tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
    if (clash && clash.id !== id) throw new AccountError({ email: "An account with this email address already exists" });
    assertTrustExists(tx, input.trustCode);
    tx.update(users)
      .set({ email: input.email, name: input.name, role: input.role, trustCode: input.trustCode, updatedAt: new Date().toISOString() })
      .where(eq(users.id, id))
      .run();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ["email", "name", "role", "trustCode"] as const) {
      if (before[key] !== input[key]) changes[key] = { from: before[key], to: input[key] };
    }
    // A change of role or trust changes what the user may see: end their sessions so it applies at once.
    if (changes.role || changes.trustCode) destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: "user.updated", objectType: "user", objectId: id, summary: changes });
  });
}

export function setUserDisabled(id: string, disabled: boolean, actor: Actor) {
  writeTransaction((tx) => {
    const now = new Date().toISOString();
    tx.update(users).set({ disabledAt: disabled ? now : null, updatedAt: now }).where(eq(users.id, id)).run();
    if (disabled) destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: disabled ? "user.disabled" : "user.enabled", objectType: "user", objectId: id });
  });
}

export async function resetPassword(id: string, password: string, actor: Actor) {
  const user = getDb().select({ email: users.email }).from(users).where(eq(users.id, id)).get();
  if (!user) throw new AccountError({ password: "This account no longer exists" });
  const problem = checkPasswordPolicy(password, { email: user.email });
  if (problem) throw new AccountError({ password: problem.message });
  const passwordHash = await hashPassword(password);
  writeTransaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: new Date().toISOString() }).where(eq(users.id, id)).run();
    destroyUserSessions(tx, id);
    recordAudit(tx, actor, { action: "user.password-reset", objectType: "user", objectId: id });
  });
}

/** What the admin pages show of an account: never the password hash. */
export function listUsers() {
  return getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      trustCode: users.trustCode,
      isDemo: users.isDemo,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .orderBy(asc(users.email))
    .all();
}

export function findUser(id: string) {
  return getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      trustCode: users.trustCode,
      isDemo: users.isDemo,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, id))
    .get();
}
