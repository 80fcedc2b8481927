/**
 * The visit planner, by properties (fast-check, with a fixed seed so a run cannot flake) over generated rounds —
 * every planned visit keeps every hard rule, every pick is accounted for, the plan is deterministic — and by
 * examples for each hard rule, the distance preference and checkSchedule's messages.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSchedule, planVisits, type Inspector, type PlanInput, type PlannerPick } from "./planner";
import { addCalendarDays, isWorkingDay } from "./working-days";

const FC = { seed: 20260105, numRuns: 150 } as const;

const SEED_A = "a".repeat(64);
const HOLIDAYS_2026 = new Set(["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]);

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────

const LONDON = { lat: 51.5074, lon: -0.1278 };
const LEEDS = { lat: 53.8008, lon: -1.5491 };
const PLYMOUTH = { lat: 50.3755, lon: -4.1427 };

function inspector(id: string, overrides: Partial<Inspector> = {}): Inspector {
  return {
    id,
    name: `Inspector ${id}`,
    homeRegionCode: "Y56",
    base: LONDON,
    skills: ["technical_testing", "governance_risk"],
    maxVisitsPerWeek: 5,
    nonWorkingWeekdays: [],
    leave: [],
    conflicts: [],
    ...overrides,
  };
}

function pick(trustCode: string, priority: number, overrides: Partial<PlannerPick> = {}): PlannerPick {
  return { trustCode, trustName: `Trust ${trustCode}`, regionCode: "Y56", location: LONDON, priority, ...overrides };
}

function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    seed: SEED_A,
    period: { start: "2026-03-02", end: "2026-03-06" },
    holidays: HOLIDAYS_2026,
    picks: [pick("RAA", 1)],
    inspectors: [inspector("a"), inspector("b")],
    existingVisits: [],
    ...overrides,
  };
}

/** Plans, and checks the invariants every plan must keep. */
function plan(i: PlanInput) {
  const result = planVisits(i);
  expect(checkSchedule(i, result.visits)).toEqual([]);
  expect(result.visits.length + result.unplaced.length).toBe(i.picks.length);
  return result;
}

// ── Generators ─────────────────────────────────────────────────────────────────────────────────────────────

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex"));
const BASE = "2026-01-01";
/** Dates from 1 January to the end of April 2026 (Easter and two May bank holidays in reach). */
const dateArb = fc.integer({ min: 0, max: 140 }).map((n) => addCalendarDays(BASE, n));
const TRUSTS = ["RAA", "RBB", "RCC", "RDD", "REE", "RFF", "RGG", "RHH", "RJJ", "RKK"];
const REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"];
const placeArb = fc.option(fc.record({ lat: fc.double({ min: 50, max: 55.5, noNaN: true }), lon: fc.double({ min: -5, max: 1.5, noNaN: true }) }), { freq: 5 });
const rangeArb = fc.tuple(dateArb, fc.integer({ min: 0, max: 12 })).map(([start, length]) => ({ start, end: addCalendarDays(start, length) }));

const inspectorArb = fc.record({
  name: fc.constantFrom("Jo Patel", "Ben Brennan", "Ada Okafor", "Sam Reid", "Priya Shah", "Tom Hughes"),
  homeRegionCode: fc.constantFrom(...REGIONS),
  base: placeArb,
  skills: fc.subarray(["technical_testing", "governance_risk"] as const),
  maxVisitsPerWeek: fc.integer({ min: 0, max: 4 }),
  nonWorkingWeekdays: fc.subarray([1, 2, 3, 4, 5], { maxLength: 3 }),
  leave: fc.array(rangeArb, { maxLength: 3 }),
  conflicts: fc.array(fc.record({ trustCode: fc.constantFrom(...TRUSTS), until: fc.option(dateArb) }), { maxLength: 3 }),
});

const inputArb: fc.Arbitrary<PlanInput> = fc
  .record({
    seed: seedArb,
    period: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 45 })).map(([from, length]) => ({
      start: addCalendarDays(BASE, from),
      end: addCalendarDays(BASE, from + length),
    })),
    extraHolidays: fc.array(dateArb, { maxLength: 3 }),
    trusts: fc.subarray(TRUSTS, { minLength: 1 }),
    places: fc.array(fc.record({ regionCode: fc.constantFrom(...REGIONS), location: placeArb }), { minLength: 10, maxLength: 10 }),
    inspectors: fc.array(inspectorArb, { maxLength: 9 }),
    existing: fc.array(
      fc.record({ date: dateArb, team: fc.array(fc.nat(9), { minLength: 1, maxLength: 3 }), trustCode: fc.constantFrom(...TRUSTS, "ZZZ1", "ZZZ2") }),
      { maxLength: 8 },
    ),
    teamSize: fc.constantFrom(undefined, 2 as const, 3 as const),
  })
  .map((r) => ({
    seed: r.seed,
    period: r.period,
    holidays: new Set([...HOLIDAYS_2026, ...r.extraHolidays]),
    picks: r.trusts.map((trustCode, n) => ({ trustCode, trustName: `Trust ${trustCode}`, ...r.places[n]!, priority: n + 1 })),
    inspectors: r.inspectors.map((i, n) => ({ ...i, id: `i${n}`, name: `${i.name} ${n}` })),
    existingVisits: r.existing.map((v) => ({ date: v.date, inspectorIds: [...new Set(v.team.map((n) => `i${n}`))], trustCode: v.trustCode })),
    ...(r.teamSize ? { teamSize: r.teamSize } : {}),
  }));

// ── Properties ─────────────────────────────────────────────────────────────────────────────────────────────

describe("planVisits, by properties", () => {
  it("never breaks a hard rule, and accounts for every pick exactly once", () => {
    const seen = { placed: 0, unplaced: 0 };
    fc.assert(
      fc.property(inputArb, (i) => {
        const result = planVisits(i);
        seen.placed += result.visits.length;
        seen.unplaced += result.unplaced.length;
        expect(checkSchedule(i, result.visits)).toEqual([]);
        const placed = result.visits.map((v) => v.trustCode);
        const unplaced = result.unplaced.map((u) => u.trustCode);
        expect([...placed, ...unplaced].sort()).toEqual(i.picks.map((p) => p.trustCode).sort());
        for (const u of result.unplaced) expect(u.reasons.length).toBeGreaterThan(0);
        for (const v of result.visits) {
          expect(v.reasons.length).toBeGreaterThan(0);
          expect(v.date >= i.period.start && v.date <= i.period.end).toBe(true);
          expect(isWorkingDay(v.date, i.holidays)).toBe(true);
          expect(v.memberIds).toHaveLength((i.teamSize ?? 2) - 1);
        }
      }),
      FC,
    );
    // The generated rounds are neither all easy nor all impossible.
    expect(seen.placed).toBeGreaterThan(100);
    expect(seen.unplaced).toBeGreaterThan(100);
  });

  it("is deterministic: the same input gives the same plan", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const copy: PlanInput = { ...structuredClone({ ...i, holidays: [...i.holidays] }), holidays: new Set(i.holidays) };
        expect(planVisits(copy)).toEqual(planVisits(i));
      }),
      { ...FC, numRuns: 60 },
    );
  });

  it("leaves a lone pick unplaced only when no team on any working day keeps every rule", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const one = { ...i, picks: i.picks.slice(0, 1) };
        // Unplaced: then no day of the period has a team that checkSchedule accepts.
        // (The first five inspectors only, to keep the search small: the rest are dropped from the input too.)
        one.inspectors = one.inspectors.slice(0, 5);
        if (planVisits(one).unplaced.length === 0) return;
        const members = one.inspectors.map((x) => x.id);
        const size = one.teamSize ?? 2;
        // Every lead with every (unordered) set of other members, on every working day of the period.
        const teams: string[][] = [];
        for (const lead of members) {
          const others = members.filter((m) => m !== lead);
          if (size === 2) for (const a of others) teams.push([lead, a]);
          else for (let x = 0; x < others.length; x++) for (let y = x + 1; y < others.length; y++) teams.push([lead, others[x]!, others[y]!]);
        }
        for (let d = one.period.start; d <= one.period.end; d = addCalendarDays(d, 1)) {
          if (!isWorkingDay(d, one.holidays)) continue;
          for (const [leadId, ...memberIds] of teams) {
            expect(checkSchedule(one, [{ trustCode: one.picks[0]!.trustCode, date: d, leadId: leadId!, memberIds }]).length).toBeGreaterThan(0);
          }
        }
      }),
      { ...FC, numRuns: 60 },
    );
  });

  it("varies the dates with the seed", () => {
    const i = input({
      period: { start: "2026-01-05", end: "2026-03-27" },
      picks: TRUSTS.slice(0, 6).map((code, n) => pick(code, n + 1)),
      inspectors: ["a", "b", "c", "d"].map((id) => inspector(id)),
    });
    const seeds = fc.sample(seedArb, { numRuns: 8, seed: 7 });
    const schedules = new Set(seeds.map((seed) => plan({ ...i, seed }).visits.map((v) => `${v.trustCode} ${v.date}`).sort().join(",")));
    expect(schedules.size).toBeGreaterThan(1);
    const weekdays = new Set(seeds.flatMap((seed) => plan({ ...i, seed }).visits.map((v) => new Date(`${v.date}T00:00:00Z`).getUTCDay())));
    expect(weekdays.size).toBeGreaterThan(2);
  });
});

// ── Hard rules, one by one ─────────────────────────────────────────────────────────────────────────────────

describe("planVisits, hard rules", () => {
  it("never uses the Easter bank holidays (3 and 6 April 2026) or a weekend", () => {
    const i = input({
      period: { start: "2026-03-30", end: "2026-04-10" },
      picks: TRUSTS.slice(0, 8).map((code, n) => pick(code, n + 1)),
      inspectors: ["a", "b", "c", "d", "e", "f"].map((id) => inspector(id)),
    });
    for (const seed of fc.sample(seedArb, { numRuns: 10, seed: 3 })) {
      const result = plan({ ...i, seed });
      expect(result.visits).toHaveLength(8);
      for (const v of result.visits) {
        expect(["2026-04-03", "2026-04-06", "2026-04-04", "2026-04-05"]).not.toContain(v.date);
      }
    }
  });

  it("explains a period with no working day", () => {
    const result = plan(input({ period: { start: "2026-04-03", end: "2026-04-06" } }));
    expect(result.unplaced).toEqual([{ trustCode: "RAA", reasons: ["There is no working day from 3 to 6 April 2026"] }]);
  });

  it("keeps an inspector with a conflict of interest off the team, and says so when no team is left", () => {
    const i = input({
      inspectors: [inspector("a", { name: "Jo Patel", conflicts: [{ trustCode: "RAA", until: null }] }), inspector("b"), inspector("c")],
    });
    const result = plan(i);
    expect(result.visits).toHaveLength(1);
    expect([result.visits[0]!.leadId, ...result.visits[0]!.memberIds].sort()).toEqual(["b", "c"]);

    const none = plan({ ...i, inspectors: i.inspectors.slice(0, 2) });
    expect(none.unplaced[0]!.reasons).toEqual([
      "No two inspectors are free on any working day from 2 to 6 March 2026 without a conflict of interest",
      "Jo Patel has a conflict of interest with Trust RAA",
      "At most 1 of the 1 inspector without a conflict is free on the same working day",
    ]);
  });

  it("ignores a conflict of interest that ended before the visit, and waits for one that ends in the period", () => {
    const ended = plan(input({ inspectors: [inspector("a", { conflicts: [{ trustCode: "RAA", until: "2026-02-27" }] }), inspector("b")] }));
    expect(ended.visits).toHaveLength(1);

    for (const seed of fc.sample(seedArb, { numRuns: 10, seed: 4 })) {
      const ending = plan(input({ seed, inspectors: [inspector("a", { conflicts: [{ trustCode: "RAA", until: "2026-03-04" }] }), inspector("b")] }));
      expect(ending.visits[0]!.date > "2026-03-04").toBe(true);
    }
  });

  it("keeps to each inspector's weekly limit, counting existing visits", () => {
    const i = input({
      picks: [pick("RAA", 1), pick("RBB", 2), pick("RCC", 3)],
      inspectors: [inspector("a", { name: "Ben Brennan", maxVisitsPerWeek: 2 }), inspector("b", { maxVisitsPerWeek: 2 })],
      existingVisits: [{ date: "2026-03-02", inspectorIds: ["a"], trustCode: "ZZZ1" }],
    });
    const result = plan(i);
    expect(result.visits).toHaveLength(1);
    expect(result.unplaced.map((u) => u.trustCode)).toEqual(["RBB", "RCC"]);
    expect(result.unplaced[0]!.reasons[0]).toBe("No two inspectors are free on any working day from 2 to 6 March 2026 without a conflict of interest");
    expect(result.unplaced[0]!.reasons[1]).toContain("at their weekly limit");
  });

  it("never books anyone twice on a day, counting existing visits", () => {
    for (const seed of fc.sample(seedArb, { numRuns: 10, seed: 5 })) {
      const result = plan(
        input({
          seed,
          existingVisits: ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"].map((date) => ({ date, inspectorIds: ["a"], trustCode: "ZZZ1" })),
        }),
      );
      expect(result.visits[0]!.date).toBe("2026-03-06");
    }
  });

  it("avoids leave and non-working weekdays", () => {
    for (const seed of fc.sample(seedArb, { numRuns: 10, seed: 6 })) {
      const result = plan(
        input({
          seed,
          inspectors: [inspector("a", { leave: [{ start: "2026-02-20", end: "2026-03-03" }] }), inspector("b", { nonWorkingWeekdays: [4, 5] })],
        }),
      );
      expect(result.visits[0]!.date).toBe("2026-03-04");
    }
    const never = plan(input({ inspectors: [inspector("a", { leave: [{ start: "2026-03-02", end: "2026-03-06" }] }), inspector("b")] }));
    expect(never.unplaced[0]!.reasons[1]).toBe("At most 1 of the 2 inspectors is free on the same working day (counting inspector-days: on leave 5 times)");
  });

  it("puts someone who does technical testing on every team", () => {
    const i = input({
      inspectors: [inspector("a", { skills: ["governance_risk"] }), inspector("b", { skills: ["governance_risk"] }), inspector("c", { base: LEEDS, homeRegionCode: "Y63" })],
    });
    const result = plan(i);
    expect([result.visits[0]!.leadId, ...result.visits[0]!.memberIds]).toContain("c");
    const none = plan({ ...i, inspectors: i.inspectors.slice(0, 2) });
    expect(none.unplaced[0]!.reasons).toContain("No inspector without a conflict of interest does technical testing");
    expect(none.unplaced[0]!.reasons[0]).toContain("including one who does technical testing");
  });

  it("does not plan a trust that already has a visit", () => {
    const result = plan(input({ existingVisits: [{ date: "2026-02-10", inspectorIds: ["a", "b"], trustCode: "RAA" }] }));
    expect(result.unplaced).toEqual([{ trustCode: "RAA", reasons: ["Trust RAA already has a visit on 10 February 2026, so it is not planned again"] }]);
  });

  it("makes teams of three when asked", () => {
    const result = plan(input({ teamSize: 3, inspectors: ["a", "b", "c"].map((id) => inspector(id)) }));
    expect(result.visits[0]!.memberIds).toHaveLength(2);
    expect(plan(input({ teamSize: 3 })).unplaced[0]!.reasons).toEqual(["There are only 2 inspectors; a team needs 3"]);
  });
});

// ── Preferences ────────────────────────────────────────────────────────────────────────────────────────────

describe("planVisits, preferences", () => {
  it("prefers local inspectors, and makes the nearest one the lead", () => {
    const i = input({
      picks: [pick("RAA", 1, { regionCode: "Y63", location: LEEDS })],
      inspectors: [inspector("far", { base: PLYMOUTH, homeRegionCode: "Y58" }), inspector("mid", { base: LONDON }), inspector("local", { base: LEEDS, homeRegionCode: "Y63" })],
    });
    for (const seed of fc.sample(seedArb, { numRuns: 5, seed: 8 })) {
      const visit = plan({ ...i, seed }).visits[0]!;
      expect(visit.leadId).toBe("local");
      expect(visit.distanceKm).toBe(0);
      expect(visit.memberIds).toEqual(["mid"]);
    }
  });

  it("shares the work out", () => {
    const result = plan(
      input({
        period: { start: "2026-03-02", end: "2026-03-27" },
        picks: TRUSTS.slice(0, 6).map((code, n) => pick(code, n + 1)),
        inspectors: ["a", "b", "c", "d"].map((id) => inspector(id)),
      }),
    );
    const counts = new Map<string, number>();
    for (const v of result.visits) for (const id of [v.leadId, ...v.memberIds]) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([3, 3, 3, 3]);
  });
});

// ── checkSchedule's messages ───────────────────────────────────────────────────────────────────────────────

describe("checkSchedule", () => {
  const i = input({
    period: { start: "2026-03-02", end: "2026-04-30" },
    picks: [pick("RAA", 1, { trustName: "Leeds Teaching Hospitals" }), pick("RBB", 2)],
    inspectors: [
      inspector("jo", { name: "Jo Patel", leave: [{ start: "2026-03-02", end: "2026-03-06" }], nonWorkingWeekdays: [5], conflicts: [{ trustCode: "RAA", until: "2026-06-30" }] }),
      inspector("ben", { name: "Ben Brennan", maxVisitsPerWeek: 2, skills: ["governance_risk"] }),
      inspector("ada", { name: "Ada Okafor", skills: ["governance_risk"], conflicts: [{ trustCode: "RAA", until: null }, { trustCode: "RBB", until: "2026-03-01" }] }),
    ],
    existingVisits: [
      { date: "2026-03-02", inspectorIds: ["ben"], trustCode: "ZZZ1" },
      { date: "2026-03-03", inspectorIds: ["ben"], trustCode: "ZZZ2" },
    ],
  });
  const messages = (visits: Parameters<typeof checkSchedule>[1]) => checkSchedule(i, visits).map((b) => b.message);

  it("accepts a visit that keeps every rule (a conflict that ended before the visit does not count)", () => {
    expect(messages([{ trustCode: "RBB", date: "2026-03-10", leadId: "jo", memberIds: ["ada"] }])).toEqual([]);
  });

  it("names each broken rule specifically", () => {
    expect(messages([{ trustCode: "RAA", date: "2026-03-04", leadId: "jo", memberIds: ["ben"] }])).toEqual([
      "Jo Patel is on leave from 2 to 6 March 2026",
      "Jo Patel has a conflict of interest with Leeds Teaching Hospitals until 30 June 2026",
      "Ben Brennan already has 2 visits in the week of 2 March 2026 (limit 2)",
    ]);
    expect(messages([{ trustCode: "RBB", date: "2026-03-05", leadId: "ben", memberIds: ["ada"] }])).toEqual([
      "No one on the team does technical testing",
      "Ben Brennan already has 2 visits in the week of 2 March 2026 (limit 2)",
    ]);
    expect(messages([{ trustCode: "RBB", date: "2026-04-06", leadId: "jo", memberIds: ["ada"] }])).toEqual(["6 April 2026 is a bank holiday"]);
    expect(messages([{ trustCode: "RBB", date: "2026-03-07", leadId: "jo", memberIds: ["ada"] }])).toEqual(["7 March 2026 is a Saturday, not a working day"]);
    expect(messages([{ trustCode: "RBB", date: "2026-03-13", leadId: "jo", memberIds: ["ada"] }])).toEqual(["Jo Patel does not work on Fridays"]);
    expect(messages([{ trustCode: "RBB", date: "2026-05-05", leadId: "jo", memberIds: ["ada"] }])).toEqual(["5 May 2026 is outside the period (2 March to 30 April 2026)"]);
    expect(messages([{ trustCode: "RAA", date: "2026-03-10", leadId: "ada", memberIds: ["ben"] }])).toEqual([
      "No one on the team does technical testing",
      "Ada Okafor has a conflict of interest with Leeds Teaching Hospitals with no end date",
    ]);
    expect(messages([{ trustCode: "RBB", date: "2026-03-10", leadId: "jo", memberIds: ["ada", "ben"] }])).toEqual([
      "The team has 3 people; teams have 2 (a lead and 1 member)",
    ]);
    expect(messages([{ trustCode: "RCC", date: "2026-03-10", leadId: "jo", memberIds: ["nobody"] }])).toEqual([
      "RCC is not one of this round's picks",
      'There is no inspector with the id "nobody"',
    ]);
  });

  it("finds double bookings and second visits within the schedule", () => {
    expect(
      messages([
        { trustCode: "RBB", date: "2026-03-10", leadId: "jo", memberIds: ["ada"] },
        { trustCode: "RBB", date: "2026-03-11", leadId: "jo", memberIds: ["ada"] },
        { trustCode: "RAA", date: "2026-03-10", leadId: "ben", memberIds: ["jo"] },
      ]),
    ).toEqual([
      "Trust RBB already has a visit on 10 March 2026",
      "Jo Patel has a conflict of interest with Leeds Teaching Hospitals until 30 June 2026",
      "Jo Patel already has a visit on 10 March 2026 (Trust RBB)",
    ]);
  });
});
