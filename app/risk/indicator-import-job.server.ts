/**
 * One indicator file check or import as the page runs it, in a worker thread (app/risk/indicator-import-worker.mjs,
 * started by app/risk/indicator-import-worker.server.ts). This module is part of the server build: the worker loads
 * the build and calls runIndicatorJob, exported from app/entry.server.tsx.
 *
 * The commit gate is shared memory between the worker and the server's thread: 0 while the job runs, 1 once the job
 * has claimed the right to COMMIT, 2 once the server has stopped it. Whichever side changes it from 0 first wins, so
 * an import is either stopped before its COMMIT (and rolled back) or allowed to finish its COMMIT; never stopped
 * halfway through it, and never reported as stopped when it was written.
 */
import type { Actor } from "../audit/audit.server";
import { importIndicatorFile, isRefusal, planIndicatorImport, type ImportSummary, type Refusal } from "./indicator-import.server";

export const GATE_RUNNING = 0;
export const GATE_COMMITTING = 1;
export const GATE_STOPPED = 2;

export interface IndicatorJob {
  /** "check": the dry run; "import": the import. */
  intent: "check" | "import";
  text: string;
  filename: string;
  actor: Actor;
}

export type IndicatorJobResult = { refusal: Refusal } | { summary: ImportSummary };

/** Thrown inside the import's transaction when the server stopped the job first: the import is rolled back. */
export class IndicatorJobStoppedBeforeCommit extends Error {
  constructor() {
    super("The import was stopped before it was written");
    this.name = "IndicatorJobStoppedBeforeCommit";
  }
}

/** Runs the check or the import (in the calling thread). With a gate, the import commits only if it claims it first. */
export function runIndicatorJob(job: IndicatorJob, gate?: Int32Array): IndicatorJobResult {
  const beforeCommit = gate
    ? () => {
        if (Atomics.compareExchange(gate, 0, GATE_RUNNING, GATE_COMMITTING) !== GATE_RUNNING) throw new IndicatorJobStoppedBeforeCommit();
      }
    : undefined;
  const result =
    job.intent === "import" ? importIndicatorFile(job.text, job.filename, job.actor, { beforeCommit }) : planIndicatorImport(job.text, job.filename);
  if (isRefusal(result)) return { refusal: { errors: result.errors, totalErrors: result.totalErrors } };
  const summary: ImportSummary = {
    format: result.format,
    fileName: result.fileName,
    sha256: result.sha256,
    rows: result.rows,
    observations: result.observations,
    inserted: result.inserted,
    alreadyPresent: result.alreadyPresent,
    skippedUnknownTrusts: result.skippedUnknownTrusts,
    skippedTrustCodes: result.skippedTrustCodes,
    byIndicator: result.byIndicator,
    notes: result.notes,
    earlierImports: result.earlierImports,
  };
  return { summary };
}
