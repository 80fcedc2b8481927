/**
 * The benchmark helper shared by the bench modules (scripts/bench-*.ts), run by scripts/bench.ts (`npm run bench`).
 *
 * A bench module exports `run(bench, context)` and returns the results of its `bench(...)` calls:
 *
 *   export async function run(bench: Bench, context: BenchContext) {
 *     return [bench("my thing (target ≤ 20 ms)", () => doIt(context.db), 100)];
 *   }
 *
 * Put the target in the name as "(target ≤ N ms)": the report marks each result against it.
 */
import type { Db } from "../app/db.server";

export interface BenchResult {
  name: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/**
 * Times a synchronous function: `warmup` untimed calls (so the JIT and SQLite's caches settle), then `runs` timed
 * ones. Returns the median, 95th percentile, fastest and slowest, in milliseconds.
 */
export function bench(name: string, fn: () => unknown, runs = 50, warmup = Math.max(3, Math.min(20, Math.ceil(runs / 5)))): BenchResult {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`${name}: runs must be a whole number above 0`);
  for (let i = 0; i < warmup; i++) {
    if (fn() instanceof Promise) throw new Error(`${name}: bench times synchronous functions only`);
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(q * times.length) - 1))]!;
  const mid = times.length / 2;
  const median = times.length % 2 ? times[Math.floor(mid)]! : (times[mid - 1]! + times[mid]!) / 2;
  return { name, runs, medianMs: median, p95Ms: at(0.95), minMs: times[0]!, maxMs: times[times.length - 1]! };
}

export type Bench = typeof bench;

/** What scripts/bench.ts gives every bench module: a temporary database with the register and 5 years of history. */
export interface BenchContext {
  db: Db;
  databaseFile: string;
  /** A directory the module may write scratch files in (deleted afterwards). */
  tempDir: string;
  /** The date the benchmarks score as of (yyyy-mm-dd). */
  asOf: string;
  openTrusts: number;
  observations: number;
}

export interface BenchModule {
  run(bench: Bench, context: BenchContext): BenchResult[] | Promise<BenchResult[]>;
}

/** The target in a result's name ("(target ≤ 50 ms)"), if any. */
export function targetOf(name: string): number | null {
  const match = /target\s*(?:≤|<=)\s*([\d.]+)\s*ms/i.exec(name);
  return match ? Number(match[1]) : null;
}
