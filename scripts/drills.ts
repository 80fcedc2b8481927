/**
 * `npm run drills` (issue 8): the backup drill, the crash drill and the concurrency drill against the real server
 * (node server.js, the app built), each on a fresh demo database, under write load from inspectors saving findings over
 * HTTP; writes docs/drills.md with the machine, the date and what was found. Exit 0 when every drill passes, 1 when one
 * fails.
 *
 * - Backup: while eight writers save findings, `db:backup` (in its own process) copies the live file and checks it; the
 *   copy is restored into a new file and compared: the same row count in every table, the same audit head, integrity
 *   ok, and the copy a moment of the live database (each finding's latest revision is its version).
 * - Crash: while eight writers save findings, the server is killed with SIGKILL. Opening the file afterwards must give
 *   `integrity_check` ok, an intact audit chain, and every save that had been acknowledged (200 with its version)
 *   present with its text; then the server starts again on it and answers /healthz.
 * - Concurrency: 50 writers save findings over HTTP at once for a fixed time, signed in as the members of the
 *   inspection's team (one session each, shared by the writers). There must be no SQLITE_BUSY anywhere in the server's
 *   output and no 5xx answer; every acknowledged save must be in the database afterwards with its text and its author
 *   (compared as the crash drill compares), and the drill's revisions there must be exactly the acknowledged ones.
 *   Writers sharing a finding meet each other's saves: those answer 409 (not acknowledged, not stored) and the writer
 *   goes on from the current version, as the outbox does.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { checkDatabaseFile, checkPassed, restoreDatabase } from "../app/operations/backup.server";
import { percentile, signIn, startServer } from "./bench-http";

const WRITERS = 8;
const CONCURRENT_WRITERS = 50;
const CONCURRENT_SECONDS = 20;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const blank = { rating: "", overrideReason: "", observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", severity: "", recommendation: "" };

interface Ack {
  findingId: string;
  version: number;
  observed: string;
}

/** Writers saving findings of the inspection on site until told to stop; every acknowledged save is recorded. */
function startWriters(url: string, cookie: string, inspectionId: string, targets: { criterionId: number; findingId: string; version: number }[]) {
  const acks: Ack[] = [];
  let errors = 0;
  let stopping = false;
  const done = targets.map(async (target, w) => {
    let version = target.version;
    for (let i = 0; !stopping; i++) {
      const observed = `Drill writer ${w}, save ${i}: ${randomUUID()}`;
      try {
        const response = await fetch(`${url}/inspections/${inspectionId}/criteria/${target.criterionId}/save.json`, {
          method: "POST",
          headers: { Cookie: cookie, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...blank, observed, baseVersion: String(version), idempotencyKey: randomUUID() }),
        });
        if (response.status !== 200) {
          errors += 1;
          continue;
        }
        version = ((await response.json()) as { version: number }).version;
        acks.push({ findingId: target.findingId, version, observed });
      } catch {
        // No answer (the server killed): not acknowledged, so nothing is owed.
        errors += 1;
        if (stopping) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
  return {
    acks,
    errors: () => errors,
    stop: async () => {
      stopping = true;
      await Promise.all(done);
    },
  };
}

function onSiteTargets(databaseFile: string, limit = WRITERS) {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const onSite = db
      .prepare(
        `SELECT i.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id AND m.role = 'lead' JOIN users u ON u.id = m.inspector_id
          WHERE i.status = 'on_site' LIMIT 1`,
      )
      .get() as { id: string; email: string };
    const targets = db
      .prepare(
        `SELECT c.id AS criterionId, f.id AS findingId, f.version FROM findings f JOIN framework_criteria c ON c.id = f.criterion_id
          WHERE f.inspection_id = ? AND c.records_devices = 0 AND c.scale <> 'met' ORDER BY c.position LIMIT ?`,
      )
      .all(onSite.id, limit) as { criterionId: number; findingId: string; version: number }[];
    return { ...onSite, targets };
  } finally {
    db.close();
  }
}

/** Runs a command without blocking this process (the writers must go on), with its exit status and error output. */
function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function backupDrill(dir: string): Promise<{ passed: boolean; lines: string[] }> {
  const databaseFile = path.join(dir, "backup-drill.sqlite");
  const { url, child } = await startServer(root, databaseFile);
  try {
    const onSite = onSiteTargets(databaseFile);
    const writers = startWriters(url, await signIn(url, onSite.email), onSite.id, onSite.targets);
    await sleep(2_000);
    const ackedBefore = writers.acks.length;
    // As an operator runs it, in a process of its own: the writers here go on while it copies.
    const started = performance.now();
    const command = await runCommand(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "db-backup.ts"), path.join(dir, "backup.sqlite")], {
      ...process.env,
      DATABASE_PATH: databaseFile,
    });
    const backupMs = performance.now() - started;
    if (command.status !== 0) throw new Error(`npm run db:backup failed: ${command.stderr}`);
    const copy = checkDatabaseFile(path.join(dir, "backup.sqlite"));
    const ackedDuring = writers.acks.length - ackedBefore;
    await sleep(1_000);
    await writers.stop();
    const restoredFile = path.join(dir, "restored", "deep-dive.sqlite");
    const restoreStarted = performance.now();
    const restored = restoreDatabase(path.join(dir, "backup.sqlite"), restoredFile);
    const restoreMs = performance.now() - restoreStarted;
    const sameRows = JSON.stringify(restored.rows) === JSON.stringify(copy.rows);
    const sameAudit = restored.audit.headHash === copy.audit.headHash && restored.audit.events === copy.audit.events;
    const snapshot = new Database(restoredFile, { readonly: true });
    const torn = (
      snapshot.prepare("SELECT count(*) AS n FROM findings f WHERE f.version > 0 AND f.version <> (SELECT max(r.version) FROM finding_revisions r WHERE r.finding_id = f.id)").get() as {
        n: number;
      }
    ).n;
    snapshot.close();
    const liveAfter = checkDatabaseFile(databaseFile);
    const walBytes = (() => {
      try {
        return statSync(`${databaseFile}-wal`).size;
      } catch {
        return 0;
      }
    })();
    const passed = checkPassed(copy) && checkPassed(restored) && sameRows && sameAudit && torn === 0 && writers.errors() === 0 && ackedDuring > 0;
    return {
      passed,
      lines: [
        `- ${WRITERS} writers saved ${writers.acks.length} findings over HTTP in all, ${ackedDuring} of them while the backup ran; ${writers.errors()} errors.`,
        `- \`db:backup\` (VACUUM INTO, then checked; the command with its start-up): ${backupMs.toFixed(0)} ms for ${copy.bytes.toLocaleString("en-GB")} bytes; integrity ${copy.integrity}; ${copy.migrations.applied} of ${copy.migrations.expected} migrations; audit chain ${copy.audit.intact ? "intact" : "BROKEN"}, ${copy.audit.events} events.`,
        `- Restore into a new file (checked, then renamed into place): ${restoreMs.toFixed(0)} ms; the same row count in all ${Object.keys(copy.rows).length} tables: ${sameRows ? "yes" : "NO"}; the same audit head: ${sameAudit ? "yes" : "NO"}.`,
        `- A consistent moment: findings whose version has no matching latest revision in the copy: ${torn}.`,
        `- The live database after the load: ${liveAfter.rows.finding_revisions} finding revisions (the copy ${copy.rows.finding_revisions}); its write-ahead log ${walBytes.toLocaleString("en-GB")} bytes.`,
        `- Result: ${passed ? "passed" : "FAILED"}.`,
      ],
    };
  } finally {
    child.kill();
  }
}

async function crashDrill(dir: string): Promise<{ passed: boolean; lines: string[] }> {
  const databaseFile = path.join(dir, "crash-drill.sqlite");
  const first = await startServer(root, databaseFile);
  const onSite = onSiteTargets(databaseFile);
  const writers = startWriters(first.url, await signIn(first.url, onSite.email), onSite.id, onSite.targets);
  await sleep(3_000);
  const exited = new Promise((resolve) => first.child.once("exit", resolve));
  first.child.kill("SIGKILL");
  await exited;
  const ackedAtKill = writers.acks.length;
  await writers.stop();

  // What a restart finds: opening the file recovers its write-ahead log.
  const db = new Database(databaseFile, { fileMustExist: true });
  const integrity = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  const revision = db.prepare("SELECT json_extract(content, '$.observed') AS observed FROM finding_revisions WHERE finding_id = ? AND version = ?");
  const missing = writers.acks.filter((ack) => (revision.get(ack.findingId, ack.version) as { observed: string } | undefined)?.observed !== ack.observed);
  db.close();
  const check = checkDatabaseFile(databaseFile);
  const second = await startServer(root, databaseFile);
  let healthz = 0;
  try {
    healthz = (await fetch(`${second.url}/healthz`)).status;
  } finally {
    second.child.kill();
  }
  const passed = integrity === "ok" && missing.length === 0 && check.audit.intact && healthz === 200 && ackedAtKill > 0;
  return {
    passed,
    lines: [
      `- ${WRITERS} writers saving findings over HTTP; the server killed with SIGKILL after 3 s, when ${ackedAtKill} saves had been acknowledged.`,
      `- On opening the file again: integrity_check ${integrity}; audit chain ${check.audit.intact ? `intact (${check.audit.events} events)` : `BROKEN (${check.audit.problem})`}.`,
      `- Acknowledged saves missing or different afterwards: ${missing.length} of ${writers.acks.length}.`,
      `- The server started again on the file and answered /healthz ${healthz}.`,
      `- Result: ${passed ? "passed" : "FAILED"}.`,
    ],
  };
}

/**
 * 50 writers saving findings at once over HTTP for CONCURRENT_SECONDS: what is acknowledged is stored, and nothing
 * else; no SQLITE_BUSY and no 5xx.
 */
async function concurrencyDrill(dir: string): Promise<{ passed: boolean; lines: string[] }> {
  const databaseFile = path.join(dir, "concurrency-drill.sqlite");
  const { url, child } = await startServer(root, databaseFile);
  // Everything the server prints from here on, searched for SQLITE_BUSY afterwards.
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    // Every finding of the inspection on site that the blank form below saves (39), and its whole team.
    const onSite = onSiteTargets(databaseFile, 1_000);
    const db = new Database(databaseFile, { readonly: true });
    const team = db
      .prepare(
        `SELECT u.id, u.email FROM inspections i JOIN visit_team_members m ON m.visit_id = i.visit_id JOIN users u ON u.id = m.inspector_id
          WHERE i.id = ? ORDER BY m.role = 'lead' DESC, u.email`,
      )
      .all(onSite.id) as { id: string; email: string }[];
    db.close();
    const sessions: { userId: string; cookie: string }[] = [];
    for (const member of team) sessions.push({ userId: member.id, cookie: await signIn(url, member.email) });

    interface DrillAck extends Ack {
      userId: string;
    }
    const acks: DrillAck[] = [];
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let conflicts = 0;
    let networkErrors = 0;
    const writersOf = new Map<string, number>();
    const deadline = performance.now() + CONCURRENT_SECONDS * 1000;
    const started = performance.now();
    const writers = Array.from({ length: CONCURRENT_WRITERS }, async (_, w) => {
      const target = onSite.targets[w % onSite.targets.length]!;
      const session = sessions[w % sessions.length]!;
      writersOf.set(target.findingId, (writersOf.get(target.findingId) ?? 0) + 1);
      let version = target.version;
      for (let i = 0; performance.now() < deadline; i++) {
        const observed = `Concurrency drill writer ${w}, save ${i}: ${randomUUID()}`;
        const began = performance.now();
        try {
          const response = await fetch(`${url}/inspections/${onSite.id}/criteria/${target.criterionId}/save.json`, {
            method: "POST",
            headers: { Cookie: session.cookie, Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ ...blank, observed, baseVersion: String(version), idempotencyKey: randomUUID() }),
          });
          const body = (await response.json().catch(() => null)) as { outcome?: string; version?: number; currentVersion?: number } | null;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200 && body?.outcome === "saved" && typeof body.version === "number") {
            latencies.push(performance.now() - began);
            version = body.version;
            acks.push({ findingId: target.findingId, version, observed, userId: session.userId });
          } else if (response.status === 409 && body?.outcome === "conflict" && typeof body.currentVersion === "number") {
            // Another writer saved this finding first: nothing stored; go on from what is there now.
            conflicts += 1;
            version = body.currentVersion;
          }
        } catch {
          networkErrors += 1;
        }
      }
    });
    await Promise.all(writers);
    const seconds = (performance.now() - started) / 1000;
    child.kill();
    await exited;

    const check = new Database(databaseFile, { fileMustExist: true });
    const integrity = (check.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const revision = check.prepare("SELECT json_extract(content, '$.observed') AS observed, saved_by AS savedBy FROM finding_revisions WHERE finding_id = ? AND version = ?");
    const lost = acks.filter((ack) => {
      const row = revision.get(ack.findingId, ack.version) as { observed: string; savedBy: string } | undefined;
      return row?.observed !== ack.observed || row.savedBy !== ack.userId;
    });
    const drillRevisions = (check.prepare("SELECT count(*) AS n FROM finding_revisions WHERE json_extract(content, '$.observed') LIKE 'Concurrency drill writer %'").get() as { n: number }).n;
    const torn = (
      check
        .prepare("SELECT count(*) AS n FROM findings f WHERE f.version > 0 AND f.version <> (SELECT max(r.version) FROM finding_revisions r WHERE r.finding_id = f.id)")
        .get() as { n: number }
    ).n;
    check.close();

    const busy = (output.match(/SQLITE_BUSY/g) ?? []).length;
    const count = (test: (status: number) => boolean) => [...statuses].filter(([s]) => test(s)).reduce((n, [, c]) => n + c, 0);
    const fiveXx = count((s) => s >= 500);
    const unexpected = count((s) => s !== 200 && s !== 409 && s < 500);
    const shared = [...writersOf.values()].filter((n) => n > 1).length;
    latencies.sort((a, b) => a - b);
    const ms = (q: number) => percentile(latencies, q).toFixed(0);
    const passed =
      acks.length > 0 && busy === 0 && fiveXx === 0 && unexpected === 0 && networkErrors === 0 && lost.length === 0 && drillRevisions === acks.length && torn === 0 && integrity === "ok";
    const statusList = [...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${c.toLocaleString("en-GB")} × ${s}`).join(", ");
    return {
      passed,
      lines: [
        `- ${CONCURRENT_WRITERS} writers saving findings over HTTP at once for ${CONCURRENT_SECONDS} s (${seconds.toFixed(1)} s with the last answers), each sending its next save as soon as the last was answered; signed in as the ${sessions.length} members of the inspection's team, one session each, the writers taking them in turn.`,
        `- ${onSite.targets.length} findings of the inspection on site, one a writer; ${shared} of them have two writers, who meet each other's saves.`,
        `- Saves acknowledged (200 with the new version): ${acks.length.toLocaleString("en-GB")}, ${(acks.length / seconds).toFixed(0)} a second; their latency p50 ${ms(0.5)} ms, p95 ${ms(0.95)} ms, p99 ${ms(0.99)} ms, slowest ${ms(1)} ms.`,
        `- Answers: ${statusList || "none"}. 409 is another writer's save of the same finding first (not stored; the writer goes on from the current version): ${conflicts.toLocaleString("en-GB")}.`,
        `- SQLITE_BUSY in the server's output: ${busy}. 5xx answers: ${fiveXx}. Other refusals: ${unexpected}. Requests with no answer: ${networkErrors}.`,
        `- Acknowledged saves missing or different afterwards (text and author at the acknowledged version): ${lost.length} of ${acks.length.toLocaleString("en-GB")}. The drill's revisions in the database: ${drillRevisions.toLocaleString("en-GB")} (exactly the acknowledged saves: ${drillRevisions === acks.length ? "yes" : "NO"}). Findings whose version is not their latest revision: ${torn}. integrity_check: ${integrity}.`,
        `- Result: ${passed ? "passed" : "FAILED"}.`,
      ],
    };
  } finally {
    child.kill();
  }
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "deep-dive-drills-"));
  try {
    console.log("Backup drill…");
    const backup = await backupDrill(dir);
    for (const line of backup.lines) console.log(line);
    console.log("Crash drill…");
    const crash = await crashDrill(dir);
    for (const line of crash.lines) console.log(line);
    console.log("Concurrency drill…");
    const concurrency = await concurrencyDrill(dir);
    for (const line of concurrency.lines) console.log(line);
    const cpus = os.cpus();
    const doc = [
      "# Drills",
      "",
      "Written by `npm run drills` (scripts/drills.ts): the real server on a fresh demo database, under write load from",
      "inspectors saving findings over HTTP. See ADR 0021 for backup and restore, ADR 0002 for the database settings.",
      "",
      `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${process.version}, ${os.type()} ${os.release()}.`,
      "",
      "## Backup under load, then restore",
      "",
      ...backup.lines,
      "",
      "## Crash: SIGKILL under write load",
      "",
      ...crash.lines,
      "",
      `## Concurrency: ${CONCURRENT_WRITERS} writers saving findings at once`,
      "",
      ...concurrency.lines,
      "",
    ].join("\n");
    writeFileSync(path.join(root, "docs", "drills.md"), doc);
    console.log("Wrote docs/drills.md");
    return backup.passed && crash.passed && concurrency.passed ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
