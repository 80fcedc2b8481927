// @ts-check
/**
 * An indicator file check or import in a worker thread, started for one job by
 * app/risk/indicator-import-worker.server.ts: it loads the server build (the app's TypeScript, compiled by Remix into
 * build/index.js), says it is ready (the time limit counts from then), runs runIndicatorJob
 * (app/risk/indicator-import-job.server.ts) with the job and the commit gate from workerData, and posts back the result. The job opens its own database connection (getDb: the same
 * DATABASE_PATH from the environment, the same pragmas). A job past its time limit is stopped by terminating this
 * thread: better-sqlite3 closes the connection as the thread ends, which rolls back a transaction left open and
 * releases the write lock.
 *
 * Plain JavaScript loaded by path (never bundled), like app/reports/pdf-worker.mjs.
 */
import { parentPort, workerData } from "node:worker_threads";

if (!parentPort) throw new Error("indicator-import-worker.mjs runs as a worker thread");
const port = parentPort;

const { buildUrl, job, gate } = /** @type {{ buildUrl: string, job: import("./indicator-import-job.server").IndicatorJob, gate: Int32Array }} */ (workerData);
const build = await import(buildUrl);
/** @type {typeof import("./indicator-import-job.server").runIndicatorJob} */
const runIndicatorJob = build.entry.module.runIndicatorJob;
if (typeof runIndicatorJob !== "function") throw new Error(`The server build at ${buildUrl} does not export runIndicatorJob: run npm run build`);
// The app is loaded: the job's time limit starts now.
port.postMessage({ ready: true });
port.postMessage({ result: runIndicatorJob(job, gate) });
