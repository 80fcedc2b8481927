/**
 * Benchmark: the selection draw (runDraw) over every open trust — 202 candidates — with a capacity of 30.
 * Target: a median of 20 ms or less. The candidates are the benchmark database's real ranking (scores, bands and
 * weights as a round's snapshot would have them); without a database, a synthetic set of 202. Only the draw is
 * timed, not the ranking (scripts/bench-risk.ts times that). Run by scripts/bench.ts (`npm run bench`).
 */
import { createHash } from "node:crypto";
import { runDraw, weightForScore, WEIGHTING, type Candidate, type DrawSnapshot } from "../app/selection/draw";
import type { Bench, BenchContext } from "./bench-lib";

const CAPACITY = 30;

function snapshotOf(candidates: Candidate[]): DrawSnapshot {
  return {
    formatVersion: 1,
    rules: { capacity: CAPACITY, minMonthsSinceInspection: 12, validationShare: 0.1, validationBands: [4, 5, 6] },
    modelVersion: { id: 1, name: "Benchmark" },
    asOf: "2026-11-30",
    takenAt: "2026-11-30T09:00:00.000Z",
    weighting: WEIGHTING,
    candidates,
  };
}

/** 202 candidates with scores spread over 0–100, a few of them band 1, and one in ten picked in another round. */
export function syntheticCandidates(size = 202): Candidate[] {
  return Array.from({ length: size }, (_, i) => {
    const score = ((i * 7919) % 1000) / 10;
    const band = score >= 90 ? 1 : score >= 70 ? 2 : score >= 50 ? 3 : score >= 30 ? 4 : score >= 15 ? 5 : 6;
    return {
      trustCode: `R${i.toString(36).toUpperCase().padStart(2, "0")}`,
      name: `Trust ${i}`,
      score,
      band,
      weight: weightForScore(score),
      lastInspectedOn: null,
      criticalNotAchievedDue: false,
      excluded: i % 10 === 9 ? "picked-in-another-round" : null,
    };
  });
}

async function rankedCandidates(context: BenchContext): Promise<Candidate[]> {
  const { currentRanking } = await import("../app/risk/ranking.server");
  return currentRanking(context.asOf, context.db).rows.map((row) => ({
    trustCode: row.trustCode,
    name: row.name,
    score: row.score,
    band: row.band,
    weight: weightForScore(row.score),
    lastInspectedOn: null,
    criticalNotAchievedDue: false,
    excluded: null,
  }));
}

export async function run(bench: Bench, context?: BenchContext) {
  const candidates = context ? await rankedCandidates(context) : syntheticCandidates();
  const snapshot = snapshotOf(candidates);
  const seed = createHash("sha256").update("bench-selection").digest("hex");
  const picks = runDraw(snapshot, seed);
  if (picks.length === 0) throw new Error("the draw picked nothing");
  return [bench(`selection draw: ${candidates.length} candidates, capacity ${CAPACITY} (target ≤ 20 ms)`, () => runDraw(snapshot, seed), 200)];
}
