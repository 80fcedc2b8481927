/**
 * `npm run db:backup -- DEST`: an online, consistent copy of the database (DATABASE_PATH) into DEST, a new file, made
 * while the app may be running and writing, then checked (integrity, migrations, audit chain) with the row count of
 * every table printed. Exit 0 with a checked copy; 1 when the copy failed its check (it is removed); 2 when no copy
 * could be made (bad arguments, no database, DEST exists). See app/operations/backup.server.ts.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { getConfig } from "../app/config.server";
import { backupDatabase, BackupError, describeCheck } from "../app/operations/backup.server";

function main(args: string[]): number {
  const [destination, ...rest] = args;
  if (!destination || rest.length > 0 || destination.startsWith("-")) {
    console.error("Usage: npm run db:backup -- DEST   (DEST: a new file for the copy)");
    return 2;
  }
  const source = getConfig().DATABASE_PATH;
  if (source === ":memory:" || !existsSync(source)) {
    console.error(`No database at ${source}. Set DATABASE_PATH to the database to back up.`);
    return 2;
  }
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma("busy_timeout = 5000");
    const check = backupDatabase(live, destination);
    console.log("Backup made and checked.");
    for (const line of describeCheck(check)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      return error.message.startsWith("The copy failed") ? 1 : 2;
    }
    throw error;
  } finally {
    live.close();
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`Could not make the backup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
