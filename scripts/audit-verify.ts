/**
 * `npm run audit:verify`: walks the whole audit hash chain in the database (DATABASE_PATH) and reports the
 * first broken link. Exit 0 when intact, 1 when broken, 2 when it could not check at all.
 */
import { existsSync } from "node:fs";
import { verifyAuditChain } from "../app/audit/audit.server";
import { getConfig } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";

function main(): number {
  const file = getConfig().DATABASE_PATH;
  if (file !== ":memory:" && !existsSync(file)) {
    console.error(`No database at ${file}. Set DATABASE_PATH to the database to check.`);
    return 2;
  }
  try {
    const verdict = verifyAuditChain(getDb());
    if (verdict.ok) {
      console.log(`Audit chain intact: ${verdict.checked} events`);
      console.log(`Head hash: ${verdict.headHash}`);
      return 0;
    }
    console.log(`Audit chain broken at event ${verdict.brokenAt}: ${verdict.reason}`);
    console.log(`Events before it that check out: ${verdict.checked}`);
    return 1;
  } finally {
    closeDb();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`Could not check the audit chain: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
