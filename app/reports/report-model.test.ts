import { describe, expect, it } from "vitest";
import type { Rating } from "../baseline/rating";
import { buildReportModel, PROTECTIVE_MARKING, REPORT_LIMITS, type ReportBlock, type ReportCriterionData, type ReportData, type ReportModel } from "./report-model";
import { BREAK_OPPORTUNITY, breakLongWords, capText, normaliseText, reportLabel, reportLine, reportText, TRUNCATION_NOTE, withoutBreaks, WORD_BREAK_EVERY } from "./report-text";

// ── Text ─────────────────────────────────────────────────────────────────────────────────────────────────────

describe("report text", () => {
  it("normalises to NFC and removes control characters, keeping line breaks", () => {
    expect(normaliseText("Llanelli W\u0302yr")).toBe("Llanelli Ŵyr");
    expect(normaliseText("a\u0000b\u0007c\u001bd\u007fe\u0085f")).toBe("abcdef");
    expect(normaliseText("one\r\ntwo\rthree\u2028four")).toBe("one\ntwo\nthree\nfour");
    expect(normaliseText("tab\there")).toBe("tab here");
    // Bidirectional overrides would make printed text read differently from what was typed.
    expect(normaliseText("abc\u202edef\u2066g\u2069")).toBe("abcdefg");
    // A lone surrogate becomes the replacement character; a pair is kept.
    expect(normaliseText("x\ud800y😀")).toBe("x\ufffdy😀");
    expect(normaliseText("a\n\n\n\nb  \nc")).toBe("a\n\nb\nc");
  });

  it("caps text by characters, never splitting a character, and says how much was left out", () => {
    expect(capText("short", 10)).toBe("short");
    const emoji = "😀".repeat(30);
    const capped = capText(emoji, 10);
    expect(capped.startsWith("😀".repeat(10))).toBe(true);
    expect(capped).toContain(TRUNCATION_NOTE(20).trim());
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    // A combining mark is never left without its letter.
    const marks = capText("ab" + "e\u0301".repeat(10), 5);
    expect(marks.split(" [")[0]).toBe("abe\u0301");
    // Cut at a space in the last tenth before the cap when there is one.
    expect(capText("one two three four five six seven eight nine ten", 19)).toBe(`one two three four${TRUNCATION_NOTE(30)}`);
    expect(capText("one two three four five six seven eight nine ten", 21)).toBe(`one two three four fi${TRUNCATION_NOTE(27)}`);
    expect(() => capText("x", 0)).toThrow(RangeError);
  });

  it("gives a long unbroken word a break opportunity every few characters, and leaves ordinary words alone", () => {
    expect(breakLongWords("Łukasz Ελένη Llanelli Ŵyr")).toBe("Łukasz Ελένη Llanelli Ŵyr");
    const word = "x".repeat(50_000);
    const broken = breakLongWords(word);
    expect(withoutBreaks(broken)).toBe(word);
    const runs = broken.split(BREAK_OPPORTUNITY);
    expect(Math.max(...runs.map((r) => r.length))).toBeLessThanOrEqual(WORD_BREAK_EVERY);
    // Never before a combining mark.
    const accented = breakLongWords("e\u0301".repeat(40));
    for (const run of accented.split(BREAK_OPPORTUNITY)) expect(run.startsWith("\u0301")).toBe(false);
  });

  it("makes one-line text and short labels", () => {
    expect(reportLine("Guy's and\nSt Thomas'", 100)).toBe("Guy's and St Thomas'");
    expect(reportLabel("D Minimising the impact of cyber security incidents", 20)).toBe("D Minimising the im…");
    expect(reportLabel("Short", 20)).toBe("Short");
    expect(reportText(null, 10)).toBe("");
  });
});

// ── The model ────────────────────────────────────────────────────────────────────────────────────────────────

function criterion(code: string, title: string, rating: Rating, extra: Partial<ReportCriterionData> = {}): ReportCriterionData {
  const minimum = extra.minimum === undefined ? "achieved" : extra.minimum;
  const order = { not_achieved: 0, partially_achieved: 1, achieved: 2 } as Record<string, number>;
  const gap =
    rating === "not_assessed" ? "not-assessed" : rating === "not_applicable" ? "not-applicable" : minimum === null ? "no-minimum" : order[rating]! < order[minimum]! ? "gap" : "meets";
  return {
    code,
    title,
    scale: "caf",
    rating,
    minimum,
    gap,
    severity: null,
    previousRating: null,
    previousDate: null,
    movement: "new",
    observed: "",
    evidenceDocuments: "",
    evidencePeople: "",
    evidenceSystems: "",
    devicesSampled: null,
    devicesFailing: null,
    recommendation: "",
    actionDue: null,
    requirements: null,
    ...extra,
  };
}

function fixture(): ReportData {
  return {
    inspectionId: "i-1",
    trust: { odsCode: "RJ1", name: "Guy's & St Thomas' <NHS> Foundation Trust" },
    visitDate: "2026-03-12",
    arrivedAt: "2026-03-12T08:50:00Z",
    submittedAt: "2026-03-20T14:00:00Z",
    approvedAt: "2026-03-25T11:30:00Z",
    team: [
      { name: "Ελένη Παπαδοπούλου", role: "member" },
      { name: "Łukasz Nowak", role: "lead" },
    ],
    reviewerName: "Rhian Llanelli Ŵyr",
    frameworks: [
      {
        framework: "caf",
        version: "3.2",
        title: "NCSC CAF v3.2",
        profile: { name: "GovAssure Baseline", version: 2 },
        sections: [
          { code: "A", title: "Managing security risk", depth: 0, criteria: [] },
          {
            code: "A1",
            title: "Governance",
            depth: 1,
            criteria: [
              criterion("A1.a", "Board direction", "partially_achieved", {
                severity: "medium",
                observed: "The board hears of cyber risk once a year.\r\nŁukasz said so.",
                evidenceDocuments: "Board minutes",
                evidencePeople: "Ελένη (CIO)",
                recommendation: "Report to the board every quarter.",
                actionDue: "2026-06-12",
                previousRating: "not_achieved",
                previousDate: "2025-03-10",
                movement: "improved",
              }),
              criterion("A1.b", "Roles", "achieved", { previousRating: "achieved", previousDate: "2025-03-10", movement: "held" }),
            ],
          },
          {
            code: "A2",
            title: "Risk management",
            depth: 1,
            criteria: [
              criterion("A2.a", "Risk process", "not_achieved", {
                severity: "critical",
                recommendation: "Set up a risk process.",
                actionDue: "2026-04-01",
                previousRating: "partially_achieved",
                previousDate: "2025-03-10",
                movement: "fell",
              }),
            ],
          },
          { code: "B", title: "Protecting against cyber attack", depth: 0, criteria: [] },
          {
            code: "B1",
            title: "Policies",
            depth: 1,
            criteria: [
              criterion("B1.a", "Policy", "not_applicable"),
              criterion("B1.b", "Processes", "not_achieved", { severity: "high", recommendation: "Follow the processes.", actionDue: "2026-05-01" }),
              criterion("B1.c", "Not yet", "not_assessed"),
            ],
          },
        ],
      },
      {
        framework: "cyber-essentials-plus",
        version: "3.1",
        title: "Cyber Essentials Plus v3.1",
        profile: { name: "All met", version: 1 },
        sections: [
          {
            code: "requirements",
            title: "Cyber Essentials requirements",
            depth: 0,
            criteria: [
              criterion("CE-FW", "Firewalls", "achieved", { scale: "met", requirements: { met: 7, notMet: 0, unanswered: 0 } }),
              criterion("CE-UA", "User access control", "not_achieved", {
                scale: "met",
                severity: "high",
                recommendation: "Turn on MFA.",
                actionDue: "2026-05-01",
                requirements: { met: 9, notMet: 2, unanswered: 0 },
              }),
            ],
          },
          {
            code: "tests",
            title: "Cyber Essentials Plus tests",
            depth: 0,
            criteria: [criterion("CEP-T2", "Patching", "achieved", { scale: "met", devicesSampled: 20, devicesFailing: 0 })],
          },
        ],
      },
    ],
  };
}

const OPTIONS = { version: 1, publishedAt: "2026-04-02T09:00:00.000Z", draft: false };

/** Every string anywhere in the model. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

const headings = (model: ReportModel) => model.sections.flatMap((s) => s.blocks.filter((b): b is Extract<ReportBlock, { kind: "heading" }> => b.kind === "heading"));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("buildReportModel", () => {
  it("is pure: the same data and options give the same model, and the data is not changed", () => {
    const data = deepFreeze(fixture());
    const a = buildReportModel(data, OPTIONS);
    const b = buildReportModel(structuredClone(data), { ...OPTIONS });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("has a cover with the trust, its ODS code, the visit date, the version and the protective marking", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    expect(model.cover.trustName).toBe("Guy's & St Thomas' <NHS> Foundation Trust");
    const facts = Object.fromEntries(model.cover.facts.map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({ "ODS code": "RJ1", Visit: "12 March 2026", Report: "Version 1", Published: "2 April 2026", "Protective marking": PROTECTIVE_MARKING });
    expect(model.cover.draftNotice).toBeNull();
    expect(model.draft).toBe(false);
    expect(model.marking).toBe("OFFICIAL-SENSITIVE");
    expect(model.meta).toMatchObject({ author: "Care Quality Commission", lang: "en-GB", createdAt: "2026-04-02T09:00:00.000Z" });
    // The title goes into XML metadata: no &, < or >.
    expect(model.meta.title).toBe("Guy's and St Thomas' NHS Foundation Trust (RJ1): cyber security deep-dive inspection report, version 1");
    expect(model.footer).toBe("RJ1 deep-dive inspection report, version 1");
  });

  it("marks a draft as a draft", () => {
    const model = buildReportModel(fixture(), { ...OPTIONS, version: 2, draft: true });
    expect(model.draft).toBe(true);
    expect(model.cover.draftNotice).toMatch(/^DRAFT\./);
    expect(model.cover.facts.find((f) => f.label === "Report")?.value).toBe("Version 2 (draft)");
    expect(model.cover.facts.find((f) => f.label === "Draft prepared")?.value).toBe("2 April 2026");
    expect(model.meta.title).toContain("draft");
  });

  it("summarises the position against the profile: criteria meeting it, and gaps by severity", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    expect(model.summary.overall).toMatchObject({ total: 9, meetsProfile: 3, gaps: 4, notApplicable: 1, notAssessed: 1, gapsBySeverity: { critical: 1, high: 2, medium: 1, low: 0 } });
    expect(model.summary.frameworks.map((f) => [f.title, f.profile, f.summary.gaps])).toEqual([
      ["NCSC CAF v3.2", "GovAssure Baseline (version 2)", 3],
      ["Cyber Essentials Plus v3.1", "All met (version 1)", 1],
    ]);
    const summary = model.sections.find((s) => s.id === "summary")!;
    const text = strings(summary).join("\n");
    expect(text).toContain("3 of 9 criteria meet the profile; 4 gaps against it: 1 critical, 2 high, 1 medium, 0 low");
    const table = summary.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.table.rows.find((r) => r[0] === "Critical gaps")).toEqual(["Critical gaps", "1", "0", "1"]);
  });

  it("charts the ratings by CAF objective and the requirements by Cyber Essentials theme as stacked bars, and the change since the last inspection", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    expect(model.charts.map((c) => c.id)).toEqual(["framework-1-ratings", "framework-2-requirements", "movement"]);
    const [caf, ce, moved] = model.charts;
    expect(caf!.categories.map((c) => c.key)).toEqual(["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"]);
    expect(caf!.bars).toEqual([
      { label: "A Managing security risk", values: [1, 1, 1, 0, 0] },
      { label: "B Protecting against cyber attack", values: [0, 0, 1, 1, 1] },
    ]);
    expect(caf!.alt).toContain("A Managing security risk (3 criteria): 1 achieved, 1 partially achieved, 1 not achieved.");
    expect(ce!.bars).toEqual([
      { label: "CE-FW Firewalls", values: [7, 0, 0] },
      { label: "CE-UA User access control", values: [9, 2, 0] },
    ]);
    expect(ce!.alt).toContain("CE-UA User access control (11 requirements): 9 met, 2 not met.");
    expect(moved!.title).toBe("Change since the previous inspection (10 March 2025)");
    expect(moved!.bars).toEqual([{ label: "NCSC CAF v3.2", values: [1, 1, 1, 0] }]);
    expect(model.movement.overall).toMatchObject({ improved: 1, held: 1, fell: 1 });
    // Every chart is a figure in the charts section, after its own heading.
    const blocks = model.sections.find((s) => s.id === "charts")!.blocks;
    for (const c of model.charts) {
      const at = blocks.findIndex((b) => b.kind === "chart" && b.chart.id === c.id);
      expect(blocks[at - 1]).toMatchObject({ kind: "heading", text: c.title });
    }
  });

  it("has no change chart when there is no earlier inspection, and says so", () => {
    const data = fixture();
    for (const f of data.frameworks) for (const s of f.sections) for (const c of s.criteria) Object.assign(c, { previousRating: null, previousDate: null, movement: "new" });
    const model = buildReportModel(data, OPTIONS);
    expect(model.charts.map((c) => c.id)).not.toContain("movement");
    expect(strings(model.sections.find((s) => s.id === "summary")).join(" ")).toContain("no earlier approved inspection");
  });

  it("lists the findings by section with each criterion's id, title, rating, observation, evidence, severity and recommendation", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    const a1 = model.findings[0]!.sections.find((s) => s.code === "A1")!;
    expect(a1.criteria[0]).toEqual({
      code: "A1.a",
      title: "Board direction",
      rating: "Partially achieved",
      againstProfile: "Below the profile's minimum (Achieved): a gap",
      gap: true,
      severity: "Medium",
      movement: "improved",
      sinceLast: "Improved (previously Not achieved on 10 March 2025)",
      observed: "The board hears of cyber risk once a year.\nŁukasz said so.",
      evidence: ["Documents seen: Board minutes", "People spoken to: Ελένη (CIO)"],
      recommendation: "Report to the board every quarter.",
      due: "12 June 2026",
    });
    const ua = model.findings[1]!.sections[0]!.criteria[1]!;
    expect(ua).toMatchObject({ rating: "Not met", severity: "High", evidence: ["Requirements: 9 of 11 requirements met, 2 not met"] });
    expect(model.findings[1]!.sections[1]!.criteria[0]!.evidence).toEqual(["Devices: 20 devices sampled, 0 failing"]);
    // Every criterion is in the findings section under its heading.
    const text = headings(model).map((h) => h.text);
    for (const code of ["A1.a", "A1.b", "A2.a", "B1.a", "B1.b", "B1.c", "CE-FW", "CE-UA", "CEP-T2"]) expect(text.some((t) => t.startsWith(`${code} `))).toBe(true);
  });

  it("uses heading levels that never skip one: CAF outcomes at H6, Cyber Essentials criteria at H5", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    const levels = headings(model).map((h) => h.level);
    expect(levels[0]).toBe(2); // the cover's H1 is the trust's name
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
    expect(headings(model).find((h) => h.text.startsWith("A1.a"))?.level).toBe(6);
    expect(headings(model).find((h) => h.text.startsWith("CE-FW"))?.level).toBe(5);
  });

  it("makes an action plan of the gaps, most severe first, then by due date", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    expect(model.actions).toEqual([
      { criterion: "A2.a Risk process", action: "Set up a risk process.", severity: "Critical", due: "1 April 2026" },
      { criterion: "B1.b Processes", action: "Follow the processes.", severity: "High", due: "1 May 2026" },
      { criterion: "CE-UA User access control", action: "Turn on MFA.", severity: "High", due: "1 May 2026" },
      { criterion: "A1.a Board direction", action: "Report to the board every quarter.", severity: "Medium", due: "12 June 2026" },
    ]);
    const table = model.sections.find((s) => s.id === "action-plan")!.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.table.columns.map((c) => c.header)).toEqual(["Criterion", "Action", "Severity", "Due by"]);
  });

  it("describes the method: frameworks and versions, profiles and versions, the team's roles and the dates", () => {
    const model = buildReportModel(fixture(), OPTIONS);
    expect(model.method.frameworks).toEqual([
      { title: "NCSC CAF v3.2", version: "3.2", profile: "GovAssure Baseline", profileVersion: "2", criteria: 6 },
      { title: "Cyber Essentials Plus v3.1", version: "3.1", profile: "All met", profileVersion: "1", criteria: 3 },
    ]);
    expect(model.method.team).toEqual([
      { name: "Łukasz Nowak", role: "Lead inspector" },
      { name: "Ελένη Παπαδοπούλου", role: "Inspector" },
      { name: "Rhian Llanelli Ŵyr", role: "Reviewer (not on the visit)" },
    ]);
    expect(model.method.dates).toEqual([
      { label: "Visit", value: "12 March 2026" },
      { label: "Arrival (notice given)", value: "12 March 2026, 8:50am" },
      { label: "Findings submitted for review", value: "20 March 2026, 2:00pm" },
      { label: "Findings approved", value: "25 March 2026, 11:30am" },
      { label: "Report published", value: "2 April 2026, 10:00am" },
    ]);
  });

  it("cleans and caps every text: no control characters, long words broken, fields cut at their limit with a note", () => {
    const data = fixture();
    const a1a = data.frameworks[0]!.sections[1]!.criteria[0]!;
    a1a.observed = `Before\u0000\u001b[31m ${"y".repeat(50_000)} after`;
    a1a.recommendation = "R".repeat(10_000);
    data.trust.name = `Trust\u202e ${"N".repeat(500)}`;
    const model = buildReportModel(data, OPTIONS);
    for (const s of strings(model)) expect(s).not.toMatch(/[^\P{Cc}\n]|[\u202a-\u202e\u2066-\u2069]/u);
    const observed = model.findings[0]!.sections[1]!.criteria[0]!.observed;
    expect(observed.startsWith("Before[31m y")).toBe(true);
    expect(withoutBreaks(observed).length).toBeLessThan(REPORT_LIMITS.observed + 60);
    expect(observed).toContain("more characters not shown]");
    expect(Math.max(...observed.split(/[\s\u200b]/).map((w) => w.length))).toBeLessThanOrEqual(WORD_BREAK_EVERY);
    // The action plan's cell holds the start of a long recommendation.
    expect(withoutBreaks(model.actions.find((a) => a.criterion.startsWith("A1.a"))!.action).length).toBeLessThan(REPORT_LIMITS.action + 60);
    expect(withoutBreaks(model.cover.trustName).length).toBeLessThan(REPORT_LIMITS.name + 60);
  });

  it("refuses a version that is not a whole number from 1, or a date that is not one", () => {
    expect(() => buildReportModel(fixture(), { ...OPTIONS, version: 0 })).toThrow(RangeError);
    expect(() => buildReportModel(fixture(), { ...OPTIONS, version: 1.5 })).toThrow(RangeError);
    expect(() => buildReportModel(fixture(), { ...OPTIONS, publishedAt: "soon" })).toThrow(RangeError);
  });
});
