/**
 * Indicator history for the demo install, in two parts (docs/indicators.md, "Demo history"):
 *
 * 1. Real data: the two NHS England DSPT snapshots in db/reference (2021/22 with its Windows 10 device
 *    figures, and 2022/23), loaded through the same import code as any uploaded file, under their own source
 *    names and NOT marked as demo (is_demo false): they are facts. They are loaded only with the demo data, so
 *    an install with DEMO_DATA=off starts with no indicator history at all; an admin can import the same files
 *    from db/reference on the Import indicators page.
 * 2. Synthetic data, marked as demo (is_demo true, source "Deep Dive demo generator (seed N)"): monthly values
 *    on the 1st of each month for the 60 months up to 1 November 2026 for every open trust (from the month it
 *    opened) for unsupported_devices_pct, critical_patches_14d_pct, unacked_high_alerts_48h, ceplus_current and
 *    incidents_12m, and DSPT statuses for 2023/24 to 2025/26 drifting from the trust's real status.
 *
 * Calibration (db/reference/calibration_stats.csv):
 * - Every trust has a persistent "weakness" (about standard normal; higher is worse) from its real DSPT statuses
 *   plus seeded noise, and about 1 trust in 17 is "struggling" (weakness + 1.3). Every indicator leans on it,
 *   so the indicators agree with each other and some trusts are clearly worse.
 * - Unsupported devices: log-normal with median 0.86% and log-sd 1.97, which reproduces the 2021/22 snapshot
 *   (median 0.86% of Windows 10 devices unsupported; 23 of 215 trusts over 10%, 4 over 50%). A trust with a real
 *   2021/22 figure is anchored to it in September 2022. Then a slow improvement (-15% a year) and, assumed, a
 *   jump after Windows 10 support ended on 14 October 2025 that weaker trusts take months to clear.
 * - DSPT 2023/24 to 2025/26: the trust's latest real status (2022/23, else 2021/22) drifting one step at most a
 *   year, weaker trusts more likely to slip; trusts with no real status get one by weakness with the 2022/23
 *   shares (15 exceeded, 138 met, 57 approaching of 211). Dated in the last three weeks of June.
 * - No published figures exist for the others; these are stated assumptions: critical patches within 14 days
 *   median about 80%, lower for weaker trusts; high-severity alerts not acknowledged in 48 hours about 2 a year
 *   for a median trust; cyber incidents about 1 a year (both rolling 12-month sums of monthly Poisson counts);
 *   Cyber Essentials Plus: none in 2018 (0 of 200 assessed trusts passed), about 1 in 10 trusts certified by
 *   late 2021 rising to about 1 in 3 by 2026, certificates lasting 12 months and not always renewed.
 *
 * Deterministic: each trust's numbers come from seededRandom(seed, trust code), so the same seed gives the same
 * history, and adding a trust does not change the others. About 61,000 rows in one transaction.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { indicatorImports, indicatorObservations, trusts } from "./schema";
import { recordAudit, SYSTEM_ACTOR } from "../app/audit/audit.server";
import { writeTransaction, type Db } from "../app/db.server";
import { projectPath } from "../app/project-root.server";
import { DSPT_STATUSES, type DsptStatus } from "../app/risk/indicator-catalogue";
import { importIndicatorFile, insertObservations, isRefusal, type Observation } from "../app/risk/indicator-import.server";
import { ensureBuiltInIndicators } from "../app/risk/indicators.server";
import { seededRandom } from "./seed.server";

/** The real DSPT snapshots loaded with the demo data, oldest first. */
export const REAL_DSPT_SNAPSHOTS = ["dspt_trusts_2021-22_snapshot_2022-09-09.csv", "dspt_trusts_2022-23_snapshot_2023-11-16.csv"] as const;
/** The last month of the synthetic history, and how many months it covers. */
export const DEMO_HISTORY_END = "2026-11-01";
export const DEMO_HISTORY_MONTHS = 60;

export const demoSource = (seed: number) => `Deep Dive demo generator (seed ${seed})`;
const demoImportId = (seed: number) => `demo-${seed}`;

// Calibration constants (see the comment above and docs/indicators.md).
const DEVICE_MEDIAN_PCT = 0.86;
const DEVICE_LOG_SD = 1.97;
const DEVICE_ANCHOR_MONTH = "2022-09-01";
const WIN10_END_OF_SUPPORT_MONTH = "2025-11-01"; // the first month start after 14 October 2025
const STRUGGLING_SHARE = 0.06;
/** How a real DSPT status moves a trust's weakness. */
const STATUS_WEAKNESS: Record<DsptStatus, number> = { exceeded: -1.4, met: -0.3, approaching: 0.9, not_met: 1.8, not_published: 0.6 };
/**
 * A year's chance of a DSPT status slipping or improving one step, by status (exceeded, met, approaching,
 * not met), for a trust of median weakness. Their steady state is about 7% exceeded, 66% met, 25% approaching
 * and 2% not met, the 2022/23 shares.
 */
const DSPT_WORSEN = [0.25, 0.1, 0.03, 0];
const DSPT_IMPROVE = [0, 0.03, 0.3, 0.6];

export interface DemoIndicatorReport {
  realObservations: number;
  demoObservations: number;
  trusts: number;
}

/** FNV-1a of the text mixed with the seed: each trust's own stream of numbers. */
function trustSeed(seed: number, code: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < code.length; i++) {
    h ^= code.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Knuth's method: fine for the small rates used here. */
function poisson(random: () => number, rate: number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** The first of the month, `offset` months after the first of `start`'s month (yyyy-mm-01). */
function addMonths(start: string, offset: number): string {
  const [y, m] = start.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

const monthsBetween = (from: string, to: string) => {
  const [y1, m1] = from.split("-").map(Number) as [number, number];
  const [y2, m2] = to.split("-").map(Number) as [number, number];
  return (y2 - y1) * 12 + (m2 - m1);
};

interface TrustFacts {
  code: string;
  openedOn: string | null;
  /** Real statuses, oldest first. */
  statuses: DsptStatus[];
  /** The real 2021/22 share of Windows 10 devices unsupported, if published. */
  devicePct: number | null;
}

type Row = Omit<Observation, "line">;

/** One trust's synthetic history. Pure: the same facts and seed give the same rows. */
export function demoHistoryForTrust(facts: TrustFacts, seed: number): Row[] {
  const random = seededRandom(trustSeed(seed, facts.code));
  const source = demoSource(seed);
  const rows: Row[] = [];
  const push = (indicatorCode: string, observedOn: string, value: number, period: string | null = null) =>
    rows.push({ trustCode: facts.code, indicatorCode, value: String(value), numericValue: value, observedOn, period, source });

  // The trust's persistent weakness (higher is worse).
  const evidence = facts.statuses.length > 0 ? facts.statuses.reduce((s, v) => s + STATUS_WEAKNESS[v], 0) / facts.statuses.length : normal(random) * 0.8;
  const struggling = random() < STRUGGLING_SHARE;
  const weakness = 0.7 * evidence + 0.6 * normal(random) + (struggling ? 1.3 : 0);

  const first = addMonths(DEMO_HISTORY_END, -(DEMO_HISTORY_MONTHS - 1));
  const opened = facts.openedOn && facts.openedOn > first ? facts.openedOn : first;

  // Unsupported devices: the trust's place in the log-normal, anchored to its real figure when there is one.
  const realZ = facts.devicePct !== null ? (Math.log(Math.max(facts.devicePct, 0.01)) - Math.log(DEVICE_MEDIAN_PCT)) / DEVICE_LOG_SD : null;
  const deviceZ = realZ !== null ? 0.85 * realZ + 0.25 * normal(random) : 0.55 * weakness + 0.8 * normal(random);
  const win10Jump = Math.max(0, 3 + 4 * weakness + 3 * normal(random)); // percentage points, assumed
  let deviceNoise = 0;
  // Critical patches: median about 80% (logit 1.4), lower for weaker trusts.
  const patchLevel = 1.4 - 0.7 * weakness + 0.3 * normal(random);
  let patchNoise = 0;
  // Monthly event rates: alerts not acknowledged, incidents.
  const alertRate = Math.exp(-1.8 + 0.8 * weakness + 0.3 * normal(random));
  const incidentRate = Math.exp(-2.6 + 0.6 * weakness + 0.3 * normal(random));
  const alerts: number[] = [];
  const incidents: number[] = [];
  // Cyber Essentials Plus: certified or not, and for how many months.
  let certifiedFor = random() < sigmoid(-2.4 - 0.9 * weakness) ? Math.floor(random() * 12) : -1;
  const renewal = Math.min(0.95, Math.max(0.3, 0.75 - 0.15 * weakness));

  for (let m = -12; m < DEMO_HISTORY_MONTHS; m++) {
    const month = addMonths(first, m);
    const years = monthsBetween(first, month) / 12;
    alerts.push(poisson(random, alertRate * Math.exp(-0.1 * years)));
    incidents.push(poisson(random, incidentRate));
    if (alerts.length > 12) alerts.shift();
    if (incidents.length > 12) incidents.shift();
    deviceNoise = 0.85 * deviceNoise + 0.2 * normal(random);
    patchNoise = 0.8 * patchNoise + 0.25 * normal(random);
    if (certifiedFor >= 0) {
      certifiedFor++;
      if (certifiedFor >= 12) certifiedFor = random() < renewal ? 0 : -1;
    } else if (random() < sigmoid(-5 - 0.8 * weakness + 0.15 * years)) {
      certifiedFor = 0;
    }
    if (m < 0 || month < opened.slice(0, 7) + "-01") continue;

    const sinceAnchor = monthsBetween(DEVICE_ANCHOR_MONTH, month) / 12;
    let devices = DEVICE_MEDIAN_PCT * Math.exp(DEVICE_LOG_SD * deviceZ - 0.15 * sinceAnchor + deviceNoise);
    if (month >= WIN10_END_OF_SUPPORT_MONTH) devices += win10Jump * Math.exp(-monthsBetween(WIN10_END_OF_SUPPORT_MONTH, month) / 6);
    push("unsupported_devices_pct", month, round(Math.min(100, Math.max(0, devices)), 2));
    push("critical_patches_14d_pct", month, round(100 * sigmoid(patchLevel + 0.1 * years + patchNoise), 1));
    push("unacked_high_alerts_48h", month, Math.min(1000, alerts.reduce((a, b) => a + b, 0)));
    push("ceplus_current", month, certifiedFor >= 0 ? 1 : 0);
    push("incidents_12m", month, Math.min(1000, incidents.reduce((a, b) => a + b, 0)));
  }

  // DSPT 2023/24 to 2025/26, drifting from the latest real status.
  const ranked = DSPT_STATUSES.slice(0, 4) as readonly DsptStatus[];
  const real = [...facts.statuses].reverse().find((s) => s !== "not_published");
  let level = real ? ranked.indexOf(real) : weakness < -1.2 ? 0 : weakness < 0.6 ? 1 : weakness < 1.9 ? 2 : 3;
  for (const [period, deadline] of [
    ["2023/24", "2024-06-30"],
    ["2024/25", "2025-06-30"],
    ["2025/26", "2026-06-30"],
  ] as const) {
    // One step a year at most; the base rates keep the 2022/23 shares steady, weakness tilts them.
    const worsen = Math.min(0.6, DSPT_WORSEN[level]! * Math.exp(0.5 * weakness));
    const improve = Math.min(0.6, DSPT_IMPROVE[level]! * Math.exp(-0.5 * weakness));
    const r = random();
    if (r < worsen) level = Math.min(3, level + 1);
    else if (r < worsen + improve) level = Math.max(0, level - 1);
    const day = 30 - Math.floor(random() * 20);
    const observedOn = `${deadline.slice(0, 8)}${String(day).padStart(2, "0")}`;
    if (facts.openedOn && facts.openedOn > observedOn) continue;
    const status = random() < 0.005 ? "not_published" : ranked[level]!;
    rows.push({
      trustCode: facts.code,
      indicatorCode: "dspt_status",
      value: status,
      numericValue: DSPT_STATUSES.indexOf(status),
      observedOn,
      period,
      source,
    });
  }
  return rows;
}

/** The real statuses and device figures already loaded, by trust. */
function realFacts(db: Db): Map<string, Pick<TrustFacts, "statuses" | "devicePct">> {
  const rows = db.$client
    .prepare(
      `SELECT trust_code AS code, indicator_code AS indicator, value, observed_on AS observedOn FROM indicator_observations
       WHERE is_demo = 0 AND indicator_code IN ('dspt_status', 'unsupported_devices_pct') ORDER BY observed_on`,
    )
    .all() as { code: string; indicator: string; value: string; observedOn: string }[];
  const facts = new Map<string, Pick<TrustFacts, "statuses" | "devicePct">>();
  for (const row of rows) {
    let f = facts.get(row.code);
    if (!f) facts.set(row.code, (f = { statuses: [], devicePct: null }));
    if (row.indicator === "dspt_status") f.statuses.push(row.value as DsptStatus);
    else f.devicePct = Number(row.value);
  }
  return facts;
}

/**
 * Loads the real DSPT snapshots and the synthetic history (see the top of this file). Called by the demo seed;
 * does nothing the second time for the same seed.
 */
export function seedDemoIndicators(db: Db, seed: number): DemoIndicatorReport {
  ensureBuiltInIndicators(db);
  if (db.select({ n: count() }).from(indicatorImports).where(eq(indicatorImports.id, demoImportId(seed))).get()!.n > 0) {
    return { realObservations: 0, demoObservations: 0, trusts: 0 };
  }

  let realObservations = 0;
  for (const file of REAL_DSPT_SNAPSHOTS) {
    const text = readFileSync(projectPath("db", "reference", file), "utf8");
    const result = importIndicatorFile(text, file, SYSTEM_ACTOR, { db });
    if (isRefusal(result)) {
      throw new Error(`db/reference/${file} was refused: ${result.errors.map((e) => `line ${e.line}: ${e.reason}`).join("; ")}`);
    }
    realObservations += result.inserted;
  }

  const facts = realFacts(db);
  const open = db
    .select({ code: trusts.odsCode, openedOn: trusts.openedOn, closedOn: trusts.closedOn })
    .from(trusts)
    .all()
    .filter((t) => !t.closedOn)
    .sort((a, b) => a.code.localeCompare(b.code));
  const rows = open.flatMap((t) => demoHistoryForTrust({ code: t.code, openedOn: t.openedOn, statuses: [], devicePct: null, ...facts.get(t.code) }, seed));

  const importId = demoImportId(seed);
  const now = new Date().toISOString();
  const inserted = writeTransaction((tx) => {
    tx.insert(indicatorImports)
      .values({
        id: importId,
        fileName: "Deep Dive demo generator",
        sha256: createHash("sha256").update(`${demoSource(seed)} to ${DEMO_HISTORY_END}`).digest("hex"),
        format: "demo",
        rowCount: rows.length,
        insertedCount: 0,
        importedBy: SYSTEM_ACTOR.label,
        importedAt: now,
      })
      .run();
    const added = insertObservations(db, rows, importId, true).filter(Boolean).length;
    tx.update(indicatorImports).set({ insertedCount: added }).where(eq(indicatorImports.id, importId)).run();
    recordAudit(tx, SYSTEM_ACTOR, {
      action: "indicators.demo-seeded",
      objectType: "indicator_import",
      objectId: importId,
      summary: { seed, trusts: open.length, observations: added, months: DEMO_HISTORY_MONTHS, until: DEMO_HISTORY_END },
    });
    return added;
  }, db);
  return { realObservations, demoObservations: inserted, trusts: open.length };
}

/** How many observations are marked as demo (for checks and the start-up message). */
export function countDemoObservations(db: Db): number {
  return db.select({ n: count() }).from(indicatorObservations).where(eq(indicatorObservations.isDemo, true)).get()!.n;
}
