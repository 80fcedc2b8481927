/**
 * Benchmark: the risk ranking. (a) Loading the latest observations, scoring and ranking every open trust with the
 * current model — what the ranking page and a selection draw do (target: median ≤ 50 ms); (b) the scoring alone;
 * (c) the latest-observations query alone; (d) one trust's history for its page. Run by scripts/bench.ts.
 */
import { scoreTrust } from "../app/risk/model";
import { currentModel, currentRanking, indicatorInfo, latestObservations, observationHistory } from "../app/risk/ranking.server";
import { trusts } from "../db/schema";
import type { Bench, BenchContext } from "./bench-lib";

export async function run(bench: Bench, { db, asOf, openTrusts }: BenchContext) {
  const ranking = currentRanking(asOf, db);
  if (ranking.rows.length !== openTrusts) throw new Error(`ranked ${ranking.rows.length} trusts, expected ${openTrusts}`);

  const config = currentModel(db).config;
  const latest = latestObservations(asOf, db);
  const labels = Object.fromEntries([...indicatorInfo(db).values()].map((i) => [i.code, i.label]));
  const inputs = db
    .select({ code: trusts.odsCode, broadType: trusts.broadType, isAmbulance: trusts.isAmbulance })
    .from(trusts)
    .all()
    .map((t) => ({ ...t, isMtc: false, observations: latest.get(t.code) ?? [], labels }));

  return [
    bench(`risk ranking: latest observations + score + rank, ${openTrusts} open trusts (target ≤ 50 ms)`, () => currentRanking(asOf, db), 50),
    bench(`risk scoring alone: ${inputs.length} trusts, observations in memory`, () => inputs.map((i) => scoreTrust(i, config, asOf)), 200),
    bench("latest observations query alone (one query, every trust and indicator)", () => latestObservations(asOf, db), 50),
    bench("one trust's history for its risk page (RJ1)", () => observationHistory("RJ1", db), 100),
  ];
}
