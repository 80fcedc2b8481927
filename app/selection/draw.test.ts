/**
 * The selection draw, by properties (fast-check) over generated snapshots and seeds, and by a golden example
 * whose exact picks are written down (docs/selection.md quotes the same vectors for re-implementers).
 */
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EXCLUSIONS,
  inspectedRecently,
  isMandatory,
  parseSnapshot,
  planDraw,
  runDraw,
  weightForScore,
  WEIGHTING,
  type Candidate,
  type DrawSnapshot,
} from "./draw";
import { block53, commitmentFor, counterBytes, STREAMS, uniforms } from "./random";

// ── Generators ─────────────────────────────────────────────────────────────────────────────────────────────

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex"));

const candidateArb: fc.Arbitrary<Candidate> = fc
  .record({
    trustCode: fc.stringMatching(/^[A-Z0-9]{3,5}$/),
    score: fc.double({ min: 0, max: 100, noNaN: true }),
    band: fc.integer({ min: 1, max: 6 }),
    criticalNotAchievedDue: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    excluded: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...EXCLUSIONS) }),
    lastInspectedOn: fc.constantFrom(null, "2025-06-30"),
  })
  .map((c) => ({ ...c, name: `Trust ${c.trustCode}`, weight: weightForScore(c.score) }));

const snapshotArb: fc.Arbitrary<DrawSnapshot> = fc
  .record({
    capacity: fc.integer({ min: 1, max: 40 }),
    minMonthsSinceInspection: fc.integer({ min: 0, max: 60 }),
    validationShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    candidates: fc.uniqueArray(candidateArb, { maxLength: 60, selector: (c) => c.trustCode }),
  })
  .map(({ capacity, minMonthsSinceInspection, validationShare, candidates }) => ({
    formatVersion: 1 as const,
    rules: { capacity, minMonthsSinceInspection, validationShare, validationBands: [4, 5, 6] },
    modelVersion: { id: 1, name: "Test model" },
    asOf: "2026-11-30T09:00:00.000Z",
    takenAt: "2026-11-30T09:00:00.000Z",
    weighting: WEIGHTING,
    candidates,
  }));

const byCode = (snapshot: DrawSnapshot) => new Map(snapshot.candidates.map((c) => [c.trustCode, c]));

// ── Properties ─────────────────────────────────────────────────────────────────────────────────────────────

describe("runDraw: properties", () => {
  it("never picks more than the capacity, unless the mandatory trusts alone exceed it (then exactly those)", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, (snapshot, seed) => {
        const picks = runDraw(snapshot, seed);
        const plan = planDraw(snapshot);
        if (plan.overCapacity) {
          expect(picks).toHaveLength(plan.mandatory);
          expect(picks.every((p) => p.kind === "mandatory")).toBe(true);
        } else {
          expect(picks.length).toBeLessThanOrEqual(snapshot.rules.capacity);
        }
      }),
    );
  });

  it("never picks an excluded trust (a recently inspected one only when it is mandatory)", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, (snapshot, seed) => {
        const candidates = byCode(snapshot);
        for (const pick of runDraw(snapshot, seed)) {
          const c = candidates.get(pick.trustCode)!;
          expect(c).toBeDefined();
          expect(c.excluded === "closed" || c.excluded === "picked-in-another-round").toBe(false);
          if (c.excluded === "recently-inspected") expect(pick.kind).toBe("mandatory");
        }
      }),
    );
  });

  it("includes every mandatory trust (band 1, or a critical outcome Not achieved with re-inspection due), as mandatory and first", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, (snapshot, seed) => {
        const picks = runDraw(snapshot, seed);
        const mandatory = snapshot.candidates.filter((c) => (c.band === 1 || c.criticalNotAchievedDue) && (c.excluded === null || c.excluded === "recently-inspected"));
        const picked = picks.filter((p) => p.kind === "mandatory");
        expect(new Set(picked.map((p) => p.trustCode))).toEqual(new Set(mandatory.map((c) => c.trustCode)));
        expect(picks.slice(0, picked.length).every((p) => p.kind === "mandatory")).toBe(true);
      }),
    );
  });

  it("fills the capacity when there are enough candidates, each trust once, numbered 1, 2, 3…", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, (snapshot, seed) => {
        const picks = runDraw(snapshot, seed);
        expect(picks.map((p) => p.drawOrder)).toEqual(picks.map((_, i) => i + 1));
        expect(new Set(picks.map((p) => p.trustCode)).size).toBe(picks.length);
        const plan = planDraw(snapshot);
        const drawable = snapshot.candidates.filter((c) => c.excluded === null && !isMandatory(c));
        expect(picks.filter((p) => p.kind === "drawn")).toHaveLength(Math.min(plan.drawPlaces, drawable.length));
        const validationPool = drawable.filter((c) => c.band >= 4);
        if (validationPool.length >= plan.drawPlaces + plan.validationPlaces) {
          expect(picks.filter((p) => p.kind === "validation")).toHaveLength(plan.validationPlaces);
        }
      }),
    );
  });

  it("draws the validation sample only from bands 4 to 6, of trusts not excluded", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, (snapshot, seed) => {
        const candidates = byCode(snapshot);
        for (const pick of runDraw(snapshot, seed).filter((p) => p.kind === "validation")) {
          const c = candidates.get(pick.trustCode)!;
          expect([4, 5, 6]).toContain(c.band);
          expect(c.excluded).toBeNull();
          expect(pick.reason).toBe(`Validation sample from band ${c.band}`);
        }
      }),
    );
  });

  it("is deterministic: the same snapshot and seed give the same picks, after a JSON round trip and in any candidate order", () => {
    fc.assert(
      fc.property(snapshotArb, seedArb, fc.infiniteStream(fc.nat()), (snapshot, seed, noise) => {
        const first = runDraw(snapshot, seed);
        expect(runDraw(snapshot, seed)).toEqual(first);
        expect(runDraw(parseSnapshot(JSON.stringify(snapshot)), seed)).toEqual(first);
        const shuffled = snapshot.candidates
          .map((c) => ({ c, k: noise.next().value }))
          .sort((a, b) => a.k - b.k)
          .map(({ c }) => c);
        expect(runDraw({ ...snapshot, candidates: shuffled }, seed)).toEqual(first);
      }),
    );
  });

  it("draws a higher-weight trust more often than a lower-weight one, over many seeds", () => {
    // Generated pools of 2 to 12 drawable trusts with one drawn place; the heaviest is at least 3 times the
    // lightest. Its chance of being drawn is then at least 3 times greater, so over 300 seeds the heaviest
    // wins by a wide margin (expected counts are far apart). The fast-check seed is fixed: it cannot flake.
    const poolArb = fc
      .uniqueArray(fc.stringMatching(/^[A-Z]{3}$/), { minLength: 2, maxLength: 12 })
      .chain((codes) => fc.tuple(fc.constant(codes), fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: codes.length, maxLength: codes.length })))
      .filter(([, weights]) => Math.max(...weights) >= 3 * Math.min(...weights));
    fc.assert(
      fc.property(poolArb, ([codes, weights]) => {
        const snapshot: DrawSnapshot = {
          formatVersion: 1,
          rules: { capacity: 1, minMonthsSinceInspection: 0, validationShare: 0, validationBands: [4, 5, 6] },
          modelVersion: { id: 1, name: "Test model" },
          asOf: "2026-11-30T09:00:00.000Z",
          takenAt: "2026-11-30T09:00:00.000Z",
          weighting: "given",
          candidates: codes.map((code, i) => ({
            trustCode: code,
            name: code,
            score: weights[i]!,
            band: 3,
            weight: weights[i]!,
            lastInspectedOn: null,
            criticalNotAchievedDue: false,
            excluded: null,
          })),
        };
        const heaviest = codes[weights.indexOf(Math.max(...weights))]!;
        const lightest = codes[weights.indexOf(Math.min(...weights))]!;
        const counts = new Map<string, number>();
        for (let i = 0; i < 300; i++) {
          const seed = createHash("sha256").update(`seed ${i}`).digest("hex");
          const [pick] = runDraw(snapshot, seed);
          counts.set(pick!.trustCode, (counts.get(pick!.trustCode) ?? 0) + 1);
        }
        expect(counts.get(heaviest) ?? 0).toBeGreaterThan(counts.get(lightest) ?? 0);
      }),
      { seed: 20261130, numRuns: 25 },
    );
  });

  it("draws each trust in proportion to its weight when there is one place (Efraimidis–Spirakis)", () => {
    // Weights 10, 30 and 60: the first pick should come out about 10%, 30% and 60% of the time.
    const snapshot: DrawSnapshot = {
      formatVersion: 1,
      rules: { capacity: 1, minMonthsSinceInspection: 0, validationShare: 0, validationBands: [4, 5, 6] },
      modelVersion: { id: 1, name: "Test model" },
      asOf: "2026-11-30T09:00:00.000Z",
      takenAt: "2026-11-30T09:00:00.000Z",
      weighting: "given",
      candidates: [10, 30, 60].map((w, i) => ({
        trustCode: `T${i}`,
        name: `T${i}`,
        score: w,
        band: 2,
        weight: w,
        lastInspectedOn: null,
        criticalNotAchievedDue: false,
        excluded: null,
      })),
    };
    const counts = [0, 0, 0];
    const runs = 3000;
    for (let i = 0; i < runs; i++) {
      const [pick] = runDraw(snapshot, createHash("sha256").update(`share ${i}`).digest("hex"));
      counts[Number(pick!.trustCode.slice(1))]! += 1;
    }
    // Standard deviations are under 28 draws: allow about 4 of them.
    expect(Math.abs(counts[0]! - 300)).toBeLessThan(110);
    expect(Math.abs(counts[1]! - 900)).toBeLessThan(110);
    expect(Math.abs(counts[2]! - 1800)).toBeLessThan(110);
  });
});

describe("the seed's commitment", () => {
  it("is SHA-256 of the revealed seed's 32 bytes, and does not match any other seed", () => {
    fc.assert(
      fc.property(seedArb, seedArb, (seed, other) => {
        const commitment = commitmentFor(seed);
        expect(commitment).toMatch(/^[0-9a-f]{64}$/);
        expect(commitment).toBe(createHash("sha256").update(Buffer.from(seed, "hex")).digest("hex"));
        if (other !== seed) expect(commitmentFor(other)).not.toBe(commitment);
      }),
    );
  });

  it("refuses a seed that is not 64 lowercase hexadecimal characters", () => {
    for (const bad of ["", "00", "Z".repeat(64), "A".repeat(64), "0".repeat(63), "0".repeat(65)]) {
      expect(() => commitmentFor(bad)).toThrow(/64 lowercase hexadecimal/);
      expect(() => uniforms(bad, 0, 1)).toThrow(/64 lowercase hexadecimal/);
    }
  });
});

describe("the generator", () => {
  it("gives doubles in (0, 1) built from the top 53 bits of HMAC-SHA256(seed, stream × 2^32 + index)", () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 0, max: 3 }), (seed, stream) => {
        const us = uniforms(seed, stream, 20);
        for (const [i, u] of us.entries()) {
          expect(u).toBeGreaterThan(0);
          expect(u).toBeLessThan(1);
          const block = createHmac("sha256", Buffer.from(seed, "hex")).update(counterBytes(stream, i)).digest();
          const n = Number(block.readBigUInt64BE(0) >> 11n);
          expect(u).toBe(n / 2 ** 53);
        }
      }),
    );
  });

  it("keeps the streams independent: the draw and the validation streams differ", () => {
    const seed = "00".repeat(32);
    expect(uniforms(seed, STREAMS.draw, 5)).not.toEqual(uniforms(seed, STREAMS.validation, 5));
    expect(counterBytes(1, 2).toString("hex")).toBe("0000000100000002");
  });

  it("matches the published test vectors", () => {
    const seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    expect(commitmentFor(seed)).toBe(GOLDEN.commitment);
    expect([0, 1, 2].map((i) => block53(seed, 0, i))).toEqual(GOLDEN.draw53);
    expect([0, 1, 2].map((i) => block53(seed, 1, i))).toEqual(GOLDEN.validation53);
    expect(uniforms(seed, 0, 3)).toEqual(GOLDEN.draw53.map((n) => n / 2 ** 53));
  });
});

// ── A golden example: exact picks for a fixed snapshot and seed ────────────────────────────────────────────

const GOLDEN = {
  commitment: "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd",
  draw53: [5596081319056127, 6903129324416797, 8766796018065449],
  validation53: [2002218364174425, 5440525617785367, 948189804947258],
};

function goldenSnapshot(): DrawSnapshot {
  const rows: [string, number, number, Candidate["excluded"], boolean][] = [
    // trustCode, score, band, excluded, criticalNotAchievedDue
    ["RAA", 91.4, 1, null, false],
    ["RBB", 88.0, 1, "recently-inspected", false],
    ["RCC", 72.5, 2, null, false],
    ["RDD", 70.1, 2, null, false],
    ["REE", 63.2, 2, null, false],
    ["RFF", 55.0, 3, null, false],
    ["RGG", 50.3, 3, "picked-in-another-round", false],
    ["RHH", 44.4, 3, null, true],
    ["RJJ", 35.9, 4, null, false],
    ["RKK", 30.0, 4, "recently-inspected", false],
    ["RLL", 22.2, 5, null, false],
    ["RMM", 15.5, 5, null, false],
    ["RNN", 9.9, 6, null, false],
    ["RPP", 0.4, 6, null, false],
    ["RQQ", 95.0, 1, "closed", false],
  ];
  return {
    formatVersion: 1,
    rules: { capacity: 8, minMonthsSinceInspection: 12, validationShare: 0.25, validationBands: [4, 5, 6] },
    modelVersion: { id: 3, name: "Golden model" },
    asOf: "2026-11-30T09:00:00.000Z",
    takenAt: "2026-11-30T09:01:00.000Z",
    weighting: WEIGHTING,
    candidates: rows.map(([trustCode, score, band, excluded, criticalNotAchievedDue]) => ({
      trustCode,
      name: `Trust ${trustCode}`,
      score,
      band,
      weight: weightForScore(score),
      lastInspectedOn: excluded === "recently-inspected" ? "2026-06-01" : null,
      criticalNotAchievedDue,
      excluded,
    })),
  };
}

describe("runDraw: golden example", () => {
  it("picks exactly these trusts, in this order, for this seed", () => {
    const seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const snapshot = goldenSnapshot();
    expect(planDraw(snapshot)).toEqual({ mandatory: 3, drawPlaces: 3, validationPlaces: 2, overCapacity: false });
    expect(runDraw(snapshot, seed)).toEqual([
      { trustCode: "RAA", kind: "mandatory", drawOrder: 1, reason: "Band 1: mandatory" },
      { trustCode: "RBB", kind: "mandatory", drawOrder: 2, reason: "Band 1: mandatory (included although inspected recently)" },
      { trustCode: "RHH", kind: "mandatory", drawOrder: 3, reason: "Re-inspection due after a critical outcome rated Not achieved (band 3): mandatory" },
      { trustCode: "RCC", kind: "drawn", drawOrder: 4, reason: "Drawn at random, weight 72.5 (band 2)" },
      { trustCode: "REE", kind: "drawn", drawOrder: 5, reason: "Drawn at random, weight 63.2 (band 2)" },
      { trustCode: "RJJ", kind: "drawn", drawOrder: 6, reason: "Drawn at random, weight 35.9 (band 4)" },
      { trustCode: "RPP", kind: "validation", drawOrder: 7, reason: "Validation sample from band 6" },
      { trustCode: "RNN", kind: "validation", drawOrder: 8, reason: "Validation sample from band 6" },
    ]);
    // The same picks come out of the independent Python re-implementation in docs/selection.md.
  });

  it("picks every mandatory trust even over capacity, highest score first, and nothing else", () => {
    const snapshot = goldenSnapshot();
    snapshot.rules.capacity = 2;
    expect(planDraw(snapshot)).toMatchObject({ mandatory: 3, drawPlaces: 0, validationPlaces: 0, overCapacity: true });
    expect(runDraw(snapshot, "ff".repeat(32))).toEqual([
      { trustCode: "RAA", kind: "mandatory", drawOrder: 1, reason: "Band 1: mandatory" },
      { trustCode: "RBB", kind: "mandatory", drawOrder: 2, reason: "Band 1: mandatory (included although inspected recently)" },
      { trustCode: "RHH", kind: "mandatory", drawOrder: 3, reason: "Re-inspection due after a critical outcome rated Not achieved (band 3): mandatory" },
    ]);
  });

  it("refuses a snapshot that lists a trust twice", () => {
    const snapshot = goldenSnapshot();
    snapshot.candidates.push({ ...snapshot.candidates[0]! });
    expect(() => runDraw(snapshot, "ff".repeat(32))).toThrow(/RAA twice/);
  });
});

describe("weights and recent inspections", () => {
  it("weights a trust by its score to one decimal place, never below 1", () => {
    expect(weightForScore(63.24)).toBe(63.2);
    expect(weightForScore(0)).toBe(1);
    expect(weightForScore(100)).toBe(100);
  });

  it("counts an inspection as recent when it falls within the minimum months before the period starts", () => {
    expect(inspectedRecently(null, "2027-04-01", 12)).toBe(false);
    expect(inspectedRecently("2026-04-01", "2027-04-01", 12)).toBe(false);
    expect(inspectedRecently("2026-04-02", "2027-04-01", 12)).toBe(true);
    expect(inspectedRecently("2026-04-02", "2027-04-01", 0)).toBe(false);
    // 31 March less one month: the last day of February.
    expect(inspectedRecently("2027-02-28", "2027-03-31", 1)).toBe(false);
    expect(inspectedRecently("2027-03-01", "2027-03-31", 1)).toBe(true);
  });
});
