/**
 * Benchmark: importing a 100,000-row indicator file in our long format (checking every row, then inserting
 * every observation in one transaction). Each timed run gives the rows a new source, so every run inserts
 * 100,000 new observations rather than finding them already there. Run by scripts/bench.ts (`npm run bench`).
 */
import { SYSTEM_ACTOR } from "../app/audit/audit.server";
import { describeProblem, importIndicatorFile, isRefusal, planIndicatorImport } from "../app/risk/indicator-import.server";
import type { Bench, BenchContext } from "./bench-lib";

const ROWS = 100_000;
const INDICATORS = [
  ["unsupported_devices_pct", (i: number) => ((i * 37) % 1000) / 10],
  ["critical_patches_14d_pct", (i: number) => ((i * 53) % 1000) / 10],
  ["unacked_high_alerts_48h", (i: number) => i % 9],
  ["incidents_12m", (i: number) => i % 4],
  ["ceplus_current", (i: number) => i % 2],
] as const;

/** 100,000 rows: every open trust × five indicators × as many past days as it takes. */
function longFile(trustCodes: string[], source: string): string {
  const lines = ["ods_code,indicator,value,observed_on,source"];
  const day = Date.UTC(2026, 9, 31);
  for (let i = 0; lines.length <= ROWS; i++) {
    const trust = trustCodes[i % trustCodes.length]!;
    const [indicator, value] = INDICATORS[Math.floor(i / trustCodes.length) % INDICATORS.length]!;
    const observedOn = new Date(day - Math.floor(i / (trustCodes.length * INDICATORS.length)) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${trust},${indicator},${value(i)},${observedOn},${source}`);
  }
  return lines.join("\r\n") + "\r\n";
}

export async function run(bench: Bench, context: BenchContext) {
  const codes = (context.db.$client.prepare("SELECT ods_code FROM trusts WHERE closed_on IS NULL ORDER BY ods_code").all() as { ods_code: string }[]).map(
    (r) => r.ods_code,
  );
  const sample = longFile(codes, "Benchmark check");
  const megabytes = (Buffer.byteLength(sample) / 1e6).toFixed(1);
  const check = planIndicatorImport(sample, "bench.csv", { db: context.db });
  if (isRefusal(check)) throw new Error(`the benchmark file was refused: ${check.errors.slice(0, 3).map(describeProblem).join("; ")}`);

  let run = 0;
  const files = Array.from({ length: 8 }, (_, i) => longFile(codes, `Benchmark run ${i + 1}`));
  return [
    bench(`indicator file check only: ${ROWS.toLocaleString("en-GB")} rows, ${megabytes} MB`, () => planIndicatorImport(sample, "bench.csv", { db: context.db }), 3, 1),
    bench(
      `indicator import: ${ROWS.toLocaleString("en-GB")} rows checked and inserted in one transaction`,
      () => {
        const result = importIndicatorFile(files[run]!, `bench-${run}.csv`, SYSTEM_ACTOR, { db: context.db });
        run += 1;
        if (isRefusal(result) || result.inserted !== ROWS) throw new Error("the benchmark import did not insert every row");
      },
      3,
      1,
    ),
  ];
}
