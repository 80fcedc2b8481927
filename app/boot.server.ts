/**
 * Start-up: migrate the database, load the trust register from the project's reference data if it is
 * empty, and seed the demo data into an empty install (unless DEMO_DATA=off). Idempotent.
 */
import { count } from "drizzle-orm";
import { trusts, users } from "../db/schema";
import { DEMO_PASSWORD, ensureDemoSecondFactors, seedDemoData } from "../db/seed.server";
import { DEMO_TOTP_SECRET } from "./auth/mfa";
import { ensureShippedFrameworks } from "./baseline/frameworks.server";
import { getConfig } from "./config.server";
import { getDb } from "./db.server";
import { recordActionIndicators } from "./portal/actions.server";
import { ensureBuiltInIndicators } from "./risk/indicators.server";
import { ensureDefaultRiskModel } from "./risk/ranking.server";
import { ensureShippedBankHolidays } from "./scheduling/bank-holidays.server";
import { loadReferenceRegister } from "./trusts/reference.server";

export interface BootReport {
  messages: string[];
}

export async function boot(): Promise<BootReport> {
  const config = getConfig();
  const db = getDb(); // opens and migrates
  const messages: string[] = [`Database: ${config.DATABASE_PATH}`];

  if (db.select({ n: count() }).from(trusts).get()!.n === 0) {
    const loaded = loadReferenceRegister(db);
    messages.push(`Loaded the register of ${loaded.trusts} NHS trusts and ${loaded.traumaCentres} major trauma centres.`);
  }

  // Built-in indicators the catalogue has and the database does not (a new install, or a new release).
  ensureBuiltInIndicators(db);
  // The shipped risk model, made current on a new install.
  ensureDefaultRiskModel(db);
  // Bank holidays shipped with this release that the database does not have yet.
  ensureShippedBankHolidays(db);
  // Baseline framework versions shipped in db/frameworks that the database does not have yet.
  messages.push(...ensureShippedFrameworks(db).messages);

  const accounts = db.select({ n: count() }).from(users).get()!.n;
  if (accounts === 0 && config.DEMO_DATA === "on") {
    const seeded = await seedDemoData(db);
    messages.push(`Seeded demo data (seed ${seeded.seed}).`);
  }

  // Overdue actions grow with the calendar alone: record today's action indicators for the risk model (nothing is
  // recorded when the values already recorded today still hold).
  recordActionIndicators(db);
  if (config.DEMO_DATA === "on") ensureDemoSecondFactors(db);

  const demoUsers = db.query.users
    .findMany({ where: (u, { eq }) => eq(u.isDemo, true) })
    .sync()
    .sort((a, b) => a.email.localeCompare(b.email, "en", { numeric: true }));
  if (demoUsers.length > 0) {
    messages.push(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
    for (const u of demoUsers) messages.push(`  ${u.email.padEnd(30)} ${u.name}`);
    messages.push(`Demo staff sign in with a second factor: the sign-in page shows the current code, or add the key ${DEMO_TOTP_SECRET} to an authenticator app.`);
  } else if (accounts === 0) {
    messages.push("No accounts yet. Create the first admin: npm run users:create -- --email you@example.org --name \"Your Name\" --role admin");
  }
  return { messages };
}
