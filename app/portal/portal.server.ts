/**
 * Everything a trust user can see. Every query here takes the trust code from the signed-in user
 * (requireTrustUser), never from the URL, and returns only fields the portal shows.
 */
import { eq } from "drizzle-orm";
import { trusts } from "../../db/schema";
import { getDb } from "../db.server";
import type { TrustUser } from "../auth/guards.server";

export function portalTrust(user: TrustUser) {
  return getDb()
    .select({ odsCode: trusts.odsCode, name: trusts.name })
    .from(trusts)
    .where(eq(trusts.odsCode, user.trustCode))
    .get();
}
