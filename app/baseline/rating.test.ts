/**
 * The rating roll-up, overrides, gaps and due dates: exhaustively against oracles written here from the rule text
 * (every small criterion, every answer; every derived × chosen × reason), by a full table for gaps, by dates worked
 * out by hand across Easter and Christmas 2026, and by properties (fast-check, fixed seed) for the monotonicity of
 * the roll-up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDICATOR_LEVELS, RATINGS, SCALES, type IndicatorLevel, type Rating, type Scale } from "./framework-file";
import {
  deriveRating,
  DUE_WORKING_DAYS,
  gapStatus,
  hasEarlierRatings,
  isGap,
  LEVEL_ORDER,
  movement,
  MOVEMENT_LABELS,
  MOVEMENTS,
  OVERRIDE_REASON_MAX,
  ratingLabel,
  ratingsFor,
  resolveRating,
  resolveSeverity,
  SEVERITIES,
  suggestedDueDate,
  summariseFindings,
  summariseMovements,
  type DerivedRating,
  type GapStatus,
  type IndicatorAnswers,
  type Minimum,
  type Movement,
  type MovementSummary,
  type Severity,
} from "./rating";
import { addCalendarDays, isWorkingDay, workingDaysBetween } from "../scheduling/working-days";

const FC = { seed: 20260403, numRuns: 500 } as const;

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────

interface Indicator {
  id: string;
  level: IndicatorLevel;
}

/** Every sequence of levels with at most `max` indicators of each level (so every shape, in every order). */
function levelSequences(max: number): IndicatorLevel[][] {
  const out: IndicatorLevel[][] = [];
  const grow = (seq: IndicatorLevel[], left: Record<IndicatorLevel, number>) => {
    out.push(seq);
    for (const level of INDICATOR_LEVELS) {
      if (left[level] > 0) grow([...seq, level], { ...left, [level]: left[level] - 1 });
    }
  };
  grow([], { achieved: max, partially_achieved: max, not_achieved: max });
  return out;
}

/** Every way of giving `n` answers, each one of `states` (ABSENT: the id is left out of the record). */
const ABSENT: unique symbol = Symbol("absent");
type AnswerState = boolean | null | undefined | typeof ABSENT;
function answerVectors(n: number, states: readonly AnswerState[]): AnswerState[][] {
  let out: AnswerState[][] = [[]];
  for (let i = 0; i < n; i++) out = out.flatMap((v) => states.map((s): AnswerState[] => [...v, s]));
  return out;
}

const idOf = (i: number) => `ind-${i}`;
const indicatorsOf = (levels: readonly IndicatorLevel[]): Indicator[] => levels.map((level, i) => ({ id: idOf(i), level }));
function answersOf(states: readonly AnswerState[]): IndicatorAnswers {
  const answers: Record<string, boolean | null | undefined> = {};
  states.forEach((s, i) => {
    if (s !== ABSENT) answers[idOf(i)] = s;
  });
  return answers;
}

/**
 * The CAF roll-up, straight from the rule text: "any Not-achieved indicator true → not_achieved; else all Achieved
 * indicators true (and there is at least one) → achieved; else all Partially-achieved indicators true (and there is
 * at least one) → partially_achieved; otherwise none". Ticked means exactly `true`.
 */
function cafOracle(levels: readonly IndicatorLevel[], states: readonly AnswerState[]): DerivedRating | null {
  const count = { achieved: 0, partially_achieved: 0, not_achieved: 0 };
  const ticked = { achieved: 0, partially_achieved: 0, not_achieved: 0 };
  for (let i = 0; i < levels.length; i++) {
    count[levels[i]!] += 1;
    if (states[i] === true) ticked[levels[i]!] += 1;
  }
  if (ticked.not_achieved > 0) return "not_achieved";
  if (count.achieved > 0 && ticked.achieved === count.achieved) return "achieved";
  if (count.partially_achieved > 0 && ticked.partially_achieved === count.partially_achieved) return "partially_achieved";
  return null;
}

/** The Cyber Essentials roll-up: any Not met → Not met; all Met (at least one) → Met; otherwise none. */
function metOracle(states: readonly AnswerState[]): DerivedRating | null {
  let met = 0;
  for (const s of states) {
    if (s === false) return "not_achieved";
    if (s === true) met += 1;
  }
  return states.length > 0 && met === states.length ? "achieved" : null;
}

// ── deriveRating ───────────────────────────────────────────────────────────────────────────────────────────

describe("deriveRating, exhaustively", () => {
  it("agrees with the rule for every CAF criterion of up to 2 indicators per level, in every order, for every answer", () => {
    const sequences = levelSequences(2);
    // 3^3 shapes, every ordering of each: Σ multinomial(a, p, n) over a, p, n ≤ 2.
    expect(sequences).toHaveLength(1 + 3 + 9 + 24 + 54 + 90 + 90);
    const seen = new Map<string, number>();
    let cases = 0;
    for (const levels of sequences) {
      const indicators = indicatorsOf(levels);
      for (const states of answerVectors(levels.length, [true, false, ABSENT])) {
        const got = deriveRating("caf", indicators, answersOf(states));
        const want = cafOracle(levels, states);
        if (got !== want) expect({ levels, states, got }).toEqual({ levels, states, got: want });
        seen.set(String(got), (seen.get(String(got)) ?? 0) + 1);
        cases += 1;
      }
    }
    expect(cases).toBe(92593);
    // Every outcome is reached, so the comparison above is not vacuous.
    expect([...seen.keys()].sort()).toEqual(["achieved", "not_achieved", "null", "partially_achieved"]);
  });

  it("agrees with the rule for every met-scale criterion of up to 4 requirements, for every answer (Met, Not met, unanswered)", () => {
    const seen = new Map<string, number>();
    let cases = 0;
    for (let n = 0; n <= 4; n++) {
      const indicators = indicatorsOf(Array.from({ length: n }, () => "achieved" as const));
      for (const states of answerVectors(n, [true, false, null, undefined, ABSENT])) {
        const got = deriveRating("met", indicators, answersOf(states));
        const want = metOracle(states);
        if (got !== want) expect({ states, got }).toEqual({ states, got: want });
        seen.set(String(got), (seen.get(String(got)) ?? 0) + 1);
        cases += 1;
      }
    }
    expect(cases).toBe(1 + 5 + 25 + 125 + 625);
    expect([...seen.keys()].sort()).toEqual(["achieved", "not_achieved", "null"]);
    // Met: exactly one all-Met answer per count of requirements (1 to 4); nothing derived with no requirements.
    expect(seen.get("achieved")).toBe(4);
  });
});

describe("deriveRating, the edge cases", () => {
  const A = (id: string): Indicator => ({ id, level: "achieved" });
  const P = (id: string): Indicator => ({ id, level: "partially_achieved" });
  const N = (id: string): Indicator => ({ id, level: "not_achieved" });

  it("never derives a rating for a criterion with no indicators", () => {
    for (const scale of SCALES) {
      expect(deriveRating(scale, [], {})).toBeNull();
      expect(deriveRating(scale, [], { stray: true, other: false })).toBeNull();
    }
  });

  it("with only achieved and not_achieved indicators: all achieved ticked gives achieved, never partially achieved", () => {
    const indicators = [A("a1"), A("a2"), N("n1")];
    expect(deriveRating("caf", indicators, { a1: true, a2: true })).toBe("achieved");
    expect(deriveRating("caf", indicators, { a1: true })).toBeNull();
    expect(deriveRating("caf", indicators, {})).toBeNull();
    expect(deriveRating("caf", indicators, { a1: true, a2: true, n1: true })).toBe("not_achieved");
  });

  it("with only not_achieved indicators: one ticked gives not achieved, none ticked gives nothing", () => {
    expect(deriveRating("caf", [N("n1"), N("n2")], { n2: true })).toBe("not_achieved");
    expect(deriveRating("caf", [N("n1"), N("n2")], { n1: false, n2: false })).toBeNull();
  });

  it("with only partially_achieved indicators: all ticked gives partially achieved", () => {
    expect(deriveRating("caf", [P("p1"), P("p2")], { p1: true, p2: true })).toBe("partially_achieved");
    expect(deriveRating("caf", [P("p1"), P("p2")], { p1: true })).toBeNull();
  });

  it("prefers achieved to partially achieved when both levels are fully ticked, and not achieved to both", () => {
    const indicators = [A("a1"), P("p1"), N("n1")];
    expect(deriveRating("caf", indicators, { a1: true, p1: true })).toBe("achieved");
    expect(deriveRating("caf", indicators, { a1: true, p1: false })).toBe("achieved");
    expect(deriveRating("caf", indicators, { a1: false, p1: true })).toBe("partially_achieved");
    expect(deriveRating("caf", indicators, { a1: true, p1: true, n1: true })).toBe("not_achieved");
  });

  it("counts only a strict true as ticked or Met, so an id shared with Object.prototype is unanswered", () => {
    const indicators = [A("constructor"), A("toString")];
    expect(deriveRating("caf", indicators, {})).toBeNull();
    expect(deriveRating("met", indicators, {})).toBeNull();
    expect(deriveRating("met", indicators, { constructor: true, toString: true })).toBe("achieved");
    expect(deriveRating("met", indicators, { constructor: true, toString: false })).toBe("not_achieved");
  });

  it("ignores answers to ids that are not the criterion's indicators", () => {
    expect(deriveRating("caf", [A("a1")], { a1: true, n9: true })).toBe("achieved");
    expect(deriveRating("met", [A("r1")], { r1: true, r2: false })).toBe("achieved");
  });

  it("refuses a met-scale criterion with an indicator not at the achieved level", () => {
    expect(() => deriveRating("met", [A("r1"), P("r2")], {})).toThrow(RangeError);
    expect(() => deriveRating("met", [N("r1")], { r1: true })).toThrow(/requirements at the achieved level, not not_achieved \("r1"\)/);
  });
});

describe("deriveRating, by properties", () => {
  /** A CAF criterion of 0 to 8 indicators with answers (true, false, null or missing). */
  const cafArb = fc
    .array(fc.record({ level: fc.constantFrom(...INDICATOR_LEVELS), answer: fc.constantFrom<AnswerState>(true, false, null, undefined, ABSENT) }), { maxLength: 8 })
    .map((xs) => ({ levels: xs.map((x) => x.level), states: xs.map((x) => x.answer) }));
  /** Worse to better; nothing derived sits apart (null). */
  const rank = (r: DerivedRating | null) => (r === null ? null : LEVEL_ORDER[r]);

  it("ticking one more achieved or partially achieved indicator never makes the derived rating worse", () => {
    fc.assert(
      fc.property(cafArb, fc.nat(), ({ levels, states }, pick) => {
        const unticked = levels.flatMap((level, i) => (level !== "not_achieved" && states[i] !== true ? [i] : []));
        if (unticked.length === 0) return;
        const i = unticked[pick % unticked.length]!;
        const indicators = indicatorsOf(levels);
        const before = deriveRating("caf", indicators, answersOf(states));
        const after = deriveRating("caf", indicators, answersOf(states.map((s, j) => (j === i ? true : s))));
        if (before === null) expect([null, levels[i]]).toContain(after);
        else {
          expect(after).not.toBeNull();
          expect(rank(after)!).toBeGreaterThanOrEqual(rank(before)!);
        }
      }),
      FC,
    );
  });

  it("ticking a not_achieved indicator always gives not achieved", () => {
    fc.assert(
      fc.property(cafArb, fc.nat(), ({ levels, states }, pick) => {
        const candidates = levels.flatMap((level, i) => (level === "not_achieved" ? [i] : []));
        if (candidates.length === 0) return;
        const i = candidates[pick % candidates.length]!;
        expect(deriveRating("caf", indicatorsOf(levels), answersOf(states.map((s, j) => (j === i ? true : s))))).toBe("not_achieved");
      }),
      FC,
    );
  });

  it("treats false, null and a missing answer alike on the CAF scale, and does not depend on the indicators' order", () => {
    fc.assert(
      fc.property(cafArb, fc.func(fc.constantFrom<AnswerState>(false, null, undefined, ABSENT)), ({ levels, states }, unticked) => {
        const indicators = indicatorsOf(levels);
        const derived = deriveRating("caf", indicators, answersOf(states));
        const relabelled = states.map((s, i) => (s === true ? true : unticked(i)));
        expect(deriveRating("caf", indicators, answersOf(relabelled))).toBe(derived);
        expect(deriveRating("caf", [...indicators].reverse(), answersOf(states))).toBe(derived);
      }),
      FC,
    );
  });

  it("answering one more requirement Met never makes a met-scale rating worse; Not met always gives Not met", () => {
    const metArb = fc.array(fc.constantFrom<AnswerState>(true, false, null, ABSENT), { maxLength: 10 });
    fc.assert(
      fc.property(metArb, fc.nat(), (states, pick) => {
        const open = states.flatMap((s, i) => (s !== true && s !== false ? [i] : []));
        if (open.length === 0) return;
        const i = open[pick % open.length]!;
        const indicators = indicatorsOf(states.map(() => "achieved" as const));
        const before = deriveRating("met", indicators, answersOf(states));
        const met = deriveRating("met", indicators, answersOf(states.map((s, j) => (j === i ? true : s))));
        const notMet = deriveRating("met", indicators, answersOf(states.map((s, j) => (j === i ? false : s))));
        expect(before).not.toBe("achieved");
        if (before === "not_achieved") expect(met).toBe("not_achieved");
        else expect([null, "achieved"]).toContain(met);
        expect(notMet).toBe("not_achieved");
      }),
      FC,
    );
  });
});

// ── Labels ─────────────────────────────────────────────────────────────────────────────────────────────────

describe("ratingLabel and ratingsFor", () => {
  it("names every rating on each scale", () => {
    const table = Object.fromEntries(SCALES.map((scale) => [scale, RATINGS.map((r) => ratingLabel(r, scale))]));
    expect(table).toEqual({
      caf: ["Achieved", "Partially achieved", "Not achieved", "Not applicable", "Not assessed"],
      met: ["Met", "Partially achieved", "Not met", "Not applicable", "Not assessed"],
    });
  });

  it("offers partially achieved on the CAF scale only", () => {
    expect(ratingsFor("caf")).toEqual(["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"]);
    expect(ratingsFor("met")).toEqual(["achieved", "not_achieved", "not_applicable", "not_assessed"]);
  });
});

// ── resolveRating ──────────────────────────────────────────────────────────────────────────────────────────

describe("resolveRating, every combination", () => {
  const REASONS: { reason: string | null | undefined; trimmed: string }[] = [
    { reason: undefined, trimmed: "" },
    { reason: null, trimmed: "" },
    { reason: "", trimmed: "" },
    { reason: "   ", trimmed: "" },
    { reason: " \n\t\u00a0", trimmed: "" },
    { reason: "Evidence seen on site", trimmed: "Evidence seen on site" },
    { reason: "  Padded reason \n", trimmed: "Padded reason" },
    { reason: "x", trimmed: "x" },
    { reason: "y".repeat(OVERRIDE_REASON_MAX), trimmed: "y".repeat(OVERRIDE_REASON_MAX) },
    { reason: `  ${"z".repeat(OVERRIDE_REASON_MAX)}  `, trimmed: "z".repeat(OVERRIDE_REASON_MAX) },
    { reason: "w".repeat(OVERRIDE_REASON_MAX + 1), trimmed: "w".repeat(OVERRIDE_REASON_MAX + 1) },
  ];
  const LABEL: Record<Scale, Record<DerivedRating, string>> = {
    caf: { achieved: "Achieved", partially_achieved: "Partially achieved", not_achieved: "Not achieved" },
    met: { achieved: "Met", partially_achieved: "(never derived)", not_achieved: "Not met" },
  };
  const DERIVABLE: Record<Scale, (DerivedRating | null)[]> = {
    caf: [null, "achieved", "partially_achieved", "not_achieved"],
    met: [null, "achieved", "not_achieved"],
  };

  /** The rule text, case by case. */
  function expected(scale: Scale, derived: DerivedRating | null, chosen: Rating | null | undefined, trimmed: string) {
    if (chosen === null || chosen === undefined) {
      if (derived !== null) return { ok: true, rating: derived, overridden: false, reason: null };
      const why = scale === "met" ? "the requirements answered do not decide it" : "the indicators ticked do not decide it";
      return { ok: false, error: `Choose a rating: ${why}` };
    }
    if (scale === "met" && chosen === "partially_achieved") {
      return { ok: false, error: "A Cyber Essentials requirement is Met or Not met: it cannot be Partially achieved" };
    }
    // Choosing when nothing is derived, or choosing what is derived, is not an override.
    if (derived === null || chosen === derived) return { ok: true, rating: chosen, overridden: false, reason: null };
    if (trimmed === "") {
      return { ok: false, error: `The ${scale === "met" ? "requirements" : "indicators"} give ${LABEL[scale][derived]}: give a reason to rate it differently` };
    }
    if (trimmed.length > 1000) return { ok: false, error: "The reason must be 1000 characters or fewer" };
    return { ok: true, rating: chosen, overridden: true, reason: trimmed };
  }

  it("accepts or refuses each (scale, derived, chosen, reason) as the rule says", () => {
    let cases = 0;
    const outcomes = new Set<string>();
    for (const scale of SCALES) {
      for (const derived of DERIVABLE[scale]) {
        for (const chosen of [null, undefined, ...RATINGS]) {
          for (const { reason, trimmed } of REASONS) {
            const got = resolveRating({ scale, derived, chosen, overrideReason: reason });
            const want = expected(scale, derived, chosen, trimmed);
            if (JSON.stringify(got) !== JSON.stringify(want)) expect({ scale, derived, chosen, reason, got }).toEqual({ scale, derived, chosen, reason, got: want });
            outcomes.add(got.ok ? `ok ${got.overridden}` : got.error.split(":")[0]!);
            cases += 1;
          }
        }
      }
    }
    expect(cases).toBe((4 + 3) * 7 * REASONS.length);
    expect([...outcomes].sort()).toEqual([
      "A Cyber Essentials requirement is Met or Not met",
      "Choose a rating",
      "The indicators give Achieved",
      "The indicators give Not achieved",
      "The indicators give Partially achieved",
      "The reason must be 1000 characters or fewer",
      "The requirements give Met",
      "The requirements give Not met",
      "ok false",
      "ok true",
    ]);
  });

  it("treats not applicable and not assessed as a plain choice when nothing is derived, and as an override otherwise", () => {
    for (const chosen of ["not_applicable", "not_assessed"] as const) {
      expect(resolveRating({ scale: "caf", derived: null, chosen })).toEqual({ ok: true, rating: chosen, overridden: false, reason: null });
      expect(resolveRating({ scale: "caf", derived: "achieved", chosen }).ok).toBe(false);
      expect(resolveRating({ scale: "met", derived: "not_achieved", chosen, overrideReason: "Device out of scope" })).toEqual({
        ok: true,
        rating: chosen,
        overridden: true,
        reason: "Device out of scope",
      });
    }
  });

  it("reads the spec's messages", () => {
    expect(resolveRating({ scale: "caf", derived: "not_achieved", chosen: "achieved", overrideReason: " " })).toEqual({
      ok: false,
      error: "The indicators give Not achieved: give a reason to rate it differently",
    });
    expect(resolveRating({ scale: "caf", derived: null, chosen: null })).toEqual({ ok: false, error: "Choose a rating: the indicators ticked do not decide it" });
    expect(resolveRating({ scale: "met", derived: null, chosen: "partially_achieved", overrideReason: "because" })).toEqual({
      ok: false,
      error: "A Cyber Essentials requirement is Met or Not met: it cannot be Partially achieved",
    });
  });

  it("refuses a chosen value that is not a rating, and a derived rating the scale cannot give", () => {
    expect(resolveRating({ scale: "caf", derived: null, chosen: "excellent" as Rating })).toEqual({ ok: false, error: "Choose one of the ratings offered" });
    expect(() => resolveRating({ scale: "met", derived: "partially_achieved", chosen: null })).toThrow(RangeError);
    expect(() => resolveRating({ scale: "caf", derived: "not_applicable" as DerivedRating, chosen: null })).toThrow(RangeError);
    expect(() => resolveRating({ scale: "caf", derived: "toString" as DerivedRating, chosen: null })).toThrow(RangeError);
  });
});

// ── Gaps ───────────────────────────────────────────────────────────────────────────────────────────────────

describe("gapStatus and isGap", () => {
  it("places every (rating, minimum) pair", () => {
    // Rows: the rating (null: not rated yet). Columns: the minimum achieved, partially_achieved, not_achieved, none.
    const table: Record<string, [GapStatus, GapStatus, GapStatus, GapStatus]> = {
      achieved: ["meets", "meets", "meets", "no-minimum"],
      partially_achieved: ["gap", "meets", "meets", "no-minimum"],
      not_achieved: ["gap", "gap", "meets", "no-minimum"],
      not_applicable: ["not-applicable", "not-applicable", "not-applicable", "not-applicable"],
      not_assessed: ["not-assessed", "not-assessed", "not-assessed", "not-assessed"],
      null: ["not-assessed", "not-assessed", "not-assessed", "not-assessed"],
    };
    const minimums: (Minimum | null)[] = ["achieved", "partially_achieved", "not_achieved", null];
    for (const rating of [...RATINGS, null]) {
      minimums.forEach((minimum, column) => {
        const want = table[String(rating)]![column]!;
        expect({ rating, minimum, status: gapStatus(rating, minimum) }).toEqual({ rating, minimum, status: want });
        expect(isGap(rating, minimum)).toBe(want === "gap");
      });
    }
  });

  it("needs a severity for a gap only, and drops one given for anything else", () => {
    expect(resolveSeverity("partially_achieved", "achieved", null)).toEqual({
      ok: false,
      error: "The rating is below the profile's minimum: choose a severity (critical, high, medium or low)",
    });
    expect(resolveSeverity("not_achieved", "partially_achieved", undefined).ok).toBe(false);
    expect(resolveSeverity("not_achieved", "achieved", "severe" as Severity).ok).toBe(false);
    for (const severity of SEVERITIES) expect(resolveSeverity("not_achieved", "achieved", severity)).toEqual({ ok: true, severity });
    expect(resolveSeverity("achieved", "achieved", "high")).toEqual({ ok: true, severity: null });
    expect(resolveSeverity("not_applicable", "achieved", "high")).toEqual({ ok: true, severity: null });
    expect(resolveSeverity("not_assessed", "achieved", "critical")).toEqual({ ok: true, severity: null });
    expect(resolveSeverity("not_achieved", null, "low")).toEqual({ ok: true, severity: null });
  });
});

// ── Due dates ──────────────────────────────────────────────────────────────────────────────────────────────

describe("suggestedDueDate", () => {
  /** England and Wales bank holidays, 2026 to May 2027. */
  const HOLIDAYS = new Set([
    "2026-01-01",
    "2026-04-03", // Good Friday
    "2026-04-06", // Easter Monday
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28", // Boxing Day, substitute day
    "2027-01-01",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
  ]);

  it("keeps the documented defaults, most severe soonest", () => {
    expect(SEVERITIES).toEqual(["critical", "high", "medium", "low"]);
    expect(DUE_WORKING_DAYS).toEqual({ critical: 10, high: 30, medium: 60, low: 90 });
  });

  it("skips weekends and the Easter 2026 bank holidays", () => {
    // Thursday 26 March: 10 working days is Monday 13 April, not Thursday 9 April (3 and 6 April do not count).
    const due = (from: string) => SEVERITIES.map((s) => suggestedDueDate(s, from, HOLIDAYS));
    expect(due("2026-03-26")).toEqual(["2026-04-13", "2026-05-12", "2026-06-24", "2026-08-05"]);
    expect(SEVERITIES.map((s) => suggestedDueDate(s, "2026-03-26", new Set()))).toEqual(["2026-04-09", "2026-05-07", "2026-06-18", "2026-07-30"]);
    // A visit the day before Good Friday, on Good Friday itself and on Easter Saturday: the same dates.
    for (const from of ["2026-04-02", "2026-04-03", "2026-04-04"]) expect(due(from)).toEqual(["2026-04-20", "2026-05-19", "2026-07-01", "2026-08-12"]);
  });

  it("skips Christmas Day and the Boxing Day substitute (28 December 2026)", () => {
    const due = (from: string) => SEVERITIES.map((s) => suggestedDueDate(s, from, HOLIDAYS));
    // Monday 14 December: 10 working days is Wednesday 30 December, not Monday 28 December.
    expect(due("2026-12-14")).toEqual(["2026-12-30", "2027-01-28", "2027-03-11", "2027-04-26"]);
    for (const from of ["2026-12-24", "2026-12-25", "2026-12-27"]) expect(due(from)).toEqual(["2027-01-12", "2027-02-09", "2027-03-23", "2027-05-07"]);
  });

  it("is exactly DUE_WORKING_DAYS[severity] working days after the visit date, on a working day", () => {
    const dateArb = fc.integer({ min: 0, max: 450 }).map((n) => addCalendarDays("2026-01-01", n));
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...SEVERITIES), (from, severity) => {
        const due = suggestedDueDate(severity, from, HOLIDAYS);
        expect(isWorkingDay(due, HOLIDAYS)).toBe(true);
        expect(workingDaysBetween(addCalendarDays(from, 1), due, HOLIDAYS)).toHaveLength(DUE_WORKING_DAYS[severity]);
      }),
      { ...FC, numRuns: 100 },
    );
  });

  it("refuses a date that is not yyyy-mm-dd", () => {
    expect(() => suggestedDueDate("high", "2026-02-30", HOLIDAYS)).toThrow(RangeError);
    expect(() => suggestedDueDate("high", "26/03/2026", HOLIDAYS)).toThrow(RangeError);
  });
});

// ── summariseFindings ──────────────────────────────────────────────────────────────────────────────────────

describe("summariseFindings", () => {
  it("counts a section's progress", () => {
    const summary = summariseFindings([
      { minimum: "achieved", rating: "achieved" }, // meets
      { minimum: "partially_achieved", rating: "achieved" }, // meets
      { minimum: "achieved", rating: "partially_achieved", severity: "high" }, // gap, high
      { minimum: "achieved", rating: "not_achieved", severity: "critical" }, // gap, critical
      { minimum: "partially_achieved", rating: "not_achieved", severity: "critical" }, // gap, critical
      { minimum: "achieved", rating: "not_achieved" }, // gap, no severity yet
      { minimum: "not_achieved", rating: "not_achieved", severity: "low" }, // meets (severity ignored)
      { minimum: null, rating: "not_achieved", severity: "medium" }, // no minimum (severity ignored)
      { minimum: "achieved", rating: "not_applicable", severity: "low" }, // not applicable
      { minimum: "achieved", rating: "not_assessed" }, // not assessed
      { minimum: null, rating: null }, // not rated yet
    ]);
    expect(summary).toEqual({
      total: 11,
      assessed: 9,
      notAssessed: 2,
      notApplicable: 1,
      meetsProfile: 3,
      noMinimum: 1,
      gaps: 4,
      gapsBySeverity: { critical: 2, high: 1, medium: 0, low: 0 },
      gapsWithoutSeverity: 1,
    });
  });

  it("counts nothing for an empty section", () => {
    expect(summariseFindings([])).toEqual({
      total: 0,
      assessed: 0,
      notAssessed: 0,
      notApplicable: 0,
      meetsProfile: 0,
      noMinimum: 0,
      gaps: 0,
      gapsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
      gapsWithoutSeverity: 0,
    });
  });

  it("puts every finding in exactly one bucket, agreeing with isGap", () => {
    const findingArb = fc.record({
      minimum: fc.constantFrom<Minimum | null>(null, ...INDICATOR_LEVELS),
      rating: fc.constantFrom<Rating | null>(null, ...RATINGS),
      severity: fc.constantFrom<Severity | null | undefined>(null, undefined, ...SEVERITIES),
    });
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 30 }), (findings) => {
        const s = summariseFindings(findings);
        expect(s.total).toBe(findings.length);
        expect(s.notAssessed + s.notApplicable + s.noMinimum + s.meetsProfile + s.gaps).toBe(s.total);
        expect(s.assessed).toBe(findings.filter((f) => f.rating !== null && f.rating !== "not_assessed").length);
        expect(s.gaps).toBe(findings.filter((f) => isGap(f.rating, f.minimum)).length);
        expect(Object.values(s.gapsBySeverity).reduce((a, b) => a + b, 0) + s.gapsWithoutSeverity).toBe(s.gaps);
        for (const severity of SEVERITIES) {
          expect(s.gapsBySeverity[severity]).toBe(findings.filter((f) => f.severity === severity && isGap(f.rating, f.minimum)).length);
        }
      }),
      FC,
    );
  });
});

// ── Movement since the last inspection ─────────────────────────────────────────────────────────────────────

describe("movement", () => {
  it("places every (previous, current) pair", () => {
    // Rows: the earlier rating (null: none). Columns: the current rating, in RATINGS order
    // (achieved, partially_achieved, not_achieved, not_applicable, not_assessed).
    const NC = "not comparable";
    const table: Record<string, [Movement, Movement, Movement, Movement, Movement]> = {
      achieved: ["held", "fell", "fell", NC, NC],
      partially_achieved: ["improved", "held", "fell", NC, NC],
      not_achieved: ["improved", "improved", "held", NC, NC],
      not_applicable: [NC, NC, NC, NC, NC],
      not_assessed: [NC, NC, NC, NC, NC],
      null: ["new", "new", "new", "new", "new"],
    };
    expect(RATINGS).toEqual(["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"]);
    let cases = 0;
    for (const previous of [...RATINGS, null]) {
      RATINGS.forEach((current, column) => {
        const want = table[String(previous)]![column]!;
        expect({ previous, current, movement: movement(previous, current) }).toEqual({ previous, current, movement: want });
        cases += 1;
      });
    }
    expect(cases).toBe(30);
  });

  it("reads Met and Not met (stored as achieved and not achieved) the same way", () => {
    // A Cyber Essentials requirement Not met last time and Met now improved; Met then Not met fell.
    expect(movement("not_achieved", "achieved")).toBe("improved");
    expect(movement("achieved", "not_achieved")).toBe("fell");
    expect(movement("achieved", "achieved")).toBe("held");
    expect(movement("not_achieved", "not_achieved")).toBe("held");
  });

  it("agrees with the order of the levels: improved one way is fell the other, held only for the same rating", () => {
    for (const a of INDICATOR_LEVELS) {
      for (const b of INDICATOR_LEVELS) {
        const forward = movement(a, b);
        const backward = movement(b, a);
        if (LEVEL_ORDER[b] > LEVEL_ORDER[a]) expect([forward, backward]).toEqual(["improved", "fell"]);
        else if (LEVEL_ORDER[b] < LEVEL_ORDER[a]) expect([forward, backward]).toEqual(["fell", "improved"]);
        else expect([a === b, forward, backward]).toEqual([true, "held", "held"]);
      }
    }
  });

  it("treats anything that is not a rating as not comparable, even an id shared with Object.prototype", () => {
    expect(movement("toString" as Rating, "achieved")).toBe("not comparable");
    expect(movement("achieved", "constructor" as Rating)).toBe("not comparable");
    expect(movement("excellent" as Rating, "excellent" as Rating)).toBe("not comparable");
  });

  it("has words for every movement", () => {
    expect(MOVEMENTS).toEqual(["improved", "held", "fell", "new", "not comparable"]);
    expect(MOVEMENTS.map((m) => MOVEMENT_LABELS[m])).toEqual(["improved", "held", "fell", "no earlier rating", "not comparable"]);
  });
});

describe("summariseMovements", () => {
  it("counts a section's movements", () => {
    const summary = summariseMovements(["improved", "held", "held", "fell", "new", "not comparable", "improved", "new", "held"]);
    expect(summary).toEqual({ improved: 2, held: 3, fell: 1, new: 2, notComparable: 1 });
    expect(hasEarlierRatings(summary)).toBe(true);
  });

  it("counts nothing for an empty section, and a section of new criteria has nothing to compare with", () => {
    expect(summariseMovements([])).toEqual({ improved: 0, held: 0, fell: 0, new: 0, notComparable: 0 });
    expect(hasEarlierRatings(summariseMovements([]))).toBe(false);
    expect(hasEarlierRatings(summariseMovements(["new", "new"]))).toBe(false);
    expect(hasEarlierRatings(summariseMovements(["new", "not comparable"]))).toBe(true);
  });

  it("puts every criterion in exactly one count, agreeing with movement", () => {
    const pairArb = fc.record({ previous: fc.constantFrom<Rating | null>(null, ...RATINGS), current: fc.constantFrom<Rating>(...RATINGS) });
    fc.assert(
      fc.property(fc.array(pairArb, { maxLength: 40 }), (pairs) => {
        const movements = pairs.map((p) => movement(p.previous, p.current));
        const s: MovementSummary = summariseMovements(movements);
        expect(s.improved + s.held + s.fell + s.new + s.notComparable).toBe(pairs.length);
        expect(s.new).toBe(pairs.filter((p) => p.previous === null).length);
        const comparable = pairs.filter((p) => p.previous !== null && p.previous in LEVEL_ORDER && p.current in LEVEL_ORDER);
        expect(s.improved + s.held + s.fell).toBe(comparable.length);
        expect(s.improved).toBe(comparable.filter((p) => LEVEL_ORDER[p.current as Minimum] > LEVEL_ORDER[p.previous as Minimum]).length);
        expect(s.fell).toBe(comparable.filter((p) => LEVEL_ORDER[p.current as Minimum] < LEVEL_ORDER[p.previous as Minimum]).length);
        expect(hasEarlierRatings(s)).toBe(pairs.some((p) => p.previous !== null));
      }),
      FC,
    );
  });
});
