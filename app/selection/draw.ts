/**
 * The selection draw: which trusts a round inspects, from a snapshot of every input and the round's seed.
 * Pure and deterministic: the same snapshot and seed always give the same picks, in the same order, so a
 * closed round can be re-run by anyone (docs/selection.md describes it step by step for re-implementation).
 *
 * 1. Mandatory picks. A candidate is mandatory when it is in band 1, or when its last published inspection
 *    rated a critical outcome Not achieved and its re-inspection is due (`criticalNotAchievedDue`). Mandatory
 *    candidates are picked even if inspected recently, but never if closed or picked in another round. All of
 *    them are picked, even when there are more of them than the round's capacity: a mandatory inspection is
 *    not left to chance or to score order. The round then has no random picks, and planDraw() says it is over
 *    capacity so the page can warn the programme lead (who may remove picks, with a reason, as an override).
 *    Order: score, highest first; equal scores by trust code.
 * 2. The risk-weighted draw, for the capacity left after the mandatory picks and the validation sample:
 *    weighted random sampling without replacement by Efraimidis–Spirakis keys. Every candidate, sorted by
 *    trust code, takes the next number u of random stream 0 (see random.ts) in that order — excluded ones too,
 *    so a trust's number does not depend on who else is excluded. A candidate that can be drawn (not excluded,
 *    not mandatory, weight > 0) gets the key ln(u) / weight (the logarithm of u^(1/weight), which orders the
 *    same and does not underflow). The candidates with the largest keys are drawn, largest first.
 * 3. The validation sample: round(capacity × validationShare) candidates, capped at the capacity left, drawn
 *    uniformly (weight 1, so the key is ln(u)) with random stream 1, the same way, from the candidates in the
 *    validation bands (4 to 6) that are not excluded and not already picked. It checks that the model's
 *    low-risk bands really are low risk.
 *
 * Ties between keys (which need two equal 53-bit numbers) go to the lower trust code. If a pool has fewer
 * candidates than its share of the capacity, all of them are picked and the round has fewer picks.
 */
import { z } from "zod";
import { STREAMS, uniformStream } from "./random";

export const EXCLUSIONS = ["closed", "recently-inspected", "picked-in-another-round"] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export const DRAW_KINDS = ["mandatory", "drawn", "validation"] as const;
export type DrawKind = (typeof DRAW_KINDS)[number];

export interface DrawRules {
  /** How many trusts the round can inspect (1–100). */
  capacity: number;
  /** Trusts inspected more recently than this many months before the period starts are excluded (unless mandatory). */
  minMonthsSinceInspection: number;
  /** The share of the capacity (0–0.5) given to the uniform validation sample. */
  validationShare: number;
  /** The bands the validation sample is drawn from. */
  validationBands: number[];
}

export interface Candidate {
  trustCode: string;
  name: string;
  /** Risk score, 0–100. */
  score: number;
  /** Risk band, 1 (highest risk) to 6. */
  band: number;
  /** The weight in the risk-weighted draw (see weightForScore). A weight of 0 is never drawn. */
  weight: number;
  /** yyyy-mm-dd of the last published inspection, if any. */
  lastInspectedOn: string | null;
  /** The last published inspection rated a critical outcome Not achieved, and the re-inspection is due. */
  criticalNotAchievedDue: boolean;
  excluded: Exclusion | null;
}

export interface DrawSnapshot {
  /** The snapshot's format, so a later change of the draw can still re-run old rounds. */
  formatVersion: 1;
  rules: DrawRules;
  modelVersion: { id: number; name: string };
  /** When the ranking was computed, and when the snapshot was taken (ISO instants). */
  asOf: string;
  takenAt: string;
  /** How each candidate's weight was made from its score, in words. */
  weighting: string;
  candidates: Candidate[];
}

export interface DrawPick {
  trustCode: string;
  kind: DrawKind;
  /** 1 = the first pick. */
  drawOrder: number;
  reason: string;
}

/** How the draw weights a score: the score itself (one decimal place), at least 1, so every trust can be drawn. */
export const WEIGHTING = "weight = the risk score rounded to one decimal place, and at least 1";

export function weightForScore(score: number): number {
  return Math.max(1, Math.round(score * 10) / 10);
}

/** Trust codes compare as plain strings (UTF-16 code units; ODS codes are ASCII, so byte order too). */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Closed and picked-elsewhere trusts are never picked; recently inspected ones only when mandatory. */
const isBarred = (c: Candidate) => c.excluded === "closed" || c.excluded === "picked-in-another-round";

export function isMandatory(c: Candidate): boolean {
  return !isBarred(c) && (c.band === 1 || c.criticalNotAchievedDue);
}

function canBeDrawn(c: Candidate): boolean {
  return c.excluded === null && !isMandatory(c) && Number.isFinite(c.weight) && c.weight > 0;
}

export interface DrawPlan {
  mandatory: number;
  /** Places for the risk-weighted draw and for the validation sample (before any shortfall). */
  drawPlaces: number;
  validationPlaces: number;
  /** More mandatory trusts than the capacity: all are picked, and there is no random draw. */
  overCapacity: boolean;
}

/** How the capacity is shared out: seed-independent, so the page can explain a round before it is drawn. */
export function planDraw(snapshot: Pick<DrawSnapshot, "rules" | "candidates">): DrawPlan {
  const { capacity, validationShare } = snapshot.rules;
  const mandatory = snapshot.candidates.filter(isMandatory).length;
  const left = Math.max(0, capacity - mandatory);
  const validationPlaces = Math.min(Math.round(capacity * validationShare), left);
  return { mandatory, drawPlaces: left - validationPlaces, validationPlaces, overCapacity: mandatory > capacity };
}

function formatWeight(weight: number): string {
  return weight >= 1 ? weight.toFixed(1) : String(Number(weight.toPrecision(3)));
}

function mandatoryReason(c: Candidate): string {
  const why =
    c.band === 1 && c.criticalNotAchievedDue
      ? "Band 1, and re-inspection due after a critical outcome rated Not achieved"
      : c.band === 1
        ? "Band 1"
        : `Re-inspection due after a critical outcome rated Not achieved (band ${c.band})`;
  return `${why}: mandatory${c.excluded === "recently-inspected" ? " (included although inspected recently)" : ""}`;
}

/** The largest `count` keys, largest first; equal keys by trust code. */
function largestKeys(keyed: { candidate: Candidate; key: number }[], count: number): Candidate[] {
  return keyed
    .sort((a, b) => (b.key !== a.key ? (b.key > a.key ? 1 : -1) : byCode(a.candidate.trustCode, b.candidate.trustCode)))
    .slice(0, Math.max(0, count))
    .map((k) => k.candidate);
}

/** Checks what the draw relies on; throws on a snapshot that cannot be drawn. */
function assertDrawable(snapshot: DrawSnapshot) {
  const codes = new Set<string>();
  for (const c of snapshot.candidates) {
    if (codes.has(c.trustCode)) throw new Error(`The snapshot lists ${c.trustCode} twice`);
    codes.add(c.trustCode);
  }
  const { capacity, validationShare } = snapshot.rules;
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error("The capacity must be a whole number of at least 1");
  if (!(validationShare >= 0 && validationShare <= 1)) throw new Error("The validation share must be between 0 and 1");
}

export function runDraw(snapshot: DrawSnapshot, seed: string): DrawPick[] {
  assertDrawable(snapshot);
  const plan = planDraw(snapshot);
  const sorted = [...snapshot.candidates].sort((a, b) => byCode(a.trustCode, b.trustCode));
  // One number per candidate per stream, in trust-code order, whether or not the candidate can be picked.
  const drawStream = uniformStream(seed, STREAMS.draw);
  const validationStream = uniformStream(seed, STREAMS.validation);
  const numbered = sorted.map((candidate) => ({ candidate, uDraw: drawStream.next(), uValidation: validationStream.next() }));

  const mandatory = sorted.filter(isMandatory).sort((a, b) => b.score - a.score || byCode(a.trustCode, b.trustCode));

  const drawn = largestKeys(
    numbered.filter((n) => canBeDrawn(n.candidate)).map((n) => ({ candidate: n.candidate, key: Math.log(n.uDraw) / n.candidate.weight })),
    plan.drawPlaces,
  );

  const picked = new Set([...mandatory, ...drawn].map((c) => c.trustCode));
  const bands = new Set(snapshot.rules.validationBands);
  const validation = largestKeys(
    numbered
      .filter((n) => n.candidate.excluded === null && !isMandatory(n.candidate) && !picked.has(n.candidate.trustCode) && bands.has(n.candidate.band))
      .map((n) => ({ candidate: n.candidate, key: Math.log(n.uValidation) })),
    plan.validationPlaces,
  );

  const picks: DrawPick[] = [];
  const add = (c: Candidate, kind: DrawKind, reason: string) => picks.push({ trustCode: c.trustCode, kind, drawOrder: picks.length + 1, reason });
  for (const c of mandatory) add(c, "mandatory", mandatoryReason(c));
  for (const c of drawn) add(c, "drawn", `Drawn at random, weight ${formatWeight(c.weight)} (band ${c.band})`);
  for (const c of validation) add(c, "validation", `Validation sample from band ${c.band}`);
  return picks;
}

/**
 * Whether a trust last inspected on `lastInspectedOn` counts as inspected recently for a period starting on
 * `periodStart`: inspected after the day `minMonths` calendar months before the period starts.
 */
export function inspectedRecently(lastInspectedOn: string | null, periodStart: string, minMonths: number): boolean {
  if (!lastInspectedOn || minMonths <= 0) return false;
  const [y, m, d] = periodStart.split("-").map(Number) as [number, number, number];
  // The same day of the month minMonths earlier, or the month's last day when it has no such day.
  const monthIndex = y * 12 + (m - 1) - minMonths;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cutoff = `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
  return lastInspectedOn > cutoff;
}

// ── The snapshot as stored (JSON), checked when it is read back ──────────────────────────────────────────────

const candidateSchema = z.object({
  trustCode: z.string().min(1),
  name: z.string(),
  score: z.number(),
  band: z.number().int(),
  weight: z.number(),
  lastInspectedOn: z.string().nullable(),
  criticalNotAchievedDue: z.boolean(),
  excluded: z.enum(EXCLUSIONS).nullable(),
});

export const snapshotSchema = z.object({
  formatVersion: z.literal(1),
  rules: z.object({
    capacity: z.number().int().min(1),
    minMonthsSinceInspection: z.number().int().min(0),
    validationShare: z.number().min(0).max(1),
    validationBands: z.array(z.number().int()),
  }),
  modelVersion: z.object({ id: z.number().int(), name: z.string() }),
  asOf: z.string(),
  takenAt: z.string(),
  weighting: z.string(),
  candidates: z.array(candidateSchema),
});

/** A stored snapshot, parsed and checked; throws if it is not one. */
export function parseSnapshot(json: string): DrawSnapshot {
  return snapshotSchema.parse(JSON.parse(json)) as DrawSnapshot;
}
