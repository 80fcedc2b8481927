/**
 * `npm run db:restore -- FILE`: puts the backup FILE in place of the database (DATABASE_PATH), after checking it
 * (integrity, every migration of this release applied, audit chain intact). Stop the server first. Exit 0 when
 * restored; 1 when FILE failed its check (nothing changed); 2 when nothing could be done (bad arguments, no file).
 */
import { getConfig } from "../app/config.server";
import { BackupError, describeCheck, restoreDatabase } from "../app/operations/backup.server";

function main(args: string[]): number {
  const [backup, ...rest] = args;
  if (!backup || rest.length > 0 || backup.startsWith("-")) {
    console.error("Usage: npm run db:restore -- FILE   (stop the server first)");
    return 2;
  }
  const target = getConfig().DATABASE_PATH;
  if (target === ":memory:") {
    console.error("DATABASE_PATH is :memory:, which cannot be restored into.");
    return 2;
  }
  try {
    const check = restoreDatabase(backup, target);
    console.log(`Restored ${backup} into ${target}, checked.`);
    for (const line of describeCheck(check)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      return error.message.startsWith("Not restored") ? 1 : 2;
    }
    throw error;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`Could not restore: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
