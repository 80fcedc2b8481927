/**
 * `npm run bench`: builds a temporary database (the real register of NHS trusts, the built-in indicators, the
 * current risk model, and 5 years of monthly history for every open trust), runs every bench module in BENCH_MODULES
 * that is present, prints a table and writes docs/benchmarks.md with the machine it ran on. The history is the demo
 * generator's (db/demo-indicators.server.ts: the real DSPT snapshots and 60 months of synthetic values) where it
 * exists, topped up so that every built-in indicator has a value every month for every open trust; each result is
 * the median of N timed runs after untimed warm-up runs (scripts/bench-lib.ts).
 *
 * Then, in turn (each on its own, so that none disturbs another): the busiest pages under load on the real server
 * (scripts/bench-http.ts), the reports (scripts/bench-reports.ts), the client JavaScript per route from the build
 * output (scripts/bench-client-js.ts), and the time from a fresh clone to a serving app (scripts/bench-clone.ts; about
 * three minutes, most of it `npm ci`; BENCH_SKIP_CLONE=1 leaves it out, and the file then says so). The whole run is
 * meant to take under 10 minutes on a 2-core machine; the file records how long it took.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bench, targetOf, type BenchContext, type BenchModule, type BenchResult } from "./bench-lib";
import { HTTP_DATABASE, runHttp, type HttpResult } from "./bench-http";
import { reportsSection, runReports, type ReportsBenchResult } from "./bench-reports";
import { clientJsSection, runClientJs, type ClientJsResult } from "./bench-client-js";
import { cloneSection, runClone, type CloneBenchResult } from "./bench-clone";

/** The bench modules, in the order they run; each is optional (a missing one is reported as skipped). */
const BENCH_MODULES = ["bench-risk.ts", "bench-selection.ts", "bench-import.ts", "bench-scheduling.ts"];
const MONTHS = 60;

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(scriptsDir, "..");
const tempDir = mkdtempSync(path.join(os.tmpdir(), "deep-dive-bench-"));
const databaseFile = path.join(tempDir, "bench.sqlite");
// Before any app module reads its configuration.
process.env.DATABASE_PATH = databaseFile;
process.env.DEMO_DATA = "off";

const { boot } = await import("../app/boot.server");
const { closeDb, getDb } = await import("../app/db.server");
const { BUILT_IN_INDICATORS } = await import("../app/risk/indicator-catalogue");
const { ensureDefaultRiskModel } = await import("../app/risk/ranking.server");
const { todayInLondon } = await import("../app/trusts/register.server");
const { DEMO_SEED, seededRandom } = await import("../db/seed.server");

/** The first of the month, `offset` months from `start` (yyyy-mm-01). */
function addMonths(start: string, offset: number): string {
  const [y, m] = start.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

/**
 * Fills in 60 months of values (DSPT: one a year) for every open trust and built-in indicator that has no history
 * yet: a seeded level per trust, drifting. Only volume matters here, not realism.
 */
function topUpHistory(db: ReturnType<typeof getDb>, asOf: string): number {
  const sqlite = db.$client;
  const open = sqlite.prepare("SELECT ods_code AS code FROM trusts WHERE closed_on IS NULL OR closed_on > ? ORDER BY ods_code").all(asOf) as { code: string }[];
  const have = new Set(
    (sqlite.prepare("SELECT DISTINCT trust_code || '/' || indicator_code AS k FROM indicator_observations").all() as { k: string }[]).map((r) => r.k),
  );
  sqlite
    .prepare(
      "INSERT OR IGNORE INTO indicator_imports (id, file_name, sha256, format, row_count, inserted_count, imported_by, imported_at) VALUES ('bench', 'scripts/bench.ts', '0', 'demo', 0, 0, 'bench', ?)",
    )
    .run(new Date().toISOString());
  const insert = sqlite.prepare(
    "INSERT OR IGNORE INTO indicator_observations (trust_code, indicator_code, value, numeric_value, observed_on, period, source, import_id, is_demo) VALUES (?, ?, ?, ?, ?, ?, 'bench generator', 'bench', 1)",
  );
  const random = seededRandom(DEMO_SEED);
  const last = `${asOf.slice(0, 7)}-01`;
  let added = 0;
  sqlite.transaction(() => {
    for (const { code } of open) {
      const level = random();
      for (const def of BUILT_IN_INDICATORS) {
        if (have.has(`${code}/${def.code}`)) continue;
        for (let m = -(MONTHS - 1); m <= 0; m++) {
          const month = addMonths(last, m);
          const drift = Math.min(1, Math.max(0, level + (random() - 0.5) * 0.3));
          let value: string;
          let numeric: number;
          let period: string | null = null;
          if (def.valueType === "category") {
            if (!month.endsWith("-06-01")) continue; // annual
            const categories = def.categories ?? ["good", "bad"];
            numeric = Math.min(categories.length - 1, Math.floor(drift * categories.length));
            value = categories[numeric]!;
            const year = Number(month.slice(0, 4));
            period = `${year - 1}/${String(year % 100).padStart(2, "0")}`;
          } else if (def.valueType === "boolean") {
            numeric = drift < 0.35 ? 1 : 0;
            value = String(numeric);
          } else {
            const max = def.valueType === "percentage" ? 100 : 20;
            const worse = def.higherIsWorse ? drift : 1 - drift;
            numeric = def.valueType === "percentage" ? Math.round(worse * max * 10) / 10 : Math.round(worse * max);
            value = String(numeric);
          }
          added += insert.run(code, def.code, value, numeric, month, period).changes;
        }
      }
    }
  })();
  return added;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

async function main(): Promise<number> {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0]!;
  console.log("Building the benchmark database…");
  await boot(); // migrations, the register, the built-in indicators
  const db = getDb();
  ensureDefaultRiskModel(db);
  const asOf = todayInLondon();
  const demoModule = path.join(root, "db", "demo-indicators.server.ts");
  if (existsSync(demoModule)) {
    const demo = (await import(pathToFileURL(demoModule).href)) as { seedDemoIndicators: (db: unknown, seed: number) => unknown };
    demo.seedDemoIndicators(db, DEMO_SEED);
    console.log("  history: the demo generator (db/demo-indicators.server.ts)");
  } else {
    console.log("  history: no demo generator (db/demo-indicators.server.ts); generating it here");
  }
  const toppedUp = topUpHistory(db, asOf);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const count = (sql: string, ...params: unknown[]) => (db.$client.prepare(sql).get(...params) as { n: number }).n;
  const context: BenchContext = {
    db,
    databaseFile,
    tempDir,
    asOf,
    openTrusts: count("SELECT count(*) AS n FROM trusts WHERE closed_on IS NULL OR closed_on > ?", asOf),
    observations: count("SELECT count(*) AS n FROM indicator_observations"),
  };
  console.log(
    `  ${context.openTrusts} open trusts, ${context.observations.toLocaleString("en-GB")} observations (${toppedUp.toLocaleString("en-GB")} added by this script), as of ${asOf}; built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const results: BenchResult[] = [];
  const notes: string[] = [];
  let failed = false;
  for (const file of BENCH_MODULES) {
    const full = path.join(scriptsDir, file);
    if (!existsSync(full)) {
      console.log(`skipped scripts/${file}: not present`);
      notes.push(`scripts/${file}: not present, skipped`);
      continue;
    }
    try {
      const mod = (await import(pathToFileURL(full).href)) as BenchModule;
      const got = await mod.run(bench, context);
      for (const r of got) console.log(`${r.name}: median ${ms(r.medianMs)} ms`);
      results.push(...got);
    } catch (error) {
      failed = true;
      console.error(`scripts/${file} failed:`, error);
      notes.push(`scripts/${file}: FAILED (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  // The HTTP benchmarks: the real server under load (scripts/bench-http.ts), when the app is built.
  let http: HttpResult[] | null = null;
  try {
    http = await runHttp(root, tempDir);
    if (!http) notes.push("HTTP benchmarks: skipped, the app was not built (npm run build)");
  } catch (error) {
    failed = true;
    console.error("scripts/bench-http.ts failed:", error);
    notes.push(`scripts/bench-http.ts: FAILED (${error instanceof Error ? error.message : String(error)})`);
  }

  // The report benchmarks: pdfkit against headless Chromium, and every demo report (scripts/bench-reports.ts).
  let reports: ReportsBenchResult | null = null;
  try {
    reports = await runReports(root, tempDir, http ? path.join(tempDir, HTTP_DATABASE) : null);
  } catch (error) {
    failed = true;
    console.error("scripts/bench-reports.ts failed:", error);
    notes.push(`scripts/bench-reports.ts: FAILED (${error instanceof Error ? error.message : String(error)})`);
  }

  // Client JavaScript per route, from the build output (scripts/bench-client-js.ts).
  let clientJs: ClientJsResult | null = null;
  try {
    clientJs = runClientJs(root);
    if (!clientJs) notes.push("Client JavaScript per route: skipped, the app was not built (npm run build)");
  } catch (error) {
    failed = true;
    console.error("scripts/bench-client-js.ts failed:", error);
    notes.push(`scripts/bench-client-js.ts: FAILED (${error instanceof Error ? error.message : String(error)})`);
  }

  // From a fresh clone to a serving app (scripts/bench-clone.ts): last, since npm ci and the build load the machine.
  let clone: CloneBenchResult | null = null;
  if (process.env.BENCH_SKIP_CLONE === "1") {
    console.log("skipped the fresh clone: BENCH_SKIP_CLONE=1");
    notes.push("From a fresh clone to a serving app: skipped in this run (BENCH_SKIP_CLONE=1)");
  } else {
    try {
      clone = await runClone(root, tempDir);
    } catch (error) {
      failed = true;
      console.error("scripts/bench-clone.ts failed:", error);
      notes.push(`scripts/bench-clone.ts: FAILED (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
    }
  }

  const rows = results.map((r) => {
    const target = targetOf(r.name);
    return {
      ...r,
      target: target === null ? "" : `≤ ${target} ms`,
      verdict: target === null ? "" : r.medianMs <= target ? "met" : "MISSED",
    };
  });
  const header = ["benchmark", "runs", "median ms", "p95 ms", "min ms", "target", ""];
  const lines = rows.map((r) => [r.name, String(r.runs), ms(r.medianMs), ms(r.p95Ms), ms(r.minMs), r.target, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  console.log(`\n${header.map((h, i) => h.padEnd(widths[i]!)).join("  ")}`);
  for (const l of lines) console.log(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));

  const m = machine();
  // From the start of this process (tsx's start-up and the imports included), to the writing of this file.
  const elapsed = process.uptime();
  const duration = `${Math.floor(elapsed / 60)} min ${String(Math.round(elapsed % 60)).padStart(2, "0")} s`;
  const minimalRows = http?.filter((r) => r.minimal) ?? [];
  const doc = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (scripts/bench.ts); run it again to update this file. Each figure is the median (and",
    "95th percentile) of N timed runs after untimed warm-up runs, on a temporary database with the real register of",
    "NHS trusts and 5 years of monthly indicator history for every open trust (the demo generator's history, topped",
    "up so that every built-in indicator has a value every month). Tests never assert timings; this file records them.",
    "",
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB memory; ${m.platform}`,
    `- Node.js ${m.node}`,
    `- Data: ${context.openTrusts} open trusts, ${context.observations.toLocaleString("en-GB")} observations, as of ${asOf}`,
    `- The whole of \`npm run bench\` took ${duration} (target: under 10 minutes)`,
    `- The machine's 1-minute load average: ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (${m.cores} cores, shared with other work: compare ratios rather than raw figures between runs)`,
    "",
    "What is here: the risk ranking and the draw, the visit planner and the 100,000-row import (the table below); the",
    "busiest pages under load, the inspection workspace among them ([Pages under load](#pages-under-load)); the PDF",
    "report against headless Chromium printing the same report, and every published report ([Reports](#reports)); the",
    "client JavaScript per route against its budget ([Client JavaScript per route](#client-javascript-per-route)); and the",
    "time from a fresh clone to a serving app ([From a fresh clone to a serving app](#from-a-fresh-clone-to-a-serving-app)).",
    "",
    "| benchmark | runs | median (ms) | p95 (ms) | fastest (ms) | target | |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ...rows.map((r) => `| ${r.name} | ${r.runs} | ${ms(r.medianMs)} | ${ms(r.p95Ms)} | ${ms(r.minMs)} | ${r.target} | ${r.verdict} |`),
    ...(http
      ? [
          "",
          "## Pages under load",
          "",
          `The real server (node server.js, production build) on a fresh demo database, driven by autocannon (in the bench's`,
          `process, on the same machine) with ${http[0]?.connections ?? 50} concurrent connections for ${http[0]?.seconds ?? 10} s a page, one page after another, each`,
          "page as the person who uses it, signed in as a person signs in. Each page is fetched once first and must answer",
          "200 (the report as application/pdf), or the run stops. Throughput is autocannon's mean of its per-second counts.",
          "The ratio is to the minimal response (GET /healthz, no session), measured in the same run before the pages and",
          `again after them (${minimalRows.map((r) => Math.round(r.requestsPerSecond)).join(" and ")} requests/s; the ratio uses their mean): that ratio is the figure to`,
          "compare between runs on a noisy machine. The latencies are percentiles (nearest rank) of every response's own time,",
          "taken from autocannon's per-response event (milliseconds from process.hrtime), not from its summary, which has no",
          `p95; they include the time requests wait behind the other ${(http[0]?.connections ?? 50) - 1} connections. Requests still in flight when the`,
          "time is up are not counted, and the next page waits until the server has finished them (GET /healthz within 50 ms).",
          "",
          "| page | as | requests/s | ratio to minimal | responses | p50 (ms) | p95 (ms) | p99 (ms) | errors | non-2xx |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
          ...http.map(
            (r) =>
              `| ${r.name} | ${r.as || "no one"} | ${Math.round(r.requestsPerSecond)} | ${r.ratioToMinimal === null ? "" : r.ratioToMinimal.toFixed(2)} | ${r.responses.toLocaleString("en-GB")} | ${r.p50Ms.toFixed(0)} | ${r.p95Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.errors} | ${r.non2xx} |`,
          ),
        ]
      : []),
    ...(reports ? reportsSection(reports) : []),
    ...(clientJs ? clientJsSection(clientJs) : []),
    ...(clone ? cloneSection(clone) : []),
    ...(notes.length ? ["", ...notes.map((n) => `- ${n}`)] : []),
    "",
  ].join("\n");
  writeFileSync(path.join(root, "docs", "benchmarks.md"), doc);
  console.log(`\nWrote docs/benchmarks.md (${m.cpu}, ${m.cores} cores, Node.js ${m.node}); the whole run took ${duration}.`);
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} finally {
  closeDb();
  rmSync(tempDir, { recursive: true, force: true });
}
process.exit(code);
