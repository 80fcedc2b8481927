import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { criteriaOf, FRAMEWORK_FORMAT, FrameworkFileError, frameworkJsonSchema, parseFrameworkFile, type FrameworkProblem } from "./framework-file";

const projectFile = (relative: string) => readFileSync(new URL(`../../${relative}`, import.meta.url), "utf8");
const csv = (name: string) => parse(projectFile(`db/reference/${name}`), { columns: true, skip_empty_lines: true }) as Record<string, string>[];

const cafRows = csv("caf_outcomes.csv").filter((row) => row.caf_version === "3.2");
const ceRows = csv("cyber_essentials.csv");
const caf = parseFrameworkFile(projectFile("db/frameworks/caf-3.2.json"));
const cePlus = parseFrameworkFile(projectFile("db/frameworks/cyber-essentials-plus-3.1.json"));

const unique = <T>(items: T[]) => [...new Set(items)];
/** items[i], which the test expects to be there. */
const nth = <T>(items: readonly T[], i: number): T => {
  const item = items[i];
  if (item === undefined) throw new Error(`nothing at [${i}]`);
  return item;
};

const problemsOf = (json: string): FrameworkProblem[] => {
  try {
    parseFrameworkFile(json);
  } catch (error) {
    if (error instanceof FrameworkFileError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
};

/** The smallest good file, to break one thing at a time. */
const minimal = () => ({
  format: FRAMEWORK_FORMAT,
  framework: "test",
  version: "1",
  title: "Test framework",
  source: "Written for this test",
  sections: [
    {
      id: "s1",
      title: "Section one",
      criteria: [{ id: "c1", title: "Criterion one", goodLooksLike: "Good.", evidence: "Ask." }],
    },
  ] as Record<string, unknown>[],
  profiles: [] as Record<string, unknown>[],
});

describe("the shipped CAF v3.2 file", () => {
  it("has the 4 objectives of the reference data as its top-level sections", () => {
    const objectives = unique(cafRows.map((row) => `${row.objective} ${row.objective_title}`));
    expect(caf.sections.map((s) => `${s.id} ${s.title}`)).toEqual(objectives);
    expect(objectives).toHaveLength(4);
    for (const objective of caf.sections) expect(objective.criteria).toEqual([]);
  });

  it("has the 14 principles, each under its objective", () => {
    const principles = unique(cafRows.map((row) => `${row.objective}/${row.principle} ${row.principle_title}`));
    expect(caf.sections.flatMap((o) => o.sections.map((p) => `${o.id}/${p.id} ${p.title}`))).toEqual(principles);
    expect(principles).toHaveLength(14);
    for (const principle of caf.sections.flatMap((o) => o.sections)) expect(principle.sections).toEqual([]);
  });

  it("has the 39 outcomes with the reference ids and titles, in order, under their principles", () => {
    expect(cafRows).toHaveLength(39);
    expect(criteriaOf(caf).map(({ criterion, sectionPath }) => [sectionPath.join("/"), criterion.id, criterion.title])).toEqual(
      cafRows.map((row) => [`${row.objective}/${row.principle}`, row.id, row.title]),
    );
  });

  it("rates every outcome on the CAF scale, records no devices and ships no indicators of good practice", () => {
    for (const { criterion } of criteriaOf(caf)) {
      expect(criterion.scale, criterion.id).toBe("caf");
      expect(criterion.recordsDevices, criterion.id).toBe(false);
      expect(criterion.indicators, criterion.id).toEqual([]);
    }
  });

  it("has the GovAssure Baseline and Enhanced profiles with exactly the reference minimums", () => {
    const rating: Record<string, string> = { Achieved: "achieved", "Partially achieved": "partially_achieved", "Not achieved": "not_achieved" };
    const expected = (column: string) =>
      Object.fromEntries(cafRows.flatMap((row) => (rating[row[column] ?? ""] ? [[row.id, rating[row[column] ?? ""]]] : [])));
    // Every v3.2 outcome has a minimum in both profiles; none is empty or "None".
    for (const row of cafRows) {
      expect(Object.keys(rating), row.id).toContain(row.govassure_min_baseline);
      expect(Object.keys(rating), row.id).toContain(row.govassure_min_enhanced);
    }
    expect(caf.profiles.map((p) => [p.id, p.name])).toEqual([
      ["govassure-baseline", "GovAssure Baseline"],
      ["govassure-enhanced", "GovAssure Enhanced"],
    ]);
    expect(nth(caf.profiles, 0).minimums).toEqual(expected("govassure_min_baseline"));
    expect(nth(caf.profiles, 1).minimums).toEqual(expected("govassure_min_enhanced"));
    expect(Object.keys(nth(caf.profiles, 0).minimums)).toHaveLength(39);
  });

  it("describes every outcome in its own words: nothing empty, nothing shared between outcomes", () => {
    const texts = criteriaOf(caf).flatMap(({ criterion }) => [criterion.goodLooksLike, criterion.evidence]);
    expect(texts).toHaveLength(78);
    for (const text of texts) expect(text.trim().length).toBeGreaterThan(100);
    expect(unique(texts)).toHaveLength(texts.length);
    const descriptions = caf.sections.flatMap((o) => [o.description, ...o.sections.map((p) => p.description)]);
    expect(descriptions.every((d) => d.length > 0)).toBe(true);
    expect(unique(descriptions)).toHaveLength(18);
  });

  it("states its provenance", () => {
    expect(caf.source).toContain("co-cddo/domains-webcaf");
    expect(caf.source).toContain("Open Government Licence");
    expect(caf.source).toContain("not NCSC wording");
  });
});

describe("the shipped Cyber Essentials Plus v3.1 file", () => {
  const requirements = nth(cePlus.sections, 0);
  const tests = nth(cePlus.sections, 1);
  const themes = ceRows.filter((row) => row.level === "theme");

  it("has a requirements section and a tests section and nothing else", () => {
    expect(cePlus.sections.map((s) => [s.id, s.title, s.sections.length])).toEqual([
      ["requirements", "Cyber Essentials requirements", 0],
      ["tests", "Cyber Essentials Plus tests", 0],
    ]);
  });

  it("has the 5 themes as met-scale criteria whose indicators are exactly the reference requirements", () => {
    expect(themes).toHaveLength(5);
    expect(requirements.criteria.map((c) => [c.id, c.title, c.scale, c.recordsDevices])).toEqual(themes.map((row) => [row.id, row.theme, "met", false]));
    for (const [i, theme] of themes.entries()) {
      const expected = ceRows.filter((row) => row.level === "requirement" && row.theme === theme.theme).map((row) => row.id);
      const { indicators } = nth(requirements.criteria, i);
      expect(indicators.map((indicator) => indicator.id)).toEqual(expected);
      expect(indicators.every((indicator) => indicator.level === "achieved")).toBe(true);
    }
    expect(requirements.criteria.flatMap((c) => c.indicators)).toHaveLength(ceRows.filter((row) => row.level === "requirement").length);
  });

  it("has the 5 Cyber Essentials Plus tests, each recording devices and with no indicators", () => {
    const testRows = ceRows.filter((row) => row.level === "plus_test");
    expect(testRows).toHaveLength(5);
    expect(tests.criteria.map((c) => [c.id, c.title, c.scale, c.recordsDevices, c.indicators.length])).toEqual(
      testRows.map((row) => [row.id, row.short_title, "met", true, 0]),
    );
  });

  it("has the all-met profile: every criterion at achieved", () => {
    expect(cePlus.profiles).toHaveLength(1);
    const profile = nth(cePlus.profiles, 0);
    expect(profile).toMatchObject({ id: "all-met", name: "All met" });
    expect(profile.minimums).toEqual(Object.fromEntries(criteriaOf(cePlus).map(({ criterion }) => [criterion.id, "achieved"])));
    expect(Object.keys(profile.minimums)).toHaveLength(10);
  });

  it("words every requirement and criterion itself: nothing empty, nothing shared, no short title copied", () => {
    const shortTitles = new Map(ceRows.map((row) => [row.id, row.short_title]));
    const indicators = requirements.criteria.flatMap((c) => c.indicators);
    for (const indicator of indicators) expect(indicator.text, indicator.id).not.toBe(shortTitles.get(indicator.id));
    const texts = [...indicators.map((i) => i.text), ...criteriaOf(cePlus).flatMap(({ criterion }) => [criterion.goodLooksLike, criterion.evidence])];
    for (const text of texts) expect(text.trim().length).toBeGreaterThan(30);
    expect(unique(texts)).toHaveLength(texts.length);
  });
});

describe("the JSON Schema", () => {
  it("docs/frameworks.schema.json is exactly what frameworkJsonSchema() generates", () => {
    expect(projectFile("docs/frameworks.schema.json")).toBe(JSON.stringify(frameworkJsonSchema(), null, 2) + "\n");
  });
});

describe("parseFrameworkFile refuses a malformed file, saying where and why", () => {
  it("accepts the minimal file, filling in the defaults", () => {
    const file = parseFrameworkFile(JSON.stringify(minimal()));
    expect(nth(file.sections, 0)).toMatchObject({ description: "", sections: [] });
    expect(nth(nth(file.sections, 0).criteria, 0)).toMatchObject({ scale: "caf", recordsDevices: false, indicators: [] });
  });

  it("refuses text that is not JSON", () => {
    const problems = problemsOf('{"format": ');
    expect(problems).toEqual([{ path: "", message: expect.stringMatching(/^Not JSON: /) }]);
    expect(() => parseFrameworkFile("")).toThrow(FrameworkFileError);
  });

  it("refuses the wrong format", () => {
    expect(problemsOf(JSON.stringify({ ...minimal(), format: "deep-dive-framework/2" }))).toEqual([
      { path: "format", message: 'format must be "deep-dive-framework/1"' },
    ]);
  });

  it("refuses a missing or blank title", () => {
    const { title: _title, ...untitled } = minimal();
    expect(problemsOf(JSON.stringify(untitled))).toEqual([{ path: "title", message: "title is missing" }]);
    expect(problemsOf(JSON.stringify({ ...minimal(), title: "   " }))).toEqual([{ path: "title", message: "title is empty" }]);
  });

  it("refuses an id used twice, naming both places", () => {
    const file = minimal();
    file.sections.push({ id: "s2", title: "Section two", criteria: [{ id: "c1", title: "Again", goodLooksLike: "Good.", evidence: "Ask." }] });
    expect(problemsOf(JSON.stringify(file))).toEqual([
      { path: "sections[1].criteria[0].id", message: 'The id "c1" is used twice (also at sections[0].criteria[0].id)' },
    ]);
  });

  it("refuses a section and a criterion sharing an id", () => {
    const file = minimal();
    nth(file.sections, 0).id = "c1";
    expect(problemsOf(JSON.stringify(file))).toEqual([{ path: "sections[0].criteria[0].id", message: 'The id "c1" is used twice (also at sections[0].id)' }]);
  });

  it("refuses an indicator below achieved on a met-scale criterion", () => {
    const file = minimal();
    nth(file.sections, 0).criteria = [
      {
        id: "c1",
        title: "Firewalls",
        scale: "met",
        goodLooksLike: "Good.",
        evidence: "Ask.",
        indicators: [
          { id: "r1", level: "achieved", text: "A requirement." },
          { id: "r2", level: "partially_achieved", text: "Not a requirement." },
        ],
      },
    ];
    expect(problemsOf(JSON.stringify(file))).toEqual([
      { path: "sections[0].criteria[0].indicators[1].level", message: "A met-scale criterion's indicators are requirements, at the achieved level" },
    ]);
  });

  it("refuses a profile minimum for a criterion the file does not have", () => {
    const file = { ...minimal(), profiles: [{ id: "p", name: "Profile", minimums: { c1: "achieved", "A1.a": "achieved" } }] };
    expect(problemsOf(JSON.stringify(file))).toEqual([{ path: "profiles[0].minimums.A1.a", message: 'There is no criterion "A1.a" in this framework' }]);
  });

  it("refuses a partially_achieved minimum for a met-scale criterion", () => {
    const file = minimal();
    nth(file.sections, 0).criteria = [{ id: "c1", title: "Firewalls", scale: "met", goodLooksLike: "Good.", evidence: "Ask." }];
    file.profiles = [{ id: "p", name: "Profile", minimums: { c1: "partially_achieved" } }];
    expect(problemsOf(JSON.stringify(file))).toEqual([
      { path: "profiles[0].minimums.c1", message: '"c1" is rated Met or Not met, so its minimum cannot be partially_achieved' },
    ]);
  });

  it("refuses an unknown key, including $schema, at any level", () => {
    expect(problemsOf(JSON.stringify({ ...minimal(), $schema: "../../docs/frameworks.schema.json" }))).toEqual([{ path: "", message: 'Unrecognized key: "$schema"' }]);
    const file = minimal();
    nth(file.sections, 0).criteria = [{ id: "c1", title: "Criterion one", goodLooksLike: "Good.", evidence: "Ask.", guidance: "Extra." }];
    expect(problemsOf(JSON.stringify(file))).toEqual([{ path: "sections[0].criteria[0]", message: 'Unrecognized key: "guidance"' }]);
  });

  it("refuses an empty section and a framework with no sections", () => {
    const file = minimal();
    file.sections.push({ id: "s2", title: "Nothing here" });
    expect(problemsOf(JSON.stringify(file))).toEqual([{ path: "sections[1]", message: 'The section "s2" has no criteria and no sections' }]);
    expect(problemsOf(JSON.stringify({ ...minimal(), sections: [] }))).toEqual([{ path: "sections", message: "A framework has at least one section" }]);
  });

  it("lists every shape problem at once", () => {
    const { title: _title, ...file } = { ...minimal(), format: "x", version: "not a version!" };
    expect(problemsOf(JSON.stringify(file)).map((p) => p.path)).toEqual(["format", "version", "title"]);
  });
});
