/**
 * The indicator import page runs its check and import off the request thread, in a worker thread with a time limit
 * (app/risk/indicator-import-worker.server.ts; docs/decisions/0023-imports-off-the-request-thread.md): the server
 * keeps answering while a large import runs, a second import meanwhile is refused as busy, and a run past its limit
 * is stopped with nothing changed. Also the guarantee the time limit rests on: a better-sqlite3 transaction left
 * open in a terminated worker is rolled back and its write lock released.
 */
import http from "node:http";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyTemplateDatabase } from "../support/database";
import { Client, readPage, signedIn } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const INDICATORS = [
  ["unsupported_devices_pct", (i: number) => ((i * 37) % 1000) / 10],
  ["critical_patches_14d_pct", (i: number) => ((i * 53) % 1000) / 10],
  ["unacked_high_alerts_48h", (i: number) => i % 9],
  ["incidents_12m", (i: number) => i % 4],
  ["ceplus_current", (i: number) => i % 2],
] as const;

/** A valid long-format file of `rows` observations (every open trust × five indicators × as many past days as it takes). */
function longFile(databaseFile: string, rows: number, source: string): string {
  const db = new Database(databaseFile, { readonly: true });
  const codes = (db.prepare("SELECT ods_code FROM trusts WHERE closed_on IS NULL ORDER BY ods_code").all() as { ods_code: string }[]).map((r) => r.ods_code);
  db.close();
  const lines = ["ods_code,indicator,value,observed_on,source"];
  const day = Date.UTC(2026, 9, 31);
  for (let i = 0; lines.length <= rows; i++) {
    const [indicator, value] = INDICATORS[Math.floor(i / codes.length) % INDICATORS.length]!;
    const observedOn = new Date(day - Math.floor(i / (codes.length * INDICATORS.length)) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${codes[i % codes.length]},${indicator},${value(i)},${observedOn},${source}`);
  }
  return lines.join("\r\n") + "\r\n";
}

/** Everything an import could change, as counts and the head of the audit chain. */
function stateOf(databaseFile: string) {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      observations: n("SELECT count(*) AS n FROM indicator_observations"),
      imports: n("SELECT count(*) AS n FROM indicator_imports"),
      audit: n("SELECT count(*) AS n FROM audit_events"),
      auditHead: (db.prepare("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { hash: string }).hash,
    };
  } finally {
    db.close();
  }
}

/** Whether a writer can take the write lock at once (busy_timeout 0): nobody holds it. */
function writeLockFree(databaseFile: string): boolean {
  const db = new Database(databaseFile);
  db.pragma("busy_timeout = 0");
  try {
    db.exec("BEGIN IMMEDIATE");
    db.exec("ROLLBACK");
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

const uploadForm = (intent: "check" | "import", name: string, content: string) => {
  const form = new FormData();
  form.set("intent", intent);
  form.set("file", new Blob([content], { type: "text/csv" }), name);
  return form;
};

/**
 * Posts a file with node:http, resolving `sent` once the whole body has been handed to the socket and `answered`
 * with the status and the page once the response has arrived in full.
 */
async function postFile(client: Client, intent: "check" | "import", name: string, content: string) {
  const request = new Request(client.baseUrl + "/indicators/import", { method: "POST", body: uploadForm(intent, name, content) });
  const body = Buffer.from(await request.arrayBuffer());
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const answered = new Promise<{ status: number; html: string }>((resolve, reject) => {
    const req = http.request(
      client.baseUrl + "/indicators/import",
      {
        method: "POST",
        headers: {
          "Content-Type": request.headers.get("content-type")!,
          "Content-Length": String(body.length),
          Cookie: client.cookie,
          Origin: client.baseUrl,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, html: Buffer.concat(chunks).toString("utf8").replaceAll("<!-- -->", "") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body, markSent);
  });
  return { sent, answered };
}

const upload = (client: Client, intent: "check" | "import", name: string, content: string) =>
  client.request("/indicators/import", { method: "POST", body: uploadForm(intent, name, content) });

describe("a large import runs off the request thread", () => {
  let server: RunningServer;
  let lead: Client;
  let admin: Client;
  beforeAll(async () => {
    server = await startServer();
    [lead, admin] = await Promise.all([signedIn(server.url, "lead@deepdive.test"), signedIn(server.url, "admin@deepdive.test")]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers /healthz, and refuses a second import as busy, while a 100,000-row import runs; then the import is written", async () => {
    const ROWS = 100_000;
    const csv = longFile(server.databaseFile, ROWS, "Worker test: large import");
    const before = stateOf(server.databaseFile);
    const events: string[] = [];

    const big = await postFile(lead, "import", "large.csv", csv);
    const bigDone = big.answered.then((answer) => {
      events.push("import answered");
      return answer;
    });
    await big.sent;
    // The server has the whole file; give it a moment to read the form and start the worker (an import of this size
    // takes seconds after that, so the probe below lands while it runs: the probe's answer proves it).
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const second = await upload(admin, "import", "small.csv", "ods_code,indicator,value,observed_on,source\nRJ1,incidents_12m,3,2026-10-31,Worker test: second import\n");
    events.push(`second import ${second.status}`);
    const secondHtml = await readPage(second);
    const health = await fetch(`${server.url}/healthz`);
    events.push(`healthz ${health.status}`);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const answer = await bigDone;
    // The order is what matters: the second import was refused (the first was running) and /healthz answered,
    // both before the large import's answer arrived.
    expect(events).toEqual(["second import 503", "healthz 200", "import answered"]);
    expect(secondHtml).toContain("small.csv was not imported and nothing was changed.");
    expect(secondHtml).toContain("Another indicator file is being checked or imported. Wait a minute for it to finish, then select the file again and import it.");

    expect(answer.status).toBe(200);
    expect(answer.html).toContain(`${ROWS.toLocaleString("en-GB")} new observations imported from large.csv`);
    const after = stateOf(server.databaseFile);
    expect(after.observations).toBe(before.observations + ROWS);
    expect(after.imports).toBe(before.imports + 1);
    const db = new Database(server.databaseFile, { readonly: true });
    const event = db.prepare("SELECT actor_label, summary FROM audit_events WHERE action = 'indicators.imported' ORDER BY seq DESC LIMIT 1").get() as { actor_label: string; summary: string };
    db.close();
    expect(event.actor_label).toBe("lead@deepdive.test");
    expect(JSON.parse(event.summary)).toMatchObject({ fileName: "large.csv", rows: ROWS, inserted: ROWS });

    // Once it is done, the next one runs.
    const next = await upload(admin, "import", "small.csv", "ods_code,indicator,value,observed_on,source\nRJ1,incidents_12m,3,2026-10-31,Worker test: second import\n");
    expect(next.status).toBe(200);
    expect(await readPage(next)).toContain("1 new observation imported from small.csv");
    // On a loaded two-core machine the import alone can take half a minute.
  }, 180_000);
});

describe("an import past its time limit", () => {
  let server: RunningServer;
  let lead: Client;
  beforeAll(async () => {
    server = await startServer({ IMPORT_TIME_LIMIT_SECONDS: "0.2" });
    lead = await signedIn(server.url, "lead@deepdive.test");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is stopped with nothing changed and the write lock released, and says so; a check likewise", async () => {
    // 100,000 rows take over half a second to check and seconds to import on any machine: well past the 0.2 s limit.
    const csv = longFile(server.databaseFile, 100_000, "Worker test: too long");
    const before = stateOf(server.databaseFile);
    for (const intent of ["import", "check"] as const) {
      const response = await upload(lead, intent, "too-long.csv", csv);
      expect(response.status).toBe(503);
      const html = await readPage(response);
      expect(html).toContain("There is a problem");
      expect(html).toContain(`too-long.csv was not ${intent === "import" ? "imported" : "checked"} and nothing was changed.`);
      expect(html).toContain(`The file took longer than 0.2 seconds and was stopped. Split the file into smaller files and ${intent} each, or try again when the service is less busy.`);
      expect(stateOf(server.databaseFile)).toEqual(before);
      expect(writeLockFree(server.databaseFile)).toBe(true);
    }
    const db = new Database(server.databaseFile, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    // The server goes on: a small file is imported within the limit.
    const small = await upload(lead, "import", "small.csv", "ods_code,indicator,value,observed_on,source\nRJ1,incidents_12m,4,2026-10-31,Worker test: after the limit\n");
    expect(small.status).toBe(200);
    expect(await readPage(small)).toContain("1 new observation imported from small.csv");
  }, 180_000);
});

describe("terminating a worker in the middle of a better-sqlite3 transaction", () => {
  /** A worker that opens the database as the app does, begins a write transaction and inserts, then is terminated. */
  const WORKER = `
    const { parentPort, workerData } = require("node:worker_threads");
    const Database = require(workerData.betterSqlite3);
    const db = new Database(workerData.file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO indicator_imports (id, file_name, sha256, format, row_count, inserted_count, imported_by, imported_at) VALUES ('terminated', 'x.csv', 'x', 'long', 0, 0, 'test', '2026-01-01T00:00:00Z')").run();
    const insert = db.prepare("INSERT INTO indicator_observations (trust_code, indicator_code, value, numeric_value, observed_on, period, source, import_id, is_demo) VALUES ('RJ1', 'incidents_12m', ?, ?, '2026-01-01', NULL, 'terminated worker', 'terminated', 0)");
    for (let i = 0; i < 50000; i++) insert.run(String(i), i);
    if (workerData.mode === "javascript") {
      parentPort.postMessage("in transaction");
      for (;;) {}
    } else {
      parentPort.postMessage("in a long statement");
      // One statement that runs in SQLite for a long time: the worker is terminated while it runs.
      db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) INSERT INTO indicator_observations (trust_code, indicator_code, value, numeric_value, observed_on, period, source, import_id, is_demo) SELECT 'RJ1', 'incidents_12m', 'x' || i, i, '2026-01-02', NULL, 'terminated worker', 'terminated', 0 FROM n");
      parentPort.postMessage("statement finished");
      for (;;) {}
    }
  `;

  it.each(["javascript", "native"] as const)("rolls the transaction back and releases the write lock (terminated while running %s)", async (mode) => {
    const file = copyTemplateDatabase();
    const before = stateOf(file);
    const worker = new Worker(WORKER, { eval: true, workerData: { file, mode, betterSqlite3: path.resolve("node_modules", "better-sqlite3") } });
    const first = await new Promise<string>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(first).toBe(mode === "javascript" ? "in transaction" : "in a long statement");
    // While the worker holds it, nobody else can take the write lock.
    expect(writeLockFree(file)).toBe(false);
    if (mode === "native") await new Promise((resolve) => setTimeout(resolve, 200));
    await worker.terminate();

    expect(writeLockFree(file)).toBe(true);
    expect(stateOf(file)).toEqual(before);
    const db = new Database(file, { readonly: true });
    expect((db.prepare("SELECT count(*) AS n FROM indicator_observations WHERE source = 'terminated worker'").get() as { n: number }).n).toBe(0);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
