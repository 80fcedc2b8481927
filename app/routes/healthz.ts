import { sql } from "drizzle-orm";
import { getDb, migrationStatus } from "~/db.server";

/** Liveness for monitoring: open to all, says only whether the database answers and is migrated. */
export function loader() {
  try {
    const db = getDb();
    db.get(sql`SELECT 1`);
    const migrations = migrationStatus(db);
    const ok = migrations.current;
    return Response.json(
      { status: ok ? "ok" : "degraded", database: "reachable", migrations: migrations.current ? "current" : "behind" },
      { status: ok ? 200 : 503 },
    );
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503 });
  }
}
