/** Failed sign-in steps (a wrong password or a wrong code) in the database, counted for throttling (throttle.ts). */
import { and, count, eq, gte, lt } from "drizzle-orm";
import { signInFailures } from "../../db/schema";
import type { Db, Tx } from "../db.server";
import { windowStart } from "./throttle";

/** Failures per account and per address within the throttling window ending at `now`. */
export function failureCounts(db: Db | Tx, accountKey: string, clientAddress: string, now: Date) {
  const since = windowStart(now).toISOString();
  const account = db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.accountKey, accountKey), gte(signInFailures.failedAt, since)))
    .get()!.n;
  const address = db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.clientAddress, clientAddress), gte(signInFailures.failedAt, since)))
    .get()!.n;
  return { account, address };
}

/** Records a failure, and drops those that no longer count as it goes. */
export function recordFailure(tx: Tx, accountKey: string, clientAddress: string, now: Date) {
  tx.insert(signInFailures).values({ accountKey, clientAddress, failedAt: now.toISOString() }).run();
  tx.delete(signInFailures).where(lt(signInFailures.failedAt, windowStart(now).toISOString())).run();
}

/** A successful sign-in clears the account's failures. */
export function clearFailures(tx: Tx, accountKey: string) {
  tx.delete(signInFailures).where(eq(signInFailures.accountKey, accountKey)).run();
}
