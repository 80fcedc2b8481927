/**
 * Report benchmarks, run by scripts/bench.ts (`npm run bench`): on a demo database (the HTTP benchmarks', seeded by the
 * server, or else a fresh one seeded in a child process, as `npm start` seeds one), using the demo's approved inspection of RJ1 with both frameworks (NCSC CAF v3.2 and Cyber
 * Essentials Plus v3.1, 49 criteria):
 *
 * - the full report drawn with pdfkit in this thread (the median of several warm runs), and in a warm render worker
 *   (renderModelInWorker: the way the server renders it, with the structured clone and the transfer);
 * - the same report's content printed as HTML by headless Chromium (playwright-core, page.setContent + page.pdf, tagged,
 *   with the marking and page numbers in its header and footer), measured in the same run, as a ratio to pdfkit;
 * - every published demo report version rendered again, checked against its recorded SHA-256 (a superseded version
 *   whose findings a correction changed since renders differently, as it should: it is marked so).
 *
 * Run directly with --seed (and DATABASE_PATH), this file seeds that database and exits: that is the child process.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface ReportTiming {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface ReportsBenchResult {
  /** The report benchmarked: trust, criteria, pages, size. */
  subject: { trust: string; criteria: number; pages: number; bytes: number };
  /** Which demo database, in words. */
  database: string;
  pdfkit: ReportTiming;
  worker: ReportTiming;
  /** Headless Chromium printing the same content as HTML, or null when Chromium is not available (with why). */
  chromium: (ReportTiming & { bytes: number }) | null;
  chromiumNote: string | null;
  /** Every published demo report version. */
  all: { reports: { name: string; ms: number; bytes: number; matches: boolean; superseded: boolean }[]; totalMs: number };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function timing(name: string, times: number[]): ReportTiming {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { name, runs: sorted.length, medianMs: median, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]! };
}

async function timed(runs: number, warmup: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times;
}

/** Seeds a demo database at `file` in a child process (boot with DEMO_DATA=on), as `npm start` would. */
function seedDemoDatabase(root: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--seed"], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: file, DEMO_DATA: "on" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`seeding the demo database failed (${code}):\n${stderr}`))));
  });
}

// ── The same content as HTML, for Chromium ──────────────────────────────────────────────────────────────────

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const TONE_COLOURS: Record<string, string> = { good: "#00703c", partial: "#f47738", bad: "#d4351c", neutral: "#b1b4b6", empty: "#ffffff", info: "#1d70b8" };

type Model = import("../app/reports/report-model").ReportModel;
type Block = import("../app/reports/report-model").ReportBlock;

/** The report model as one HTML document: the same words, tables with header cells, charts as SVG with their alt text. */
export function reportHtml(model: Model): string {
  const block = (b: Block): string => {
    switch (b.kind) {
      case "heading":
        return `<h${b.level}>${escape(b.text)}</h${b.level}>`;
      case "paragraph":
        return `<p class="${b.style ?? "body"}">${b.label ? `<strong>${escape(b.label)}</strong>` : ""}${escape(b.text).replaceAll("\n", "<br>")}</p>`;
      case "table": {
        const t = b.table;
        const head = `<thead><tr>${t.columns.map((c) => `<th scope="col" style="width:${(c.width * 100).toFixed(1)}%;text-align:${c.align ?? "left"}">${escape(c.header)}</th>`).join("")}</tr></thead>`;
        const rows = t.rows
          .map((r) => `<tr>${r.map((cell, i) => (i === 0 && t.rowHeaders ? `<th scope="row">${escape(cell)}</th>` : `<td style="text-align:${t.columns[i]?.align ?? "left"}">${escape(cell)}</td>`)).join("")}</tr>`)
          .join("");
        return `<table><caption>${escape(t.caption)}</caption>${head}<tbody>${rows}</tbody></table>`;
      }
      case "chart": {
        const c = b.chart;
        const max = Math.max(1, ...c.bars.map((bar) => bar.values.reduce((x, y) => x + y, 0)));
        const rows = c.bars
          .map((bar, i) => {
            let x = 200;
            const segments = bar.values
              .map((v, j) => {
                if (v <= 0) return "";
                const w = (v / max) * 420;
                const colour = TONE_COLOURS[c.categories[j]!.tone] ?? "#b1b4b6";
                const seg = `<rect x="${x.toFixed(1)}" y="${i * 26}" width="${w.toFixed(1)}" height="18" fill="${colour}" stroke="#505a5f" stroke-width="0.5"/>${w > 14 ? `<text x="${(x + w / 2).toFixed(1)}" y="${i * 26 + 13}" text-anchor="middle" font-size="10">${v}</text>` : ""}`;
                x += w;
                return seg;
              })
              .join("");
            return `<text x="0" y="${i * 26 + 13}" font-size="10">${escape(bar.label)}</text>${segments}<text x="630" y="${i * 26 + 13}" font-size="10">${bar.values.reduce((p, q) => p + q, 0)}</text>`;
          })
          .join("");
        const legend = c.categories.map((k) => `<span class="key"><span class="swatch" style="background:${TONE_COLOURS[k.tone]}"></span>${escape(k.label)}</span>`).join(" ");
        return `<figure><div class="legend" aria-hidden="true">${legend}</div><svg role="img" aria-label="${escape(c.alt)}" width="660" height="${c.bars.length * 26}" viewBox="0 0 660 ${c.bars.length * 26}">${rows}</svg><figcaption>${escape(c.alt)}</figcaption></figure>`;
      }
    }
  };
  const cover = model.cover;
  return `<!doctype html><html lang="${model.meta.lang}"><head><meta charset="utf-8"><title>${escape(model.meta.title)}</title><style>
    @page { size: A4; margin: 25mm 20mm; }
    body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #0b0c0c; }
    h1 { font-size: 26pt; } h2 { font-size: 18pt; } h3 { font-size: 14pt; } h4 { font-size: 12.5pt; } h5 { font-size: 11.5pt; } h6 { font-size: 10.5pt; }
    h1, h2, h3, h4, h5, h6 { break-after: avoid; margin: 0.8em 0 0.3em; }
    section.new-page { break-before: page; }
    p { margin: 0 0 0.5em; } p.fact { margin-bottom: 0.15em; } p.lead { font-size: 11.5pt; }
    table { width: 100%; border-collapse: collapse; font-size: 9pt; margin-bottom: 1em; }
    caption { text-align: left; font-weight: bold; padding-bottom: 3pt; }
    th, td { text-align: left; vertical-align: top; padding: 4pt; border-bottom: 0.5pt solid #b1b4b6; }
    thead th { background: #f3f2f1; border-bottom: 1pt solid #0b0c0c; }
    tr { break-inside: avoid; }
    figure { margin: 0 0 1em; break-inside: avoid; } figcaption { font-size: 8.5pt; color: #505a5f; }
    .legend { font-size: 8.5pt; margin-bottom: 6pt; } .swatch { display: inline-block; width: 12px; height: 9px; border: 0.5px solid #505a5f; margin-right: 4px; } .key { margin-right: 14px; }
    .notice { border: 3pt solid #0b0c0c; padding: 10pt; font-weight: bold; }
    .watermark { position: fixed; top: 40%; left: 10%; font-size: 118pt; font-weight: bold; color: rgba(111, 119, 123, 0.14); transform: rotate(-55deg); }
  </style></head><body>
  ${model.draft ? '<div class="watermark" aria-hidden="true">DRAFT</div>' : ""}
  <section><p class="lead">${escape(cover.kicker)}</p><h1>${escape(cover.trustName)}</h1>
  ${cover.facts.map((f) => `<p class="lead"><strong>${escape(f.label)}: </strong>${escape(f.value)}</p>`).join("")}
  ${cover.draftNotice ? `<p class="notice">${escape(cover.draftNotice)}</p>` : ""}</section>
  ${model.sections.map((s) => `<section class="${s.newPage ? "new-page" : ""}">${s.blocks.map(block).join("\n")}</section>`).join("\n")}
  </body></html>`;
}

// ── The benchmark ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * Runs the report benchmarks on a demo database: `seeded`, one the server seeded at start-up as `npm start` does (the
 * HTTP benchmarks' database, after their loads, which read the inspections and write only sessions and audit events),
 * or else a fresh one seeded here in `tempDir`.
 */
export async function runReports(root: string, tempDir: string, seeded: string | null = null): Promise<ReportsBenchResult> {
  const { openDatabase } = await import("../app/db.server");
  const { loadReportData } = await import("../app/reports/report-data.server");
  const { buildReportModel } = await import("../app/reports/report-model");
  const { renderModelInWorker, renderModelToPdf } = await import("../app/reports/render.server");
  const { reportFileName } = await import("../app/reports/filename");

  let started = performance.now();
  let file: string;
  let database: string;
  if (seeded && existsSync(seeded)) {
    file = seeded;
    database = "The demo database the pages under load used (seeded by the server at start-up, as `npm start` seeds one; the loads write only sessions and audit events).";
    console.log("Reports: on the HTTP benchmarks' demo database");
  } else {
    file = path.join(tempDir, "reports-bench.sqlite");
    await seedDemoDatabase(root, file);
    database = "A fresh demo database (seeded as `npm start` seeds one).";
    console.log(`Reports: seeded a demo database in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const db = openDatabase(file);
  try {
    const sqlite = db.$client;
    const approved = sqlite
      .prepare(
        `SELECT i.id, i.trust_code AS trustCode, t.name AS trustName, v.visit_date AS visitDate, i.approved_at AS approvedAt, i.status
           FROM inspections i JOIN trusts t ON t.ods_code = i.trust_code LEFT JOIN visits v ON v.id = i.visit_id
          WHERE i.status IN ('approved', 'factual_accuracy', 'published') ORDER BY v.visit_date DESC`,
      )
      .all() as { id: string; trustCode: string; trustName: string; visitDate: string | null; approvedAt: string; status: string }[];
    // The latest approved inspection of RJ1 (both frameworks, with movement since the earlier one), else any.
    const subject = approved.find((a) => a.trustCode === "RJ1") ?? approved[0];
    if (!subject) throw new Error("the demo has no approved inspection to report on");
    const options = { version: 1, publishedAt: subject.approvedAt, draft: false };
    const model = buildReportModel(loadReportData(subject.id, db)!, options);
    const criteria = model.findings.reduce((n, f) => n + f.sections.reduce((m, s) => m + s.criteria.length, 0), 0);
    const pdf = renderModelToPdf(model);
    const pages = (pdf.toString("latin1").match(/\/Type \/Page\n/g) ?? []).length;

    const pdfkit = timing(`full report, ${criteria} criteria in both frameworks: pdfkit in this thread`, await timed(10, 3, () => renderModelToPdf(model)));
    console.log(`${pdfkit.name}: median ${pdfkit.medianMs.toFixed(0)} ms`);
    const worker = timing("the same in a warm render worker (renderModelInWorker)", await timed(5, 2, () => renderModelInWorker(model)));
    console.log(`${worker.name}: median ${worker.medianMs.toFixed(0)} ms`);

    // Chromium printing the same content as HTML, in the same run.
    let chromium: ReportsBenchResult["chromium"] = null;
    let chromiumNote: string | null = null;
    if (!existsSync(CHROMIUM)) {
      chromiumNote = `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH): the HTML comparison was skipped`;
      console.log(chromiumNote);
    } else {
      const { chromium: launcher } = await import("playwright-core");
      const browser = await launcher.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      try {
        const page = await browser.newPage();
        const html = reportHtml(model);
        const marking = `<div style="font-size:9px;width:100%;text-align:center;font-weight:bold">${model.marking}</div>`;
        let bytes = 0;
        const print = async () => {
          await page.setContent(html, { waitUntil: "load" });
          const out = await page.pdf({
            format: "A4",
            printBackground: true,
            tagged: true,
            outline: true,
            displayHeaderFooter: true,
            headerTemplate: marking,
            footerTemplate: `<div style="font-size:8px;width:100%;padding:0 20mm;display:flex;justify-content:space-between"><span>${escape(model.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>${marking}`,
            margin: { top: "25mm", bottom: "25mm", left: "20mm", right: "20mm" },
          });
          bytes = out.length;
        };
        chromium = { ...timing("the same content as HTML printed by headless Chromium (setContent + pdf)", await timed(5, 2, print)), bytes };
        console.log(`${chromium.name}: median ${chromium.medianMs.toFixed(0)} ms`);
      } finally {
        await browser.close();
      }
    }

    // Every published demo report version (db/demo-reports.server.ts publishes RJ1's two reports and RRU's, corrected).
    const jobs = sqlite
      .prepare(
        `SELECT r.inspection_id AS inspectionId, r.version, r.published_at AS publishedAt, r.sha256, i.trust_code AS trustCode, v.visit_date AS visitDate,
                EXISTS (SELECT 1 FROM report_versions l WHERE l.inspection_id = r.inspection_id AND l.version > r.version) AS superseded
           FROM report_versions r JOIN inspections i ON i.id = r.inspection_id LEFT JOIN visits v ON v.id = i.visit_id ORDER BY i.trust_code, v.visit_date, r.version`,
      )
      .all() as { inspectionId: string; version: number; publishedAt: string; sha256: string; trustCode: string; visitDate: string | null; superseded: number }[];
    if (jobs.length === 0) throw new Error("the demo has no published report");
    const reports: ReportsBenchResult["all"]["reports"] = [];
    started = performance.now();
    for (const job of jobs) {
      const began = performance.now();
      const bytes = renderModelToPdf(buildReportModel(loadReportData(job.inspectionId, db)!, { version: job.version, publishedAt: job.publishedAt, draft: false }));
      reports.push({
        name: reportFileName({ odsCode: job.trustCode, visitDate: job.visitDate, version: job.version, draft: false }),
        ms: performance.now() - began,
        bytes: bytes.length,
        matches: createHash("sha256").update(bytes).digest("hex") === job.sha256,
        superseded: job.superseded === 1,
      });
    }
    const totalMs = performance.now() - started;
    console.log(`every published demo report version: ${reports.length} in ${totalMs.toFixed(0)} ms`);
    return { subject: { trust: `${subject.trustName} (${subject.trustCode})`, criteria, pages, bytes: pdf.length }, database, pdfkit, worker, chromium, chromiumNote, all: { reports, totalMs } };
  } finally {
    db.$client.close();
  }
}

/** The "Reports" section of docs/benchmarks.md. */
export function reportsSection(r: ReportsBenchResult): string[] {
  const ms = (n: number) => n.toFixed(0);
  const kb = (n: number) => `${Math.round(n / 1024)} KB`;
  const row = (t: ReportTiming, ratio: string) => `| ${t.name} | ${t.runs} | ${ms(t.medianMs)} | ${ms(t.minMs)} | ${ms(t.maxMs)} | ${ratio} |`;
  return [
    "",
    "## Reports",
    "",
    `${r.database} The full report of the latest approved inspection of ${r.subject.trust}:`,
    `${r.subject.criteria} criteria in NCSC CAF v3.2 and Cyber Essentials Plus v3.1, ${r.subject.pages} A4 pages, ${kb(r.subject.bytes)}, tagged. Each figure is the`,
    "median of the timed runs after untimed warm-up runs; the ratio is to pdfkit's median in this thread, measured in the same run.",
    "",
    "| rendering | runs | median (ms) | fastest (ms) | slowest (ms) | ratio to pdfkit |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    row(r.pdfkit, "1.00"),
    row(r.worker, (r.worker.medianMs / r.pdfkit.medianMs).toFixed(2)),
    ...(r.chromium ? [row(r.chromium, (r.chromium.medianMs / r.pdfkit.medianMs).toFixed(2))] : []),
    ...(r.chromiumNote ? ["", `- ${r.chromiumNote}`] : []),
    "",
    `Every published demo report version rendered again (${r.all.reports.length}, in ${ms(r.all.totalMs)} ms), each checked against its recorded SHA-256:`,
    "",
    "| report | ms | size | matches the published SHA-256 |",
    "| --- | ---: | ---: | --- |",
    ...r.all.reports.map(
      (x) => `| ${x.name} | ${ms(x.ms)} | ${kb(x.bytes)} | ${x.matches ? "yes" : x.superseded ? "no: superseded, and a correction changed its findings since" : "NO"} |`,
    ),
  ];
}

// The child process that seeds the demo database (see seedDemoDatabase).
if (process.argv.includes("--seed") && process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const { boot } = await import("../app/boot.server");
  const { closeDb, getDb } = await import("../app/db.server");
  await boot();
  getDb().$client.pragma("wal_checkpoint(TRUNCATE)");
  closeDb();
}
