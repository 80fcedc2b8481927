/**
 * The risk model (pure: no I/O, no clock). It turns a trust's latest indicator observations into:
 *
 * - a **likelihood** (0–1): the weighted mean of each configured indicator's "badness" (0 = as good as it
 *   gets, 1 = as bad as the model cares about). Every configured indicator counts in the mean, whether or not
 *   the trust has data for it, so a gap in the data never makes a trust look safer than a good value would:
 *   - **missing** (no observation, or a value the model does not recognise) counts as `missingBadness`;
 *   - **stale** (older than `staleAfterDays`) is pulled toward the missing badness by `staleBlend`
 *     (0: stale counts as fresh, 1: stale counts as missing), but never below the value's own badness;
 * - an **impact** (0–1): how much harm a successful attack would do, from the trust's broad type (a proxy for
 *   its size and the clinical dependence on its systems: there is no bed or staff count in the register),
 *   multiplied up for a trust that runs a major trauma centre and for an ambulance trust, capped at 1;
 * - a **score** (0–100, one decimal place) = 100 × likelihood × impact, and a **priority band** 1 (highest)
 *   to 6 from the five `bandEdges`: band 1 is score ≥ edges[0], band 2 is score ≥ edges[1], … band 6 is the
 *   rest. A score exactly on an edge is in the higher-priority band.
 * - **contributions**: each indicator's share of the score, 100 × impact × weight × badness / Σ weights,
 *   rounded to one decimal place by the largest-remainder method so that, counted in tenths, they add up to
 *   the score exactly.
 *
 * The model is additive and monotonic: making any one indicator's value worse (a later category in the
 * best-first list, a number further toward the "bad" threshold, the bad boolean) never lowers the score.
 * See docs/risk-model.md for the plain-English account and docs/decisions/0007-risk-model.md for why.
 */
import { z } from "zod";
import type { BroadType } from "../../db/schema";

// ── Configuration ────────────────────────────────────────────────────────────────────────────────────────

/** The broad types that have an impact factor: every BroadType (checked at compile time below). */
export const IMPACT_TYPES = [
  "acute",
  "specialist",
  "mental_health",
  "mental_health_and_community",
  "community",
  "ambulance",
  "unknown",
] as const satisfies readonly BroadType[];
type MissingImpactType = Exclude<BroadType, (typeof IMPACT_TYPES)[number]>;
const _everyTypeHasAFactor: MissingImpactType extends never ? true : never = true;
void _everyTypeHasAFactor;

export const BANDS = [1, 2, 3, 4, 5, 6] as const;
export type Band = (typeof BANDS)[number];

const unit = z.number().finite().min(0).max(1);
const typeFactor = z.number().finite().gt(0).max(1);
const oneDecimal = (n: number) => Math.abs(Math.round(n * 10) - n * 10) < 1e-9;

/** A category indicator: badness by position in the best-first list, position / (n − 1), or explicit per category. */
const categoryNormalisation = z
  .object({
    kind: z.literal("category"),
    /** The categories, best first (a copy of the indicator's list, so a stored version is self-contained). */
    categories: z.array(z.string().min(1).max(100)).min(2).max(50),
    /** Explicit badness per category; must not decrease along the best-first list. */
    badness: z.record(z.string(), unit).optional(),
  })
  .strict();

/** A percentage or count: badness 0 at `good`, 1 at `bad`, linear between, clamped. good > bad means lower is worse. */
const linearNormalisation = z
  .object({ kind: z.literal("linear"), good: z.number().finite(), bad: z.number().finite() })
  .strict()
  .refine((n) => n.good !== n.bad, { message: "The good and bad thresholds must differ", path: ["bad"] });

/** A yes/no indicator (numeric value 1 or 0). */
const booleanNormalisation = z
  .object({ kind: z.literal("boolean"), badnessIfTrue: unit, badnessIfFalse: unit })
  .strict();

export const normalisationSchema = z.discriminatedUnion("kind", [categoryNormalisation, linearNormalisation, booleanNormalisation]);
export type Normalisation = z.infer<typeof normalisationSchema>;

export const indicatorConfigSchema = z
  .object({
    /** Relative importance (0 leaves the indicator out of the score and the explanation). */
    weight: z.number().finite().min(0).max(100),
    normalise: normalisationSchema,
    /** Overrides the model's staleAfterDays for this indicator (e.g. 400 for the annual DSPT). */
    staleAfterDays: z.number().int().min(1).max(3650).optional(),
    /** Overrides the model's missingBadness for this indicator. */
    missingBadness: unit.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const n = entry.normalise;
    if (n.kind !== "category") return;
    if (new Set(n.categories).size !== n.categories.length) {
      ctx.addIssue({ code: "custom", path: ["normalise", "categories"], message: "Categories must not repeat" });
    }
    if (!n.badness) return;
    const unknown = Object.keys(n.badness).filter((c) => !n.categories.includes(c));
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", path: ["normalise", "badness"], message: `Badness for unknown categories: ${unknown.join(", ")}` });
    }
    let previous = -1;
    for (const category of n.categories) {
      const value = n.badness[category];
      if (value === undefined) {
        ctx.addIssue({ code: "custom", path: ["normalise", "badness", category], message: `No badness for category ${category}` });
        return;
      }
      if (value < previous) {
        ctx.addIssue({
          code: "custom",
          path: ["normalise", "badness", category],
          message: "Badness must not decrease from the best category to the worst",
        });
        return;
      }
      previous = value;
    }
  });
export type IndicatorConfig = z.infer<typeof indicatorConfigSchema>;

export const modelConfigSchema = z
  .object({
    /** The shape of this JSON; bumped (with a reader for old versions) if it ever changes. */
    schema: z.literal(1),
    /** Per indicator code. Indicators not listed here are not part of the model. */
    indicators: z.record(z.string().regex(/^[a-z0-9_]{1,64}$/, "Indicator codes are lower-case letters, digits and _"), indicatorConfigSchema),
    /** Badness of an indicator with no data (0–1). */
    missingBadness: unit,
    /** Default age in days after which an observation is stale. */
    staleAfterDays: z.number().int().min(1).max(3650),
    /** How far stale data moves toward missingBadness (0 = not at all, 1 = all the way). */
    staleBlend: unit,
    impact: z
      .object({
        /** Impact by broad type (size proxy), each above 0 and at most 1. */
        byType: z
          .object({
            acute: typeFactor,
            specialist: typeFactor,
            mental_health: typeFactor,
            mental_health_and_community: typeFactor,
            community: typeFactor,
            ambulance: typeFactor,
            unknown: typeFactor,
          } satisfies Record<(typeof IMPACT_TYPES)[number], z.ZodNumber>)
          .strict(),
        /** Multiplier (≥ 1) for a trust that runs a major trauma centre. */
        majorTraumaCentre: z.number().finite().min(1).max(3),
        /** Multiplier (≥ 1) for an ambulance trust. */
        ambulance: z.number().finite().min(1).max(3),
      })
      .strict(),
    /** Five score thresholds, highest first, one decimal place at most: band 1 is score ≥ bandEdges[0]. */
    bandEdges: z
      .array(z.number().finite().gt(0).lt(100))
      .length(5)
      .refine((edges) => edges.every((e, i) => i === 0 || e < edges[i - 1]!), { message: "Band edges must go down from band 1 to band 5" })
      .refine((edges) => edges.every(oneDecimal), { message: "Band edges have at most one decimal place" }),
  })
  .strict()
  .refine((c) => Object.values(c.indicators).some((i) => i.weight > 0), {
    message: "At least one indicator must have a weight above 0",
    path: ["indicators"],
  });
export type ModelConfig = z.infer<typeof modelConfigSchema>;

export type ConfigCheck = { ok: true; config: ModelConfig } | { ok: false; errors: { path: string; message: string }[] };

/** Validates a config (for example one parsed from stored JSON). */
export function checkModelConfig(raw: unknown): ConfigCheck {
  const parsed = modelConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
}

/** Parses a stored config, throwing if it is not valid (stored versions were validated when saved). */
export function parseModelConfig(json: string): ModelConfig {
  const check = checkModelConfig(JSON.parse(json));
  if (!check.ok) throw new Error(`Invalid risk model config: ${check.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  return check.config;
}

/** What the model needs to know about an indicator definition to suggest a normalisation for it. */
export interface IndicatorShape {
  valueType: "category" | "percentage" | "count" | "boolean";
  categories?: readonly string[] | null;
  minValue?: number | null;
  maxValue?: number | null;
  higherIsWorse: boolean;
}

/**
 * A starting normalisation for an indicator the model does not configure yet (for example one an admin added):
 * categories by position; numbers linear across their whole range in the indicator's direction; booleans bad when
 * the indicator's "worse" side holds.
 */
export function defaultNormalisation(def: IndicatorShape): Normalisation {
  switch (def.valueType) {
    case "category":
      return { kind: "category", categories: [...(def.categories ?? ["good", "bad"])] };
    case "boolean":
      return def.higherIsWorse ? { kind: "boolean", badnessIfTrue: 1, badnessIfFalse: 0 } : { kind: "boolean", badnessIfTrue: 0, badnessIfFalse: 1 };
    default: {
      const low = def.minValue ?? 0;
      const high = def.maxValue ?? (def.valueType === "percentage" ? 100 : Math.max(low + 1, 10));
      return def.higherIsWorse ? { kind: "linear", good: low, bad: high } : { kind: "linear", good: high, bad: low };
    }
  }
}

/** Whether a linear normalisation's direction agrees with the indicator's (bad above good when higher is worse). */
export function directionAgrees(n: Normalisation, higherIsWorse: boolean): boolean {
  return n.kind !== "linear" || (higherIsWorse ? n.bad > n.good : n.bad < n.good);
}

/**
 * The baseline model. Weights sum to 100, so each weight reads as "points out of 100 for the worst value at full
 * impact". Thresholds follow the published figures in db/reference/calibration_stats.csv: about a quarter of
 * trusts were "approaching standards" in DSPT 2022/23; the median unsupported-device share was under 1%, with 23
 * trusts above 10% and 4 above 50%.
 *
 * The three indicators computed from Deep Dive's own inspections have weight 0 here: no trust has been inspected
 * through Deep Dive yet, so they would be missing for every trust and add the same points to each, changing no
 * place in the ranking while marking every row "3 missing". Their rules are kept, so the version form offers them:
 * a later version should weight them once there are inspection results (with "no data" for months since the last
 * inspection meaning never inspected, counted as the worst value).
 *
 * The band edges were set on the demo history (db/demo-indicators.server.ts) as of 30 November 2026 so that the
 * open trusts spread over all six bands with few in band 1: see docs/risk-model.md for the counts.
 */
export const DEFAULT_MODEL_NAME = "Baseline 2026";
export const DEFAULT_MODEL_DESCRIPTION =
  "The first model: DSPT status, critical patching, unsupported devices, unacknowledged high-severity alerts, incidents and Cyber Essentials Plus; impact from trust type (a proxy for size), major trauma centres and ambulance services. Deep Dive's own inspection results are not weighted yet.";

export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  schema: 1,
  indicators: {
    dspt_status: {
      weight: 25,
      normalise: {
        kind: "category",
        categories: ["exceeded", "met", "approaching", "not_met", "not_published"],
        badness: { exceeded: 0, met: 0.15, approaching: 0.6, not_met: 1, not_published: 1 },
      },
      // Annual: submitted by 30 June each year. Older than about 13 months means a year was missed.
      staleAfterDays: 400,
    },
    critical_patches_14d_pct: { weight: 20, normalise: { kind: "linear", good: 95, bad: 50 } },
    unsupported_devices_pct: { weight: 15, normalise: { kind: "linear", good: 1, bad: 20 } },
    unacked_high_alerts_48h: { weight: 15, normalise: { kind: "linear", good: 0, bad: 10 } },
    incidents_12m: { weight: 15, normalise: { kind: "linear", good: 0, bad: 6 } },
    // Certificates last a year; a statement older than that says nothing about today.
    ceplus_current: { weight: 10, normalise: { kind: "boolean", badnessIfTrue: 0, badnessIfFalse: 1 }, staleAfterDays: 400 },
    overdue_actions: { weight: 0, normalise: { kind: "linear", good: 0, bad: 10 } },
    not_achieved_outcomes_last: { weight: 0, normalise: { kind: "linear", good: 0, bad: 10 }, staleAfterDays: 1100 },
    months_since_inspection: { weight: 0, normalise: { kind: "linear", good: 12, bad: 48 }, missingBadness: 1 },
  },
  missingBadness: 0.7,
  staleAfterDays: 120,
  staleBlend: 0.5,
  impact: {
    byType: {
      acute: 0.8,
      specialist: 0.7,
      mental_health: 0.6,
      mental_health_and_community: 0.65,
      community: 0.55,
      ambulance: 0.75,
      unknown: 0.7,
    },
    majorTraumaCentre: 1.25,
    ambulance: 1.25,
  },
  bandEdges: [42, 32, 23, 16, 11],
};

// ── Scoring ──────────────────────────────────────────────────────────────────────────────────────────────

export interface ObservationInput {
  indicatorCode: string;
  /** The value as imported: a category name, or a number as text. */
  value: string;
  /** The number (a percentage, a count, 0/1 for booleans, a category's position). */
  numericValue: number;
  /** yyyy-mm-dd. */
  observedOn: string;
  /** The period the value describes, e.g. "2022/23". */
  period?: string | null;
}

export interface TrustRiskInput {
  broadType: BroadType;
  isMtc: boolean;
  isAmbulance: boolean;
  /** The latest observation per indicator (if an indicator appears more than once, the latest date counts). */
  observations: readonly ObservationInput[];
  /** Indicator labels for the explanation; the code is used where one is missing. */
  labels?: Readonly<Record<string, string>>;
  /** Units for the explanation, e.g. { unsupported_devices_pct: "%" }. */
  units?: Readonly<Record<string, string | null>>;
}

export type ContributionStatus = "current" | "stale" | "missing";

export interface Contribution {
  indicatorCode: string;
  label: string;
  /** Points of the score (one decimal place); all contributions, counted in tenths, add up to the score. */
  points: number;
  status: ContributionStatus;
  value: string | null;
  observedOn: string | null;
  period: string | null;
  weight: number;
  /** 0–1, after the stale adjustment. */
  badness: number;
  /** Plain English, e.g. "DSPT status 2022/23: approaching standards". */
  reason: string;
}

export interface TrustScore {
  /** 0–100, one decimal place. */
  score: number;
  band: Band;
  /** 0–1, three decimal places. */
  likelihood: number;
  /** 0–1, three decimal places. */
  impact: number;
  /** Every indicator with a weight above 0, most points first. */
  contributions: Contribution[];
}

const DAY_MS = 86_400_000;

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  return Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** Whole days from `from` to `to` (yyyy-mm-dd). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** The badness (0–1) of one value under a normalisation, or null if the value is not one the model recognises. */
export function valueBadness(n: Normalisation, value: string, numericValue: number): number | null {
  switch (n.kind) {
    case "category": {
      const position = n.categories.indexOf(value);
      if (position < 0) return null;
      return n.badness?.[value] ?? position / (n.categories.length - 1);
    }
    case "linear":
      if (!Number.isFinite(numericValue)) return null;
      return clamp01((numericValue - n.good) / (n.bad - n.good));
    case "boolean":
      if (!Number.isFinite(numericValue)) return null;
      return numericValue !== 0 ? n.badnessIfTrue : n.badnessIfFalse;
  }
}

/**
 * Stale data is pulled toward the missing badness, never below its own: a stale good value counts worse than a
 * fresh one, and a stale bad value (already worse than no data) keeps its badness.
 */
export function staleAdjusted(badness: number, missingBadness: number, blend: number): number {
  return badness + blend * Math.max(0, missingBadness - badness);
}

/** The impact (0–1) of a trust: its type's factor, times the MTC and ambulance multipliers that apply, capped at 1. */
export function impactOf(trust: Pick<TrustRiskInput, "broadType" | "isMtc" | "isAmbulance">, config: ModelConfig): number {
  let impact = config.impact.byType[trust.broadType] ?? config.impact.byType.unknown;
  if (trust.isMtc) impact *= config.impact.majorTraumaCentre;
  if (trust.isAmbulance) impact *= config.impact.ambulance;
  return Math.min(1, impact);
}

/** The band of a score in tenths (an integer), so a score exactly on an edge is in the higher band. */
function bandOfTenths(tenths: number, edges: readonly number[]): Band {
  for (let i = 0; i < edges.length; i++) {
    if (tenths >= Math.round(edges[i]! * 10)) return (i + 1) as Band;
  }
  return 6;
}

/** The priority band (1 highest … 6) of a score (0–100, one decimal place). */
export function bandOf(score: number, config: Pick<ModelConfig, "bandEdges">): Band {
  return bandOfTenths(Math.round(score * 10), config.bandEdges);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Known wording for category values (DSPT statuses); any other category reads with underscores as spaces. */
const CATEGORY_TEXT: Record<string, string> = {
  exceeded: "standards exceeded",
  met: "standards met",
  approaching: "approaching standards",
  not_met: "standards not met",
  not_published: "not published",
};

/** A category value in words, e.g. "approaching standards" for the DSPT status "approaching". */
export function categoryText(value: string): string {
  return CATEGORY_TEXT[value] ?? value.replaceAll("_", " ");
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 10) / 10);
}

function valueText(n: Normalisation, obs: ObservationInput, unitText: string | null | undefined): string {
  switch (n.kind) {
    case "category":
      return categoryText(obs.value);
    case "boolean":
      return obs.numericValue !== 0 ? "yes" : "no";
    case "linear":
      return `${formatNumber(obs.numericValue)}${unitText === "%" ? "%" : unitText ? ` ${unitText}` : ""}`;
  }
}

function ageText(days: number): string {
  if (days < 60) return `${days} days old`;
  const months = Math.floor(days / 30.44);
  if (months < 24) return `${months} months old`;
  return `${Math.floor(days / 365.25)} years old`;
}

interface Working {
  code: string;
  label: string;
  weight: number;
  badness: number;
  status: ContributionStatus;
  obs: ObservationInput | null;
  reason: string;
  exactTenths: number;
}

/**
 * Splits `total` tenths among items in proportion to their exact shares (largest remainder): each gets the floor
 * of its share, and the tenths left over go to the largest remainders (ties to the larger share, then the
 * earlier item). Only items with a positive share receive any.
 */
export function largestRemainder(exact: readonly number[], total: number): number[] {
  const EPS = 1e-9;
  const units = exact.map((x) => Math.max(0, Math.floor(x + EPS)));
  let left = total - units.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - units[i]!, x }))
    .filter((e) => e.x > 0)
    .sort((a, b) => b.remainder - a.remainder || b.x - a.x || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) units[order[k]!.i]! += 1;
  // Only a floating-point edge could leave too many: take them back from the smallest remainders.
  for (let k = order.length - 1; left < 0 && order.length > 0; k = (k - 1 + order.length) % order.length) {
    if (units[order[k]!.i]! > 0) {
      units[order[k]!.i]! -= 1;
      left++;
    }
  }
  return units;
}

/**
 * Scores one trust as of a date (yyyy-mm-dd). Observations dated after `asOf` are not yet known and are ignored.
 */
export function scoreTrust(input: TrustRiskInput, config: ModelConfig, asOf: string): TrustScore {
  const latest = new Map<string, ObservationInput>();
  for (const obs of input.observations) {
    if (obs.observedOn.slice(0, 10) > asOf) continue;
    const seen = latest.get(obs.indicatorCode);
    if (!seen || obs.observedOn >= seen.observedOn) latest.set(obs.indicatorCode, obs);
  }

  const entries = Object.entries(config.indicators).filter(([, c]) => c.weight > 0);
  const totalWeight = entries.reduce((sum, [, c]) => sum + c.weight, 0);
  const impact = impactOf(input, config);

  const working: Working[] = entries.map(([code, c]) => {
    const label = input.labels?.[code] ?? code;
    const missingBadness = c.missingBadness ?? config.missingBadness;
    const obs = latest.get(code) ?? null;
    const raw = obs ? valueBadness(c.normalise, obs.value, obs.numericValue) : null;
    let badness: number;
    let status: ContributionStatus;
    let reason: string;
    if (!obs || raw === null) {
      badness = missingBadness;
      status = "missing";
      reason = obs ? `${label}: value "${obs.value}" not recognised, counted as no data` : `${label}: no data`;
    } else {
      const age = daysBetween(obs.observedOn, asOf);
      const staleAfter = c.staleAfterDays ?? config.staleAfterDays;
      const what = `${label}${obs.period ? ` ${obs.period}` : ""}: ${valueText(c.normalise, obs, input.units?.[code])}`;
      if (age > staleAfter) {
        badness = staleAdjusted(raw, missingBadness, config.staleBlend);
        status = "stale";
        reason = `${what} (stale: ${ageText(age)})`;
      } else {
        badness = raw;
        status = "current";
        reason = what;
      }
    }
    return { code, label, weight: c.weight, badness, status, obs, reason, exactTenths: (1000 * impact * c.weight * badness) / totalWeight };
  });

  const likelihood = working.reduce((sum, w) => sum + w.weight * w.badness, 0) / totalWeight;
  const exactTenths = working.reduce((sum, w) => sum + w.exactTenths, 0);
  const scoreTenths = Math.min(1000, Math.max(0, Math.round(exactTenths)));
  const units = largestRemainder(
    working.map((w) => w.exactTenths),
    scoreTenths,
  );

  const contributions: Contribution[] = working
    .map((w, i) => ({
      indicatorCode: w.code,
      label: w.label,
      points: units[i]! / 10,
      status: w.status,
      value: w.obs?.value ?? null,
      observedOn: w.obs?.observedOn ?? null,
      period: w.obs?.period ?? null,
      weight: w.weight,
      badness: round3(w.badness),
      reason: w.reason,
      exact: w.exactTenths,
    }))
    .sort((a, b) => b.points - a.points || b.exact - a.exact || (a.indicatorCode < b.indicatorCode ? -1 : 1))
    .map(({ exact: _exact, ...c }) => c);

  return {
    score: scoreTenths / 10,
    band: bandOfTenths(scoreTenths, config.bandEdges),
    likelihood: round3(likelihood),
    impact: round3(impact),
    contributions,
  };
}

// ── Comparing rankings (for the preview of a new version) ───────────────────────────────────────────────

export interface RankedLike {
  trustCode: string;
  name: string;
  score: number;
  band: Band;
}

export interface Placing {
  rank: number;
  score: number;
  band: Band;
}

export interface RankingMove {
  trustCode: string;
  name: string;
  before: Placing | null;
  after: Placing | null;
  /** Places moved up the ranking (positive: toward rank 1); 0 if the trust is in only one ranking. */
  rankChange: number;
  /** Bands moved toward band 1 (positive: higher priority). */
  bandChange: number;
  scoreChange: number;
}

export interface RankingComparison {
  /** Every trust, in the order of the new ranking (trusts only in the old one last). */
  moves: RankingMove[];
  movedUp: number;
  movedDown: number;
  unchanged: number;
  /** Trusts whose band went up (toward 1) or down. */
  bandsUp: number;
  bandsDown: number;
  /** Trusts per band (index 0 is band 1), before and after. */
  bandCounts: { before: number[]; after: number[] };
  /** The biggest movers by places, up to `topN`, biggest first (ties: higher new rank first). */
  topMovers: RankingMove[];
}

/** Compares two rankings, each in rank order (first = rank 1). */
export function compareRankings(before: readonly RankedLike[], after: readonly RankedLike[], topN = 10): RankingComparison {
  const placing = (list: readonly RankedLike[]) =>
    new Map(list.map((r, i) => [r.trustCode, { rank: i + 1, score: r.score, band: r.band, name: r.name }]));
  const was = placing(before);
  const now = placing(after);
  const moves: RankingMove[] = [];
  const build = (code: string, name: string): RankingMove => {
    const b = was.get(code);
    const a = now.get(code);
    return {
      trustCode: code,
      name,
      before: b ? { rank: b.rank, score: b.score, band: b.band } : null,
      after: a ? { rank: a.rank, score: a.score, band: a.band } : null,
      rankChange: a && b ? b.rank - a.rank : 0,
      bandChange: a && b ? b.band - a.band : 0,
      scoreChange: a && b ? Math.round((a.score - b.score) * 10) / 10 : 0,
    };
  };
  for (const r of after) moves.push(build(r.trustCode, r.name));
  for (const r of before) if (!now.has(r.trustCode)) moves.push(build(r.trustCode, r.name));

  const counts = (list: readonly RankedLike[]) => {
    const c = [0, 0, 0, 0, 0, 0];
    for (const r of list) c[r.band - 1]! += 1;
    return c;
  };
  const topMovers = moves
    .filter((m) => m.rankChange !== 0)
    .sort((x, y) => Math.abs(y.rankChange) - Math.abs(x.rankChange) || (x.after?.rank ?? Infinity) - (y.after?.rank ?? Infinity))
    .slice(0, topN);
  return {
    moves,
    movedUp: moves.filter((m) => m.rankChange > 0).length,
    movedDown: moves.filter((m) => m.rankChange < 0).length,
    unchanged: moves.filter((m) => m.before && m.after && m.rankChange === 0).length,
    bandsUp: moves.filter((m) => m.bandChange > 0).length,
    bandsDown: moves.filter((m) => m.bandChange < 0).length,
    bandCounts: { before: counts(before), after: counts(after) },
    topMovers,
  };
}
