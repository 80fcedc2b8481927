/**
 * Rendering an inspection's report as a PDF: THE entry point for the rest of the app (publication, the staff preview,
 * the trust's draft, `npm run reports:render`).
 *
 *   renderReportPdf(inspectionId, { version, publishedAt, draft }, db?) → Promise<Buffer>
 *
 * It reads the report's data in one read transaction (loadReportData), builds the model (buildReportModel, pure),
 * then draws it OFF the request thread: in a worker thread (app/reports/pdf-worker.mjs) with a time limit
 * (RENDER_TIME_LIMIT_MS) and a memory limit. A render that runs past the limit has its worker terminated and fails
 * with a ReportRenderError, as does one that fails in any other way; the server's own thread never waits on pdfkit.
 * Up to RENDER_WORKERS workers are kept warm between renders (most of a cold worker's first render is loading pdfkit
 * and the fonts) and stopped when idle.
 *
 * The same inspection with the same options renders to the same bytes (see app/reports/pdf.mjs): the publication time
 * is the PDF's creation date, and the file identifier is a hash of the model.
 *
 * The worker is a plain JavaScript file loaded by path from the project (app/reports/pdf-worker.mjs, which imports
 * app/reports/pdf.mjs and pdfkit from node_modules): the Remix compiler bundles app code into one file, and a worker
 * needs a file of its own. See docs/decisions/0016-pdf-reports.md.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { getDb, type Db } from "../db.server";
import { projectPath } from "../project-root.server";
import { renderModelToPdf as drawInThisThread } from "./pdf.mjs";
import { loadReportData } from "./report-data.server";
import { buildReportModel, type ReportModel, type ReportOptions } from "./report-model";

/** The longest a render may take before its worker is terminated. */
export const RENDER_TIME_LIMIT_MS = 20_000;
/** The most memory (old generation) a render worker may use. */
export const RENDER_MEMORY_LIMIT_MB = 512;
/** Render workers at most: renders beyond that wait their turn (a stuck one holds up only its own worker). */
export const RENDER_WORKERS = 2;
/** Renders waiting for a worker at most; more are refused at once rather than queued for minutes. */
export const RENDER_QUEUE_MAX = 50;
/** A worker idle this long is stopped (the next render starts a new one). */
const IDLE_MS = 30_000;

/** Rendering failed (timed out, ran out of memory, failed in pdfkit, too many waiting): nothing was rendered. */
export class ReportRenderError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "failed" | "busy" | "not-found",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ReportRenderError";
  }
}

export interface RenderOptions extends ReportOptions {
  /** The time limit for this render (default RENDER_TIME_LIMIT_MS), from when a worker starts on it. */
  timeLimitMs?: number;
}

/** Where the worker is: in the project, beside this module's source (the server build is one file in build/). */
const workerUrl = () => pathToFileURL(projectPath("app", "reports", "pdf-worker.mjs"));

type Reply = { id: number; ok: true; pdf: Uint8Array<ArrayBuffer> } | { id: number; ok: false; name: string; message: string; stack?: string };

interface Job {
  id: number;
  model: ReportModel;
  timeLimitMs: number;
  resolve: (pdf: Buffer<ArrayBuffer>) => void;
  reject: (error: ReportRenderError) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  limit?: NodeJS.Timeout;
  idle?: NodeJS.Timeout;
}

/**
 * The render workers: at most RENDER_WORKERS, started when needed and kept warm between renders (a cold worker spends
 * most of its first render loading pdfkit and the fonts), stopped after IDLE_MS idle. A worker never holds the
 * process open while idle. A render past its time limit terminates its worker, so it cannot go on using a core.
 */
const slots = new Set<Slot>();
const queue: Job[] = [];
let nextJobId = 1;

function retire(slot: Slot) {
  slots.delete(slot);
  clearTimeout(slot.limit);
  clearTimeout(slot.idle);
  void slot.worker.terminate();
}

function settle(slot: Slot, outcome: { pdf: Buffer<ArrayBuffer> } | { error: ReportRenderError }, keep: boolean) {
  const job = slot.job;
  slot.job = null;
  clearTimeout(slot.limit);
  if (keep && slots.has(slot)) {
    slot.worker.unref();
    slot.idle = setTimeout(() => retire(slot), IDLE_MS);
    slot.idle.unref();
  } else {
    retire(slot);
  }
  if (job) {
    if ("pdf" in outcome) job.resolve(outcome.pdf);
    else job.reject(outcome.error);
  }
  pump();
}

function spawn(): Slot {
  const worker = new Worker(workerUrl(), {
    resourceLimits: { maxOldGenerationSizeMb: RENDER_MEMORY_LIMIT_MB },
    // The worker needs nothing of the server's environment (no database path, no secrets).
    env: {},
    stdout: false,
    stderr: false,
  });
  const slot: Slot = { worker, job: null };
  worker.on("message", (reply: Reply) => {
    if (!slot.job || reply.id !== slot.job.id) return;
    if (reply.ok) {
      settle(slot, { pdf: Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength) }, true);
    } else {
      const cause = Object.assign(new Error(reply.message), { name: reply.name, stack: reply.stack });
      settle(slot, { error: new ReportRenderError(`The report could not be drawn: ${reply.message}`, "failed", { cause }) }, true);
    }
  });
  worker.on("error", (error) => settle(slot, { error: new ReportRenderError(`The report could not be drawn: ${error.message}`, "failed", { cause: error }) }, false));
  worker.on("exit", (code) => {
    if (slot.job) settle(slot, { error: new ReportRenderError(`The report's worker stopped (exit code ${code}) without drawing it`, "failed") }, false);
    else slots.delete(slot);
  });
  slots.add(slot);
  return slot;
}

function start(slot: Slot, job: Job) {
  clearTimeout(slot.idle);
  slot.job = job;
  slot.worker.ref();
  slot.limit = setTimeout(() => {
    if (slot.job !== job) return;
    settle(slot, { error: new ReportRenderError(`The report took longer than ${Math.round(job.timeLimitMs / 100) / 10} s to draw and was stopped`, "timeout") }, false);
  }, job.timeLimitMs);
  slot.worker.postMessage({ id: job.id, model: job.model });
}

/** Starts waiting renders on idle workers, starting workers up to RENDER_WORKERS. */
function pump() {
  while (queue.length > 0) {
    let slot = [...slots].find((s) => s.job === null);
    if (!slot) {
      if (slots.size >= RENDER_WORKERS) return;
      slot = spawn();
    }
    start(slot, queue.shift()!);
  }
}

/**
 * Draws a report model in a worker thread, within the time limit (from when a worker starts on it). Rejects with a
 * ReportRenderError when the worker fails, stops, or is still drawing when the time is up (it is then terminated),
 * or when RENDER_QUEUE_MAX renders are already waiting.
 */
export function renderModelInWorker(model: ReportModel, timeLimitMs = RENDER_TIME_LIMIT_MS): Promise<Buffer<ArrayBuffer>> {
  return new Promise<Buffer<ArrayBuffer>>((resolve, reject) => {
    if (queue.length >= RENDER_QUEUE_MAX) {
      reject(new ReportRenderError("Too many reports are being drawn at once: try again in a minute", "busy"));
      return;
    }
    queue.push({ id: nextJobId++, model, timeLimitMs, resolve, reject });
    pump();
  });
}

/** The report model of an inspection (its data read in one transaction), or a ReportRenderError when there is none. */
export function reportModelFor(inspectionId: string, options: ReportOptions, db: Db = getDb()): ReportModel {
  const data = loadReportData(inspectionId, db);
  if (!data) throw new ReportRenderError("There is no such inspection to report on", "not-found");
  return buildReportModel(data, { version: options.version, publishedAt: options.publishedAt, draft: options.draft });
}

/**
 * The PDF of an inspection's report: `version` (the version this is, or would be for a draft), `publishedAt` (ISO:
 * the report's date, and the PDF's creation date), `draft` (watermarked DRAFT on every page). Drawn in a worker with
 * a time limit; rejects with a ReportRenderError on failure or timeout.
 */
export async function renderReportPdf(inspectionId: string, options: RenderOptions, db: Db = getDb()): Promise<Buffer<ArrayBuffer>> {
  const model = reportModelFor(inspectionId, options, db);
  return renderModelInWorker(model, options.timeLimitMs ?? RENDER_TIME_LIMIT_MS);
}

/**
 * Draws a report model in THIS thread (for unit tests and the benchmark; servers use renderReportPdf). Synchronous;
 * the same model always gives the same bytes.
 */
export function renderModelToPdf(model: ReportModel): Buffer<ArrayBuffer> {
  return drawInThisThread(model);
}
