/**
 * Benchmark: the visit planner (planVisits) for a quarter — 60 picks, 30 inspectors, 13 weeks from 5 January to
 * 3 April 2026 (Good Friday included) — with realistic leave (two or three spells a quarter each), part-time
 * inspectors, conflicts of interest, and 20 visits already booked. Synthetic but seeded, so every run plans the
 * same thing. Target: a median of 1000 ms or less. Run by scripts/bench.ts (`npm run bench`).
 */
import { uniformStream } from "../app/selection/random";
import { planVisits, type Inspector, type PlanInput, type PlannerPick } from "../app/scheduling/planner";
import { addCalendarDays } from "../app/scheduling/working-days";
import type { Bench } from "./bench-lib";

const SEED = "5c0e0d1e".repeat(8);
const START = "2026-01-05";
const WEEKS = 13;
const HOLIDAYS = new Set(["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]);

/** NHS England's seven regions, with a rough centre each. */
const REGIONS = [
  { code: "Y56", lat: 51.5, lon: -0.12 },
  { code: "Y58", lat: 50.9, lon: -3.2 },
  { code: "Y59", lat: 51.2, lon: -0.8 },
  { code: "Y60", lat: 52.6, lon: -1.6 },
  { code: "Y61", lat: 52.2, lon: 0.4 },
  { code: "Y62", lat: 53.6, lon: -2.4 },
  { code: "Y63", lat: 54.2, lon: -1.5 },
];

/** A quarter's planning input, generated from a fixed seed (the synthetic data's own random stream). */
export function quarterInput(): PlanInput {
  const random = uniformStream("d1ce".repeat(16), 0);
  const int = (n: number) => Math.floor(random.next() * n);
  const near = (region: (typeof REGIONS)[number]) => ({ lat: region.lat + (random.next() - 0.5) * 1.2, lon: region.lon + (random.next() - 0.5) * 1.6 });
  const trustCodes = Array.from({ length: 60 }, (_, i) => `R${(100 + i).toString(36).toUpperCase()}`);

  const picks: PlannerPick[] = trustCodes.map((trustCode, i) => {
    const region = REGIONS[int(REGIONS.length)]!;
    return { trustCode, trustName: `Trust ${trustCode}`, regionCode: region.code, location: i % 15 === 14 ? null : near(region), priority: i + 1 };
  });
  const inspectors: Inspector[] = Array.from({ length: 30 }, (_, i) => {
    const region = REGIONS[i % REGIONS.length]!;
    const leave = Array.from({ length: 2 + int(2) }, () => {
      const start = addCalendarDays(START, int(WEEKS * 7));
      return { start, end: addCalendarDays(start, int(10)) };
    });
    return {
      id: `inspector-${String(i + 1).padStart(2, "0")}`,
      name: `Inspector ${i + 1}`,
      homeRegionCode: region.code,
      base: i % 10 === 9 ? null : near(region),
      skills: i % 3 === 0 ? ["technical_testing", "governance_risk"] : i % 3 === 1 ? ["technical_testing"] : ["governance_risk"],
      maxVisitsPerWeek: 1 + int(2),
      nonWorkingWeekdays: i % 4 === 3 ? [5] : i % 7 === 6 ? [1, 3] : [],
      leave,
      conflicts: Array.from({ length: int(3) }, () => ({ trustCode: trustCodes[int(trustCodes.length)]!, until: random.next() < 0.5 ? null : addCalendarDays(START, int(WEEKS * 7)) })),
    };
  });
  const existingVisits = Array.from({ length: 20 }, (_, i) => ({
    date: addCalendarDays(START, int(WEEKS * 7)),
    inspectorIds: [inspectors[int(30)]!.id, inspectors[int(30)]!.id],
    trustCode: `X${i}`,
  }));
  return { seed: SEED, period: { start: START, end: addCalendarDays(START, WEEKS * 7 - 3) }, holidays: HOLIDAYS, picks, inspectors, existingVisits };
}

export async function run(bench: Bench) {
  const input = quarterInput();
  return [bench("planner: 60 visits, 30 inspectors, one quarter (target ≤ 1000 ms)", () => planVisits(input), 10)];
}
