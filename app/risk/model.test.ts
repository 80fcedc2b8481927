/** The risk model's promises: contributions add up, gaps count as risk, monotonic, bands, impact, validation. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BroadType } from "../../db/schema";
import {
  bandOf,
  checkModelConfig,
  compareRankings,
  DEFAULT_MODEL_CONFIG,
  IMPACT_TYPES,
  largestRemainder,
  scoreTrust,
  type ModelConfig,
  type ObservationInput,
  type TrustRiskInput,
} from "./model";

const AS_OF = "2026-11-30";
const config = DEFAULT_MODEL_CONFIG;
const DSPT = ["exceeded", "met", "approaching", "not_met", "not_published"];

/** A trust with every indicator at a good, fresh value. */
function goodObservations(observedOn = "2026-11-01"): ObservationInput[] {
  return [
    { indicatorCode: "dspt_status", value: "met", numericValue: 1, observedOn: "2026-06-30", period: "2025/26" },
    { indicatorCode: "unsupported_devices_pct", value: "0.5", numericValue: 0.5, observedOn },
    { indicatorCode: "critical_patches_14d_pct", value: "98", numericValue: 98, observedOn },
    { indicatorCode: "unacked_high_alerts_48h", value: "0", numericValue: 0, observedOn },
    { indicatorCode: "ceplus_current", value: "1", numericValue: 1, observedOn },
    { indicatorCode: "incidents_12m", value: "0", numericValue: 0, observedOn },
    { indicatorCode: "overdue_actions", value: "0", numericValue: 0, observedOn },
    { indicatorCode: "not_achieved_outcomes_last", value: "0", numericValue: 0, observedOn },
    { indicatorCode: "months_since_inspection", value: "6", numericValue: 6, observedOn },
  ];
}

const trust = (observations: ObservationInput[], over: Partial<TrustRiskInput> = {}): TrustRiskInput => ({
  broadType: "acute",
  isMtc: false,
  isAmbulance: false,
  observations,
  ...over,
});

const tenths = (x: number) => Math.round(x * 10);
const sumTenths = (points: number[]) => points.reduce((s, p) => s + tenths(p), 0);
const replace = (list: ObservationInput[], obs: ObservationInput) => list.map((o) => (o.indicatorCode === obs.indicatorCode ? obs : o));
const without = (list: ObservationInput[], code: string) => list.filter((o) => o.indicatorCode !== code);

// ── Generators ────────────────────────────────────────────────────────────────────────────────────────────

const dateArb = fc.integer({ min: 0, max: 2000 }).map((daysBack) => new Date(Date.UTC(2026, 10, 30) - daysBack * 86_400_000).toISOString().slice(0, 10));

/** A value for an indicator of the default model, from its numeric "worseness" in [0, 1.2]. */
function valueFor(code: string, t: number): { value: string; numericValue: number } {
  const n = config.indicators[code]!.normalise;
  if (n.kind === "category") {
    const i = Math.min(n.categories.length - 1, Math.floor(t * n.categories.length));
    return { value: n.categories[i]!, numericValue: i };
  }
  if (n.kind === "boolean") {
    const bad = t >= 0.5;
    const value = n.badnessIfTrue > n.badnessIfFalse ? bad : !bad;
    return { value: value ? "1" : "0", numericValue: value ? 1 : 0 };
  }
  const x = Math.round((n.good + (n.bad - n.good) * (t * 1.4 - 0.2)) * 10) / 10;
  return { value: String(x), numericValue: x };
}

const observationsArb = fc
  .array(fc.record({ present: fc.boolean(), t: fc.double({ min: 0, max: 1, noNaN: true }), date: dateArb }), {
    minLength: 9,
    maxLength: 9,
  })
  .map((specs) =>
    Object.keys(config.indicators).flatMap((code, i) => {
      const spec = specs[i]!;
      return spec.present ? [{ indicatorCode: code, ...valueFor(code, spec.t), observedOn: spec.date }] : [];
    }),
  );

const trustArb = fc.record({
  broadType: fc.constantFrom<BroadType>(...IMPACT_TYPES),
  isMtc: fc.boolean(),
  isAmbulance: fc.boolean(),
  observations: observationsArb,
});

/** Random valid configs: weights, thresholds, missing and stale settings, impact and band edges. */
const configArb: fc.Arbitrary<ModelConfig> = fc
  .record({
    weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 9, maxLength: 9 }),
    missingBadness: fc.double({ min: 0, max: 1, noNaN: true }),
    staleBlend: fc.double({ min: 0, max: 1, noNaN: true }),
    staleAfterDays: fc.integer({ min: 1, max: 800 }),
    typeFactor: fc.double({ min: 0.05, max: 1, noNaN: true }),
    mtc: fc.double({ min: 1, max: 3, noNaN: true }),
    edges: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 5, maxLength: 5 }),
  })
  .map((r) => {
    const codes = Object.keys(config.indicators);
    const weights = r.weights.some((w) => w > 0) ? r.weights : r.weights.map((_, i) => (i === 0 ? 1 : 0));
    return {
      ...config,
      indicators: Object.fromEntries(codes.map((code, i) => [code, { ...config.indicators[code]!, weight: weights[i]! }])),
      missingBadness: r.missingBadness,
      staleBlend: r.staleBlend,
      staleAfterDays: r.staleAfterDays,
      impact: { ...config.impact, byType: { ...config.impact.byType, acute: r.typeFactor }, majorTraumaCentre: r.mtc },
      bandEdges: [...r.edges].sort((a, b) => b - a).map((e) => e / 10),
    };
  });

// ── Tests ────────────────────────────────────────────────────────────────────────────────────────────────

describe("the default model", () => {
  it("is a valid config, with weights that sum to 100", () => {
    expect(checkModelConfig(config).ok).toBe(true);
    expect(Object.values(config.indicators).reduce((s, i) => s + i.weight, 0)).toBe(100);
  });

  it("explains a score in plain English, most points first", () => {
    const obs = replace(goodObservations(), { indicatorCode: "dspt_status", value: "approaching", numericValue: 2, observedOn: "2026-06-30", period: "2022/23" });
    const result = scoreTrust(trust(obs, { labels: { dspt_status: "DSPT", unsupported_devices_pct: "Unsupported devices" }, units: { unsupported_devices_pct: "%" } }), config, AS_OF);
    expect(result.contributions[0]).toMatchObject({ indicatorCode: "dspt_status", status: "current", reason: "DSPT 2022/23: approaching standards" });
    const devices = result.contributions.find((c) => c.indicatorCode === "unsupported_devices_pct")!;
    expect(devices.reason).toBe("Unsupported devices: 0.5%");
    expect(result.contributions.map((c) => c.indicatorCode).sort()).toEqual(Object.keys(config.indicators).filter((c) => config.indicators[c]!.weight > 0).sort());
    for (let i = 1; i < result.contributions.length; i++) {
      expect(result.contributions[i - 1]!.points).toBeGreaterThanOrEqual(result.contributions[i]!.points);
    }
  });

  it("scores every indicator at its worst, at full impact, as 100", () => {
    const worst = Object.keys(config.indicators).map((code) => ({ indicatorCode: code, ...valueFor(code, 1), observedOn: "2026-11-01" }));
    const result = scoreTrust(trust(worst, { isMtc: true }), config, AS_OF);
    expect(result.impact).toBe(1);
    expect(result.likelihood).toBe(1);
    expect(result.score).toBe(100);
    expect(result.band).toBe(1);
  });
});

describe("contributions", () => {
  it("add up exactly (in tenths) to the score, for any trust and any valid config", () => {
    fc.assert(
      fc.property(trustArb, configArb, (input, cfg) => {
        const result = scoreTrust(input, cfg, AS_OF);
        expect(sumTenths(result.contributions.map((c) => c.points))).toBe(tenths(result.score));
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(Number.isInteger(tenths(result.score)) && Math.abs(result.score * 10 - tenths(result.score)) < 1e-9).toBe(true);
        for (const c of result.contributions) expect(c.points).toBeGreaterThanOrEqual(0);
        expect(result.band).toBe(bandOf(result.score, cfg));
      }),
      { numRuns: 500, seed: 20170512 },
    );
  });

  it("largest remainder gives the leftover tenths to the largest remainders", () => {
    expect(largestRemainder([1.4, 1.4, 1.2], 4)).toEqual([2, 1, 1]);
    expect(largestRemainder([0.5, 0.5, 0], 1)).toEqual([1, 0, 0]);
    expect(largestRemainder([3, 2, 0], 5)).toEqual([3, 2, 0]);
    expect(largestRemainder([0.34, 0.33, 0.33], 1)).toEqual([1, 0, 0]);
  });
});

describe("gaps in the data count as risk", () => {
  const base = goodObservations();
  const weighted = Object.keys(config.indicators).filter((code) => config.indicators[code]!.weight > 0);
  it("missing data scores higher than a good value", () => {
    for (const code of weighted) {
      const good = scoreTrust(trust(base), config, AS_OF);
      const missing = scoreTrust(trust(without(base, code)), config, AS_OF);
      expect(missing.score, code).toBeGreaterThan(good.score);
      const c = missing.contributions.find((x) => x.indicatorCode === code)!;
      expect(c).toMatchObject({ status: "missing", value: null, observedOn: null });
      expect(c.reason).toMatch(/no data$/);
    }
  });

  it("stale data scores higher than the same value fresh", () => {
    for (const obs of base.filter((o) => weighted.includes(o.indicatorCode))) {
      const stale = { ...obs, observedOn: "2020-01-01" };
      const fresh = scoreTrust(trust(base), config, AS_OF);
      const old = scoreTrust(trust(replace(base, stale)), config, AS_OF);
      expect(old.score, obs.indicatorCode).toBeGreaterThan(fresh.score);
      const c = old.contributions.find((x) => x.indicatorCode === obs.indicatorCode)!;
      expect(c.status).toBe("stale");
      expect(c.reason).toMatch(/\(stale: \d+ years old\)$/);
    }
  });

  it("stale data never scores lower than fresh, and never above its own badness when already worse than missing", () => {
    fc.assert(
      fc.property(trustArb, configArb, fc.integer({ min: 0, max: 8 }), (input, cfg, which) => {
        const code = Object.keys(cfg.indicators)[which]!;
        const obs = input.observations.find((o) => o.indicatorCode === code);
        if (!obs) return;
        const fresh = scoreTrust({ ...input, observations: replace(input.observations, { ...obs, observedOn: AS_OF }) }, cfg, AS_OF);
        const stale = scoreTrust({ ...input, observations: replace(input.observations, { ...obs, observedOn: "2015-01-01" }) }, cfg, AS_OF);
        expect(stale.score).toBeGreaterThanOrEqual(fresh.score);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("the stale age is per indicator: a 300-day-old DSPT is current, a 300-day-old patch figure is stale", () => {
    const obs = replace(replace(base, { ...base[0]!, observedOn: "2026-02-03" }), { ...base[2]!, observedOn: "2026-02-03" });
    const result = scoreTrust(trust(obs), config, AS_OF);
    expect(result.contributions.find((c) => c.indicatorCode === "dspt_status")!.status).toBe("current");
    expect(result.contributions.find((c) => c.indicatorCode === "critical_patches_14d_pct")!.status).toBe("stale");
  });

  it("an unrecognised category counts as missing; observations after the date are not yet known", () => {
    const odd = scoreTrust(trust(replace(base, { ...base[0]!, value: "maybe" })), config, AS_OF);
    const none = scoreTrust(trust(without(base, "dspt_status")), config, AS_OF);
    expect(odd.score).toBe(none.score);
    expect(odd.contributions.find((c) => c.indicatorCode === "dspt_status")!.reason).toMatch(/not recognised/);
    const future = scoreTrust(trust([...without(base, "incidents_12m"), { indicatorCode: "incidents_12m", value: "0", numericValue: 0, observedOn: "2027-01-01" }]), config, AS_OF);
    expect(future.contributions.find((c) => c.indicatorCode === "incidents_12m")!.status).toBe("missing");
  });

  it("uses the latest of several observations of one indicator", () => {
    const obs = [...base, { indicatorCode: "incidents_12m", value: "9", numericValue: 9, observedOn: "2026-11-20" }];
    const c = scoreTrust(trust(obs), config, AS_OF).contributions.find((x) => x.indicatorCode === "incidents_12m")!;
    expect(c.value).toBe("9");
  });
});

describe("monotonic", () => {
  it("making any single indicator worse never lowers the score, for any trust and config", () => {
    fc.assert(
      fc.property(
        trustArb,
        configArb,
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        dateArb,
        (input, cfg, which, t1, t2, date) => {
          const code = Object.keys(cfg.indicators)[which]!;
          const [better, worse] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const others = without(input.observations, code);
          const a = scoreTrust({ ...input, observations: [...others, { indicatorCode: code, ...valueFor(code, better), observedOn: date }] }, cfg, AS_OF);
          const b = scoreTrust({ ...input, observations: [...others, { indicatorCode: code, ...valueFor(code, worse), observedOn: date }] }, cfg, AS_OF);
          expect(b.score).toBeGreaterThanOrEqual(a.score);
          expect(b.band).toBeLessThanOrEqual(a.band);
        },
      ),
      { numRuns: 1000, seed: 42 },
    );
  });

  it("each DSPT status in turn scores at least as high as the one before", () => {
    let previous = -1;
    for (const [i, status] of DSPT.entries()) {
      const score = scoreTrust(trust(replace(goodObservations(), { indicatorCode: "dspt_status", value: status, numericValue: i, observedOn: "2026-06-30" })), config, AS_OF).score;
      expect(score, status).toBeGreaterThanOrEqual(previous);
      previous = score;
    }
  });
});

describe("impact", () => {
  const obs = replace(goodObservations(), { indicatorCode: "dspt_status", value: "approaching", numericValue: 2, observedOn: "2026-06-30" });
  it("running a major trauma centre raises the score", () => {
    const plain = scoreTrust(trust(obs), config, AS_OF);
    const mtc = scoreTrust(trust(obs, { isMtc: true }), config, AS_OF);
    expect(mtc.impact).toBeGreaterThan(plain.impact);
    expect(mtc.score).toBeGreaterThan(plain.score);
    expect(mtc.likelihood).toBe(plain.likelihood);
  });

  it("being an ambulance trust raises the score", () => {
    const plain = scoreTrust(trust(obs, { broadType: "ambulance" }), config, AS_OF);
    const ambulance = scoreTrust(trust(obs, { broadType: "ambulance", isAmbulance: true }), config, AS_OF);
    expect(ambulance.score).toBeGreaterThan(plain.score);
  });

  it("size by type: an acute trust outranks a community trust with the same indicators", () => {
    expect(scoreTrust(trust(obs), config, AS_OF).score).toBeGreaterThan(scoreTrust(trust(obs, { broadType: "community" }), config, AS_OF).score);
  });

  it("impact is capped at 1", () => {
    const big = { ...config, impact: { ...config.impact, majorTraumaCentre: 3, ambulance: 3 } };
    expect(scoreTrust(trust(obs, { isMtc: true, isAmbulance: true }), big, AS_OF).impact).toBe(1);
  });
});

describe("bands", () => {
  const edges = { bandEdges: [50, 40, 32, 25, 18] };
  it("a score exactly on an edge is in the higher band; a tenth below is in the next", () => {
    expect(bandOf(42, config)).toBe(1);
    expect(bandOf(41.9, config)).toBe(2);
    expect(bandOf(11, config)).toBe(5);
    expect(bandOf(10.9, config)).toBe(6);
    expect(bandOf(50, edges)).toBe(1);
    expect(bandOf(49.9, edges)).toBe(2);
    expect(bandOf(40, edges)).toBe(2);
    expect(bandOf(39.9, edges)).toBe(3);
    expect(bandOf(32, edges)).toBe(3);
    expect(bandOf(25, edges)).toBe(4);
    expect(bandOf(24.9, edges)).toBe(5);
    expect(bandOf(18, edges)).toBe(5);
    expect(bandOf(17.9, edges)).toBe(6);
    expect(bandOf(0, edges)).toBe(6);
    expect(bandOf(100, edges)).toBe(1);
    expect(bandOf(33.3, { bandEdges: [60, 50, 33.3, 20, 10] })).toBe(3);
    expect(bandOf(33.2, { bandEdges: [60, 50, 33.3, 20, 10] })).toBe(4);
  });

  it("a scored trust on an edge lands in the higher band", () => {
    // Every indicator at badness 0.5 at impact 0.8 scores 40.0 exactly: the band 2 edge.
    const halfway: ModelConfig = {
      ...config,
      indicators: { incidents_12m: { weight: 1, normalise: { kind: "linear", good: 0, bad: 10 } } },
      bandEdges: [50, 40, 32, 25, 18],
    };
    const result = scoreTrust(trust([{ indicatorCode: "incidents_12m", value: "5", numericValue: 5, observedOn: AS_OF }]), halfway, AS_OF);
    expect(result.score).toBe(40);
    expect(result.band).toBe(2);
    const below = scoreTrust(trust([{ indicatorCode: "incidents_12m", value: "4.99", numericValue: 4.99, observedOn: AS_OF }]), halfway, AS_OF);
    expect(below.score).toBe(39.9);
    expect(below.band).toBe(3);
  });
});

describe("config validation", () => {
  const bad = (change: (c: ModelConfig) => void) => {
    const c = structuredClone(config) as ModelConfig;
    change(c);
    return checkModelConfig(c);
  };
  const cases: [string, (c: ModelConfig) => void, RegExp][] = [
    ["a negative weight", (c) => (c.indicators.incidents_12m!.weight = -1), /indicators\.incidents_12m\.weight/],
    ["every weight 0", (c) => Object.values(c.indicators).forEach((i) => (i.weight = 0)), /indicators/],
    ["equal thresholds", (c) => (c.indicators.incidents_12m!.normalise = { kind: "linear", good: 3, bad: 3 }), /normalise\.bad/],
    ["category badness that decreases", (c) => {
      const n = c.indicators.dspt_status!.normalise;
      if (n.kind === "category") n.badness = { ...n.badness, approaching: 0.1 };
    }, /badness\.approaching/],
    ["category badness above 1", (c) => {
      const n = c.indicators.dspt_status!.normalise;
      if (n.kind === "category") n.badness = { ...n.badness, not_met: 1.5 };
    }, /badness\.not_met/],
    ["badness for a category not in the list", (c) => {
      const n = c.indicators.dspt_status!.normalise;
      if (n.kind === "category") n.badness = { ...n.badness, shiny: 0 };
    }, /unknown categories/],
    ["repeated categories", (c) => (c.indicators.dspt_status!.normalise = { kind: "category", categories: ["met", "met"] }), /repeat/],
    ["missing badness above 1", (c) => (c.missingBadness = 1.1), /missingBadness/],
    ["a stale age of 0", (c) => (c.staleAfterDays = 0), /staleAfterDays/],
    ["a fractional stale age", (c) => (c.indicators.incidents_12m!.staleAfterDays = 10.5), /staleAfterDays/],
    ["stale blend above 1", (c) => (c.staleBlend = 2), /staleBlend/],
    ["a type factor of 0", (c) => (c.impact.byType.community = 0), /impact\.byType\.community/],
    ["a missing type factor", (c) => delete (c.impact.byType as Partial<ModelConfig["impact"]["byType"]>).unknown, /impact\.byType\.unknown/],
    ["an MTC multiplier below 1 (it would lower the score)", (c) => (c.impact.majorTraumaCentre = 0.9), /majorTraumaCentre/],
    ["band edges going up", (c) => (c.bandEdges = [10, 20, 30, 40, 50]), /bandEdges/],
    ["four band edges", (c) => (c.bandEdges = [50, 40, 30, 20]), /bandEdges/],
    ["band edges with two decimals", (c) => (c.bandEdges = [50, 40, 30.25, 20, 10]), /bandEdges/],
    ["an unknown field", (c) => ((c as unknown as Record<string, unknown>).extra = 1), /./],
    ["a bad indicator code", (c) => (c.indicators["Bad Code"] = { weight: 1, normalise: { kind: "linear", good: 0, bad: 1 } }), /Bad Code/],
    ["an unknown normalisation", (c) => (c.indicators.incidents_12m!.normalise = { kind: "log" } as never), /normalise/],
  ];
  it.each(cases)("rejects %s", (_label, change, where) => {
    const check = bad(change);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.map((e) => `${e.path}: ${e.message}`).join("\n")).toMatch(where);
  });

  it("rejects what is not a config at all", () => {
    expect(checkModelConfig(null).ok).toBe(false);
    expect(checkModelConfig({}).ok).toBe(false);
    expect(checkModelConfig({ ...config, schema: 2 }).ok).toBe(false);
  });

  it("round-trips through JSON", () => {
    expect(checkModelConfig(JSON.parse(JSON.stringify(config)))).toEqual({ ok: true, config });
  });
});

describe("comparing rankings", () => {
  const row = (trustCode: string, score: number, band: 1 | 2 | 3 | 4 | 5 | 6) => ({ trustCode, name: `Trust ${trustCode}`, score, band });
  it("reports places and bands moved, and the biggest movers", () => {
    const before = [row("A", 60, 1), row("B", 45, 2), row("C", 30, 4), row("D", 10, 6)];
    const after = [row("C", 55, 1), row("A", 50, 1), row("D", 20, 5), row("B", 19, 5)];
    const result = compareRankings(before, after);
    expect(result.moves.map((m) => [m.trustCode, m.rankChange, m.bandChange])).toEqual([
      ["C", 2, 3],
      ["A", -1, 0],
      ["D", 1, 1],
      ["B", -2, -3],
    ]);
    expect(result).toMatchObject({ movedUp: 2, movedDown: 2, unchanged: 0, bandsUp: 2, bandsDown: 1 });
    expect(result.bandCounts).toEqual({ before: [1, 1, 0, 1, 0, 1], after: [2, 0, 0, 0, 2, 0] });
    expect(result.topMovers.map((m) => m.trustCode)).toEqual(["C", "B", "A", "D"]);
    expect(result.moves[0]).toMatchObject({ before: { rank: 3, score: 30, band: 4 }, after: { rank: 1, score: 55, band: 1 }, scoreChange: 25 });
  });

  it("handles identical rankings and trusts in only one", () => {
    const list = [row("A", 60, 1), row("B", 45, 2)];
    expect(compareRankings(list, list)).toMatchObject({ movedUp: 0, movedDown: 0, unchanged: 2, topMovers: [] });
    const result = compareRankings(list, [row("B", 45, 2)]);
    expect(result.moves.map((m) => [m.trustCode, m.after?.rank ?? null])).toEqual([
      ["B", 1],
      ["A", null],
    ]);
  });
});
