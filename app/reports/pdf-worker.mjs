// @ts-check
/**
 * A render worker (worker_threads), kept warm by app/reports/render.server.ts for one render after another: it
 * receives { id, model } (the report model, structured-cloned), draws it with app/reports/pdf.mjs and posts back
 * { id, ok: true, pdf } (the bytes transferred, not copied) or { id, ok: false, name, message }. A render that runs
 * past its time limit is stopped by terminating the worker; a new one is started for the next render.
 *
 * Plain JavaScript loaded by path (never bundled), so the same file runs from the server build and under tests.
 */
import { parentPort } from "node:worker_threads";
import { renderModelToPdf } from "./pdf.mjs";

if (!parentPort) throw new Error("pdf-worker.mjs runs as a worker thread");
const port = parentPort;

port.on("message", (/** @type {{ id: number, model: import("./report-model").ReportModel }} */ { id, model }) => {
  try {
    const pdf = renderModelToPdf(model);
    // A Buffer from Buffer.concat owns its ArrayBuffer unless it is small (pooled): copy it then, so the transfer is safe.
    const owned = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? new Uint8Array(pdf.buffer) : new Uint8Array(pdf);
    port.postMessage({ id, ok: true, pdf: owned }, [owned.buffer]);
  } catch (error) {
    port.postMessage({ id, ok: false, name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  }
});
