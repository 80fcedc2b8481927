/**
 * The indicator import page's check and import, OFF the request thread: each job runs in a worker thread of its own
 * (app/risk/indicator-import-worker.mjs, which loads the server build and calls runIndicatorJob), with a time limit
 * (IMPORT_TIME_LIMIT_SECONDS, from when the worker has loaded the app and starts the job). See docs/decisions/0023-imports-off-the-request-thread.md.
 *
 * - One job at a time, in the whole server: a check or import asked for while one runs is refused at once with
 *   IndicatorJobStopped("busy"), changing nothing (a 20 MB file takes seconds and a core; queueing them would only
 *   make people wait without knowing why).
 * - A job still running at its limit is stopped with nothing changed: the server takes the commit gate (see
 *   app/risk/indicator-import-job.server.ts) and terminates the worker, whose connection is closed as the thread
 *   ends, rolling back any open transaction and releasing the write lock. If the import had already claimed the gate
 *   it is in its COMMIT (milliseconds): it is let finish, and its result is reported as usual.
 * - The promise settles only once the worker has exited, so when a stopped job is reported, its transaction is
 *   already rolled back, and the next job cannot start before that.
 *
 * The worker loads build/index.js: this runs only in the built server (npm run build), as it does in production
 * and under the integration tests.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { getConfig } from "../config.server";
import { projectPath } from "../project-root.server";
import { GATE_RUNNING, GATE_STOPPED, type IndicatorJob, type IndicatorJobResult } from "./indicator-import-job.server";

/** The longest a worker may take to load the app (build/index.js) before its job's own time limit starts. */
export const WORKER_START_LIMIT_MS = 30_000;

/** The most memory (old generation) an import worker may use: a 20 MB file needs about 400 MB. */
export const IMPORT_MEMORY_LIMIT_MB = 1536;

/** The job did not run to its end, and nothing was changed. */
export class IndicatorJobStopped extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "busy",
  ) {
    super(message);
    this.name = "IndicatorJobStopped";
  }
}

export interface WorkerOptions {
  /** Default: IMPORT_TIME_LIMIT_SECONDS. */
  timeLimitMs?: number;
  /** The server build the worker loads (default build/index.js in the project). */
  buildPath?: string;
}

let running = false;

/** Whether a check or import is running now. */
export const indicatorJobRunning = () => running;

/**
 * Runs the check or import in a worker thread. Resolves with the refusal or the summary; rejects with
 * IndicatorJobStopped when another job is running ("busy") or this one ran past its limit ("timeout"), both with
 * nothing changed, or with the worker's error if it failed.
 */
export function runIndicatorJobInWorker(job: IndicatorJob, options: WorkerOptions = {}): Promise<IndicatorJobResult> {
  if (running) {
    return Promise.reject(new IndicatorJobStopped("Another indicator file is being checked or imported", "busy"));
  }
  const timeLimitMs = options.timeLimitMs ?? getConfig().IMPORT_TIME_LIMIT_SECONDS * 1000;
  const buildUrl = pathToFileURL(options.buildPath ?? projectPath("build", "index.js")).href;
  const gate = new Int32Array(new SharedArrayBuffer(4));
  running = true;
  return new Promise<IndicatorJobResult>((resolve, reject) => {
    let result: IndicatorJobResult | undefined;
    let failure: Error | undefined;
    let timedOut = false;
    let worker: Worker;
    try {
      worker = new Worker(new URL(pathToFileURL(projectPath("app", "risk", "indicator-import-worker.mjs"))), {
        workerData: { buildUrl, job, gate },
        resourceLimits: { maxOldGenerationSizeMb: IMPORT_MEMORY_LIMIT_MB },
      });
    } catch (error) {
      running = false;
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const stop = () => {
      // Stop the job unless it has already claimed its COMMIT (then it is let finish).
      if (Atomics.compareExchange(gate, 0, GATE_RUNNING, GATE_STOPPED) === GATE_RUNNING) {
        timedOut = true;
        void worker.terminate();
      }
    };
    // Loading the app in the worker (about a second) is bounded on its own; the job's limit starts once it is loaded.
    let limit = setTimeout(stop, WORKER_START_LIMIT_MS);
    worker.on("message", (message: { ready: true } | { result: IndicatorJobResult }) => {
      if ("ready" in message) {
        clearTimeout(limit);
        limit = setTimeout(stop, timeLimitMs);
        return;
      }
      result = message.result;
      // Its work is done (committed, if an import): end the thread now rather than wait for it to wind down.
      void worker.terminate();
    });
    worker.on("error", (error) => {
      failure = error;
    });
    worker.on("exit", () => {
      clearTimeout(limit);
      running = false;
      if (result) resolve(result);
      else if (timedOut) {
        const seconds = Math.round(timeLimitMs / 100) / 10;
        const unit = seconds === 1 ? "second" : "seconds";
        reject(new IndicatorJobStopped(`The file took longer than ${seconds.toLocaleString("en-GB")} ${unit} and was stopped`, "timeout"));
      } else reject(failure ?? new Error("The indicator import's worker stopped without an answer"));
    });
  });
}
