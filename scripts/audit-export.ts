/**
 * `npm run audit:export [-- --out FILE] [--since-seq N]`: writes audit events as JSON Lines, one event per
 * line in sequence order, with the database's column names (seq, occurred_at, ..., prev_hash, hash), so the
 * chain can be checked away from this server. Reads in pages, never the whole trail at once. Events written
 * after the export starts are left for the next one.
 */
import { createWriteStream, existsSync } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import type { Writable } from "node:stream";
import { and, asc, desc, gt, lte } from "drizzle-orm";
import { auditEvents } from "../db/schema";
import { getConfig } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";

const USAGE = `Usage: npm run audit:export -- [--out FILE] [--since-seq N]

  --out FILE       write to FILE (created or replaced, readable only by you) instead of standard output
  --since-seq N    only events after event N, for an export that continues an earlier one
`;

const PAGE_SIZE = 1000;

class UsageError extends Error {}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { out: { type: "string" }, "since-seq": { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const raw = values["since-seq"];
  const sinceSeq = raw === undefined ? 0 : Number(raw);
  if (!/^\d+$/.test(raw ?? "0") || !Number.isSafeInteger(sinceSeq)) throw new UsageError(`--since-seq must be a whole number, not "${raw}"`);
  if (values.out === "") throw new UsageError("--out needs a file name");
  return { out: values.out, sinceSeq, help: values.help ?? false };
}

async function write(stream: Writable, text: string) {
  if (!stream.write(text)) await once(stream, "drain");
}

async function main(): Promise<number> {
  let options;
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = getConfig().DATABASE_PATH;
  if (file !== ":memory:" && !existsSync(file)) {
    process.stderr.write(`No database at ${file}. Set DATABASE_PATH to the database to export.\n`);
    return 2;
  }

  const db = getDb();
  const stream: Writable = options.out ? createWriteStream(options.out, { flags: "w", mode: 0o600 }) : process.stdout;
  const failure = new Promise<never>((_, reject) => stream.once("error", reject));
  failure.catch(() => {});
  let written = 0;
  let firstSeq: number | null = null;
  let lastSeq = options.sinceSeq;
  try {
    // The trail only grows, so fixing its head now gives one consistent export however long it takes.
    const head = db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1).get()?.seq ?? 0;
    for (;;) {
      const page = db
        .select()
        .from(auditEvents)
        .where(and(gt(auditEvents.seq, lastSeq), lte(auditEvents.seq, head)))
        .orderBy(asc(auditEvents.seq))
        .limit(PAGE_SIZE)
        .all();
      if (page.length === 0) break;
      const lines = page.map((e) =>
        JSON.stringify({
          seq: e.seq,
          occurred_at: e.occurredAt,
          actor_user_id: e.actorUserId,
          actor_label: e.actorLabel,
          client_address: e.clientAddress,
          action: e.action,
          object_type: e.objectType,
          object_id: e.objectId,
          summary: e.summary,
          prev_hash: e.prevHash,
          hash: e.hash,
        }),
      );
      await Promise.race([write(stream, lines.join("\n") + "\n"), failure]);
      firstSeq ??= page[0]!.seq;
      lastSeq = page.at(-1)!.seq;
      written += page.length;
    }
    if (options.out) {
      stream.end();
      await Promise.race([once(stream, "finish"), failure]);
    }
  } finally {
    closeDb();
  }
  const range = written > 0 ? ` (events ${firstSeq} to ${lastSeq})` : "";
  process.stderr.write(`Exported ${written} audit ${written === 1 ? "event" : "events"}${range}${options.out ? ` to ${options.out}` : ""}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Could not export the audit trail: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
