/**
 * Ratings across inspected trusts: which inspection is a trust's latest (whatever order the rows come in), columns
 * in the framework's order under their top-level sections, cell codes, shares meeting the profile (each inspection
 * against its own minimums; not applicable, not assessed and no minimum left out), the trend with improved, held
 * and fell counted by app/baseline/rating.ts's movement, per framework version, and the trend chart's layout.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Minimum, Rating } from "../baseline/rating";
import {
  columnGroups,
  columnsOf,
  compareInspections,
  frameworkPictures,
  latestPerTrust,
  percent,
  ratingCell,
  ratingKey,
  tally,
  trendLayout,
  type CriterionRow,
  type RatedFinding,
  type RatedInspection,
  type SectionRow,
} from "./ratings";

const CAF = 1;
const CE = 2;

const sections: SectionRow[] = [
  { id: 10, frameworkVersionId: CAF, parentId: null, code: "A", title: "Managing security risk" },
  { id: 11, frameworkVersionId: CAF, parentId: 10, code: "A1", title: "Governance" },
  { id: 12, frameworkVersionId: CAF, parentId: null, code: "B", title: "Protecting against cyber attack" },
  { id: 13, frameworkVersionId: CAF, parentId: 12, code: "B2", title: "Identity and access control" },
  { id: 20, frameworkVersionId: CE, parentId: null, code: "requirements", title: "Cyber Essentials requirements" },
];

// Positions out of id order, to show columns follow the framework's order.
const criteria: CriterionRow[] = [
  { id: 103, frameworkVersionId: CAF, sectionId: 13, code: "B2.a", title: "Identity verification", scale: "caf", position: 3 },
  { id: 101, frameworkVersionId: CAF, sectionId: 11, code: "A1.a", title: "Board direction", scale: "caf", position: 1 },
  { id: 102, frameworkVersionId: CAF, sectionId: 11, code: "A1.b", title: "Roles and responsibilities", scale: "caf", position: 2 },
  { id: 201, frameworkVersionId: CE, sectionId: 20, code: "CE1", title: "Firewalls", scale: "met", position: 1 },
];

const frameworks = [
  { id: CAF, title: "NCSC Cyber Assessment Framework v3.2" },
  { id: CE, title: "Cyber Essentials Plus v3.1" },
];

const inspection = (inspectionId: string, trustCode: string, trustName: string, date: string, frameworkVersionId = CAF, approvedAt: string | null = `${date}T12:00:00.000Z`): RatedInspection => ({
  inspectionId,
  trustCode,
  trustName,
  date,
  approvedAt,
  frameworkVersionId,
  profileName: frameworkVersionId === CAF ? "GovAssure Baseline (version 1)" : "All met (version 1)",
});

const finding = (inspectionId: string, criterionId: number, rating: Rating, minimum: Minimum | null = "achieved"): RatedFinding => ({ inspectionId, criterionId, rating, minimum });

describe("latestPerTrust", () => {
  const rows = [
    inspection("i1", "RJ1", "Guy's and St Thomas'", "2024-10-17"),
    inspection("i2", "RJ1", "Guy's and St Thomas'", "2025-10-13"),
    inspection("i3", "RRU", "London Ambulance Service", "2025-11-24"),
    inspection("i4", "RJ1", "Guy's and St Thomas'", "2025-10-13", CE),
    inspection("i5", "AAA", "Airedale", "2025-01-01", CAF, "2025-01-02T09:00:00.000Z"),
    inspection("i6", "AAA", "Airedale", "2025-01-01", CAF, "2025-01-03T09:00:00.000Z"),
  ];

  it("keeps each trust's latest inspection on each framework version, by trust name then framework", () => {
    expect(latestPerTrust(rows).map((i) => i.inspectionId)).toEqual(["i6", "i2", "i4", "i3"]);
  });

  it("gives the same answer whatever order the rows come in", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), (shuffled) => {
        expect(latestPerTrust(shuffled).map((i) => i.inspectionId)).toEqual(["i6", "i2", "i4", "i3"]);
      }),
      { seed: 6, numRuns: 100 },
    );
  });

  it("breaks a tie on date and approval time by id", () => {
    const a = inspection("b", "X", "X", "2025-01-01");
    const b = inspection("a", "X", "X", "2025-01-01");
    expect(compareInspections(a, b)).toBeGreaterThan(0);
    expect(latestPerTrust([a, b])[0]!.inspectionId).toBe("b");
  });
});

describe("columns", () => {
  it("follow the framework's order, each under its top-level section", () => {
    const columns = columnsOf(CAF, sections, criteria);
    expect(columns.map((c) => [c.code, c.groupCode])).toEqual([
      ["A1.a", "A"],
      ["A1.b", "A"],
      ["B2.a", "B"],
    ]);
    expect(columnGroups(columns)).toEqual([
      { code: "A", title: "Managing security risk", span: 2 },
      { code: "B", title: "Protecting against cyber attack", span: 1 },
    ]);
    expect(columnsOf(CE, sections, criteria).map((c) => c.code)).toEqual(["CE1"]);
  });

  it("survive a section whose parent is missing or that loops", () => {
    const broken: SectionRow[] = [
      { id: 1, frameworkVersionId: 9, parentId: 2, code: "X", title: "X" },
      { id: 2, frameworkVersionId: 9, parentId: 1, code: "Y", title: "Y" },
      { id: 3, frameworkVersionId: 9, parentId: 99, code: "Z", title: "Z" },
    ];
    const columns = columnsOf(
      9,
      broken,
      [
        { id: 1, frameworkVersionId: 9, sectionId: 1, code: "c1", title: "", scale: "caf", position: 1 },
        { id: 2, frameworkVersionId: 9, sectionId: 3, code: "c2", title: "", scale: "caf", position: 2 },
      ],
    );
    expect(columns.map((c) => c.groupCode)).toHaveLength(2);
    expect(columns[1]!.groupCode).toBe("Z");
  });
});

describe("ratingCell and ratingKey", () => {
  it("gives each rating a short code, so a cell does not rely on its colour", () => {
    expect(ratingCell("achieved", "caf")).toEqual({ code: "A", label: "Achieved", kind: "achieved" });
    expect(ratingCell("partially_achieved", "caf")).toEqual({ code: "PA", label: "Partially achieved", kind: "partially_achieved" });
    expect(ratingCell("not_achieved", "caf")).toEqual({ code: "NA", label: "Not achieved", kind: "not_achieved" });
    expect(ratingCell("achieved", "met")).toEqual({ code: "M", label: "Met", kind: "achieved" });
    expect(ratingCell("not_achieved", "met")).toEqual({ code: "NM", label: "Not met", kind: "not_achieved" });
    expect(ratingCell("not_applicable", "caf").code).toBe("N/A");
    expect(ratingCell("not_assessed", "met").code).toBe("?");
    expect(ratingCell(null, "caf")).toEqual({ code: "–", label: "No finding", kind: "none" });
  });

  it("keys every code a framework's cells can show, and no two the same", () => {
    const key = ratingKey(["caf", "met"]);
    expect(key.map((k) => k.code)).toEqual(["A", "PA", "NA", "M", "NM", "N/A", "?"]);
    expect(ratingKey(["met"]).map((k) => k.code)).toEqual(["M", "NM", "N/A", "?"]);
  });
});

describe("tally", () => {
  it("counts each finding once, and the share is meeting over meeting and gaps", () => {
    const t = tally([
      { rating: "achieved", minimum: "achieved" },
      { rating: "partially_achieved", minimum: "partially_achieved" },
      { rating: "partially_achieved", minimum: "achieved" },
      { rating: "not_applicable", minimum: "achieved" },
      { rating: "not_assessed", minimum: "achieved" },
      { rating: null, minimum: "achieved" },
      { rating: "not_achieved", minimum: null },
    ]);
    expect(t).toEqual({ meeting: 2, gaps: 1, notApplicable: 1, notAssessed: 2, noMinimum: 1, share: 2 / 3 });
    expect(percent(t.share)).toBe("67%");
  });

  it("has no share when nothing was judged", () => {
    expect(tally([{ rating: "not_applicable", minimum: "achieved" }]).share).toBeNull();
    expect(tally([]).share).toBeNull();
    expect(percent(null)).toBe("None judged");
  });
});

describe("frameworkPictures", () => {
  // RJ1 twice on CAF (and once on CE), RRU once on CAF, Airedale once on CE only.
  const inspections = [
    inspection("rj1-2024", "RJ1", "Guy's and St Thomas'", "2024-10-17"),
    inspection("rj1-2025", "RJ1", "Guy's and St Thomas'", "2025-10-13"),
    inspection("rj1-2025", "RJ1", "Guy's and St Thomas'", "2025-10-13", CE),
    inspection("rru-2025", "RRU", "London Ambulance Service", "2025-11-24"),
    inspection("aire-2025", "RCF", "Airedale", "2025-06-01", CE),
  ];
  const findings = [
    // RJ1 2024: A1.a PA (gap), A1.b A, B2.a NA (gap).
    finding("rj1-2024", 101, "partially_achieved"),
    finding("rj1-2024", 102, "achieved"),
    finding("rj1-2024", 103, "not_achieved", "partially_achieved"),
    // RJ1 2025: A1.a A (improved), A1.b PA (fell, gap), B2.a N/A (not compared); CE1 Met.
    finding("rj1-2025", 101, "achieved"),
    finding("rj1-2025", 102, "partially_achieved"),
    finding("rj1-2025", 103, "not_applicable", "partially_achieved"),
    finding("rj1-2025", 201, "achieved"),
    // RRU: A1.a A, A1.b A, B2.a PA (meets its minimum of PA).
    finding("rru-2025", 101, "achieved"),
    finding("rru-2025", 102, "achieved"),
    finding("rru-2025", 103, "partially_achieved", "partially_achieved"),
    // Airedale: CE1 Not met.
    finding("aire-2025", 201, "not_achieved"),
  ];
  const pictures = frameworkPictures({ frameworks, sections, criteria, inspections, findings });
  const caf = pictures.find((p) => p.frameworkVersionId === CAF)!;
  const ce = pictures.find((p) => p.frameworkVersionId === CE)!;

  it("has a picture for each framework version inspected, in the order given", () => {
    expect(pictures.map((p) => p.title)).toEqual(["NCSC Cyber Assessment Framework v3.2", "Cyber Essentials Plus v3.1"]);
    expect(frameworkPictures({ frameworks, sections, criteria, inspections: [], findings: [] })).toEqual([]);
  });

  it("gives the heatmap one row per trust (its latest inspection), by name, with ratings in column order", () => {
    expect(caf.heatmap.map((r) => [r.trustCode, r.inspectionId])).toEqual([
      ["RJ1", "rj1-2025"],
      ["RRU", "rru-2025"],
    ]);
    expect(caf.heatmap[0]!.ratings).toEqual(["achieved", "partially_achieved", "not_applicable"]);
    expect(caf.heatmap[1]!.ratings).toEqual(["achieved", "achieved", "partially_achieved"]);
    expect(ce.heatmap.map((r) => r.trustCode)).toEqual(["RCF", "RJ1"]);
  });

  it("shows a criterion an inspection has no finding for as no rating", () => {
    const [picture] = frameworkPictures({ frameworks, sections, criteria, inspections: [inspection("x", "X", "X", "2025-01-01")], findings: [finding("x", 102, "achieved")] });
    expect(picture!.heatmap[0]!.ratings).toEqual([null, "achieved", null]);
    expect(picture!.shares.map((s) => s.notAssessed)).toEqual([1, 0, 1]);
  });

  it("counts, per criterion, the inspected trusts meeting their own profile at their latest inspection", () => {
    expect(caf.shares.map((s) => [s.code, s.meeting, s.meeting + s.gaps, s.notApplicable, s.inspected])).toEqual([
      ["A1.a", 2, 2, 0, 2],
      ["A1.b", 1, 2, 0, 2],
      ["B2.a", 1, 1, 1, 2],
    ]);
    expect(caf.shares.map((s) => s.share)).toEqual([1, 0.5, 1]);
    expect(ce.shares.map((s) => [s.code, s.meeting, s.gaps, s.share])).toEqual([["CE1", 1, 1, 0.5]]);
    expect(caf.profiles).toEqual(["GovAssure Baseline (version 1)"]);
  });

  it("follows trusts inspected more than once on the same framework version, with improved, held and fell", () => {
    expect(caf.trends).toHaveLength(1);
    const [rj1] = caf.trends;
    expect(rj1!.trustCode).toBe("RJ1");
    expect(rj1!.points.map((p) => [p.date, p.meeting, p.judged])).toEqual([
      ["2024-10-17", 1, 3],
      ["2025-10-13", 1, 2],
    ]);
    expect(rj1!.points.map((p) => p.share)).toEqual([1 / 3, 0.5]);
    expect(rj1!.steps).toEqual([{ fromDate: "2024-10-17", toDate: "2025-10-13", improved: 1, held: 0, fell: 1, notCompared: 1 }]);
    // Once on CE for RJ1 and once for Airedale: no trend there.
    expect(ce.trends).toEqual([]);
  });

  it("counts a step's criteria once each, whatever the ratings", () => {
    const ratings: Rating[] = ["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ratings), { minLength: 3, maxLength: 3 }), fc.array(fc.constantFrom(...ratings), { minLength: 3, maxLength: 3 }), (before, after) => {
        const rows = [inspection("one", "T", "T", "2024-01-01"), inspection("two", "T", "T", "2025-01-01")];
        const found = [...before.map((r, i) => finding("one", 101 + i, r)), ...after.map((r, i) => finding("two", 101 + i, r))];
        const [picture] = frameworkPictures({ frameworks, sections, criteria, inspections: rows, findings: found });
        const step = picture!.trends[0]!.steps[0]!;
        expect(step.improved + step.held + step.fell + step.notCompared).toBe(3);
      }),
      { seed: 2026, numRuns: 150 },
    );
  });

  it("puts three inspections of one trust in date order, with a step between each pair", () => {
    const rows = [inspection("c", "T", "T", "2026-01-01"), inspection("a", "T", "T", "2024-01-01"), inspection("b", "T", "T", "2025-01-01")];
    const found = [finding("a", 101, "not_achieved"), finding("b", 101, "partially_achieved"), finding("c", 101, "partially_achieved")];
    const [picture] = frameworkPictures({ frameworks, sections, criteria, inspections: rows, findings: found });
    const trend = picture!.trends[0]!;
    expect(trend.points.map((p) => p.inspectionId)).toEqual(["a", "b", "c"]);
    expect(trend.steps.map((s) => [s.fromDate, s.toDate, s.improved, s.held, s.fell])).toEqual([
      ["2024-01-01", "2025-01-01", 1, 0, 0],
      ["2025-01-01", "2026-01-01", 0, 1, 0],
    ]);
  });
});

describe("trendLayout", () => {
  const trend = (trustCode: string, points: [string, number | null][]) => ({
    trustCode,
    trustName: trustCode,
    points: points.map(([date, share], i) => ({ inspectionId: `${trustCode}-${i}`, date, meeting: 0, judged: 0, share })),
    steps: [],
  });

  it("spreads dates from left to right and shares from 0% at the bottom to 100% at the top, inside the plot", () => {
    const layout = trendLayout([
      trend("A", [
        ["2024-01-01", 0],
        ["2025-01-01", 1],
      ]),
      trend("B", [
        ["2024-07-01", 0.5],
        ["2026-01-01", null],
      ]),
    ]);
    const [a, b] = layout.lines;
    expect(layout.firstDate).toBe("2024-01-01");
    expect(layout.lastDate).toBe("2025-01-01");
    expect(a!.points[0]).toMatchObject({ x: layout.left, y: layout.height - layout.bottom });
    expect(a!.points[1]).toMatchObject({ x: layout.width - layout.right, y: layout.top });
    // An inspection with nothing judged has no point.
    expect(b!.points).toHaveLength(1);
    expect(b!.points[0]!.x).toBeGreaterThan(a!.points[0]!.x);
    expect(b!.points[0]!.x).toBeLessThan(a!.points[1]!.x);
    expect(b!.points[0]!.y).toBeCloseTo((layout.top + layout.height - layout.bottom) / 2, 0);
    expect(layout.ticks.map((t) => t.label)).toEqual(["0%", "50%", "100%"]);
  });

  it("centres inspections all on one day", () => {
    const layout = trendLayout([trend("A", [["2025-05-05", 0.25]])]);
    expect(layout.lines[0]!.points[0]!.x).toBeCloseTo(layout.left + (layout.width - layout.left - layout.right) / 2, 0);
  });
});
