/**
 * One writer of tests/integration/findings.test.ts ("50 writer processes"): a child process that opens the database
 * file through the app's own openDatabase and saves findings through the app's own saveFinding, as a server process
 * would. The test bundles this file with Vite into one ES module and forks plain `node` on it (50 processes start
 * several times faster that way); `fork(this file, [job], { execArgv: ["--import", "tsx"] })` runs it as it is.
 *
 * Over IPC: once its modules are loaded and the database is open it sends { type: "ready" }; it starts saving when
 * the parent sends { type: "go" } (so all writers start together); it sends { type: "done", results, errors } and
 * exits. It makes `job.saves` saves that are acknowledged as saved, each to a finding chosen at random (seeded)
 * among the shared ones and its own, each request with a new idempotency key; after a conflict it re-reads the
 * finding's version and saves again (a new key, the merged text). Every outcome and every error is reported, none
 * is thrown away, and a failed save is not retried (the test must see it).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { findingView, saveFinding } from "../../app/inspections/findings.server";
import { openDatabase } from "../../app/db.server";

export interface WriterJob {
  file: string;
  writer: number;
  userId: string;
  ownFindingId: string;
  sharedFindingIds: string[];
  /** Saves to make that end as saved (conflicts are retried and do not count). */
  saves: number;
  /** Chance of choosing a shared finding for a save, 0..1. */
  sharedShare: number;
  seed: number;
  /** Attempts per save before the writer gives up (reported as an error). */
  maxAttempts: number;
}

export interface WriterResult {
  writer: number;
  userId: string;
  key: string;
  findingId: string;
  baseVersion: number;
  text: string;
  outcome: "saved" | "conflict";
  /** The version saved, or the version that won the conflict. */
  version: number;
  /** The text of the finding the answer carried (for a conflict, the winner's). */
  answeredText: string;
  replayed: boolean;
}

export interface WriterError {
  writer: number;
  key: string | null;
  /** What the writer was doing: reading the finding's version, saving, or anything else (setting up). */
  step: "read" | "save" | "other";
  name: string;
  code: string | null;
  message: string;
  /** How long the failing call took, in milliseconds. */
  ms: number;
}

export type WriterMessage = { type: "ready"; writer: number } | { type: "done"; writer: number; results: WriterResult[]; errors: WriterError[]; ms: number };

/** mulberry32: a small seeded PRNG, so a writer's choices are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function describeError(writer: number, key: string | null, step: WriterError["step"], error: unknown, ms = 0): WriterError {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { writer, key, step, name: e.constructor.name === "Error" ? e.name : e.constructor.name, code: typeof code === "string" ? code : null, message: e.message, ms: Math.round(ms) };
}

export function runWriter(job: WriterJob, db = openDatabase(job.file)): { results: WriterResult[]; errors: WriterError[] } {
  const random = seededRandom(job.seed);
  const results: WriterResult[] = [];
  const errors: WriterError[] = [];
  const seen = new Map<string, number>();
  const versionOf = (findingId: string) => {
    const view = findingView(findingId, db);
    if (!view) throw new Error(`finding ${findingId} not found`);
    return view.version;
  };
  for (let save = 0; save < job.saves; save++) {
    const shared = random() < job.sharedShare;
    const findingId = shared ? job.sharedFindingIds[Math.floor(random() * job.sharedFindingIds.length)]! : job.ownFindingId;
    let text = `writer ${job.writer} save ${save}`;
    for (let attempt = 0; ; attempt++) {
      if (attempt >= job.maxAttempts) {
        errors.push({ writer: job.writer, key: null, step: "save", name: "GaveUp", code: null, message: `save ${save} still in conflict after ${attempt} attempts`, ms: 0 });
        break;
      }
      const key = `writer-w${String(job.writer).padStart(3, "0")}-s${String(save).padStart(4, "0")}-a${String(attempt).padStart(3, "0")}`;
      let step: WriterError["step"] = "read";
      const started = performance.now();
      try {
        if (!seen.has(findingId)) seen.set(findingId, versionOf(findingId));
        const baseVersion = seen.get(findingId)!;
        step = "save";
        const answer = saveFinding(findingId, { idempotencyKey: key, baseVersion, fields: { observed: text } }, { id: job.userId }, db);
        const finding = answer.outcome === "saved" ? answer.finding : answer.current;
        results.push({
          writer: job.writer,
          userId: job.userId,
          key,
          findingId,
          baseVersion,
          text,
          outcome: answer.outcome,
          version: finding.version,
          answeredText: finding.observed,
          replayed: answer.replayed,
        });
        if (answer.outcome === "saved") {
          seen.set(findingId, finding.version);
          break;
        }
        // Someone else saved first: re-read the finding, merge, and save again on its version.
        step = "read";
        seen.set(findingId, versionOf(findingId));
        text = `writer ${job.writer} save ${save} merged after attempt ${attempt}`;
      } catch (error) {
        errors.push(describeError(job.writer, key, step, error, performance.now() - started));
        // A refused save is not retried: the test fails on any error, and retrying would hide it.
        break;
      }
    }
  }
  return { results, errors };
}

/** Run as a child process: the job is the first argument, and the parent drives it over IPC. */
function main() {
  const job = JSON.parse(process.argv[2] ?? "") as WriterJob;
  const send = (message: WriterMessage) => new Promise<void>((resolve, reject) => process.send!(message, undefined, {}, (e) => (e ? reject(e) : resolve())));
  const db = openDatabase(job.file);
  process.once("message", (message: { type?: string }) => {
    if (message.type !== "go") throw new Error(`unexpected message ${JSON.stringify(message)}`);
    const started = performance.now();
    let outcome: { results: WriterResult[]; errors: WriterError[] };
    try {
      outcome = runWriter(job, db);
    } catch (error) {
      outcome = { results: [], errors: [describeError(job.writer, null, "other", error)] };
    }
    const ms = Math.round(performance.now() - started);
    db.$client.close();
    void send({ type: "done", writer: job.writer, ...outcome, ms }).then(() => process.disconnect());
  });
  void send({ type: "ready", writer: job.writer });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
