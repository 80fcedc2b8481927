import { describe, expect, it } from "vitest";
import {
  checkProfileDraft,
  cleanLine,
  cleanText,
  CQC_BASELINE_CODE,
  defaultProfile,
  minimumChanges,
  minimumLabel,
  minimumsFor,
  profileCodeFor,
  profileLineages,
  sameProfile,
  type ProfileCriterion,
  type ProfileDraft,
} from "./profile-rules";
import { gapStatus, LEVEL_ORDER, ratingsFor } from "./rating";

const CRITERIA: ProfileCriterion[] = [
  { code: "A1.a", title: "Board direction", scale: "caf" },
  { code: "A2.a", title: "Risk management process", scale: "caf" },
  { code: "CE.fw", title: "Firewalls", scale: "met" },
];

const draft = (change: Partial<ProfileDraft> = {}): ProfileDraft => ({
  name: "CQC baseline",
  description: "What CQC expects of every trust.",
  whatChanged: "Raised A2.a to Achieved.",
  minimums: { "A1.a": "achieved", "A2.a": "achieved", "CE.fw": "achieved" },
  ...change,
});

describe("the minimums each scale allows", () => {
  it("offers Achieved, Partially achieved and Not achieved on the caf scale, Met and Not met on the met scale", () => {
    expect(minimumsFor("caf")).toEqual(["achieved", "partially_achieved", "not_achieved"]);
    expect(minimumsFor("met")).toEqual(["achieved", "not_achieved"]);
    expect(minimumsFor("caf").map((m) => minimumLabel(m, "caf"))).toEqual(["Achieved", "Partially achieved", "Not achieved (nothing expected)"]);
    expect(minimumsFor("met").map((m) => minimumLabel(m, "met"))).toEqual(["Met", "Not met (nothing expected)"]);
  });

  it("says 'nothing expected' of exactly the minimum that no rating falls below (gapStatus never finds a gap)", () => {
    for (const scale of ["caf", "met"] as const) {
      for (const minimum of minimumsFor(scale)) {
        const neverAGap = ratingsFor(scale).every((rating) => gapStatus(rating, minimum) !== "gap");
        expect(neverAGap, `${scale} ${minimum}`).toBe(minimumLabel(minimum, scale).includes("nothing expected"));
        expect(neverAGap).toBe(LEVEL_ORDER[minimum] === 0);
      }
    }
  });
});

describe("cleaning names and texts", () => {
  it("makes a name one line: NFC, no control or invisible characters, single spaces, trimmed", () => {
    expect(cleanLine("  CQC \t baseline\n 2027 ")).toBe("CQC baseline 2027");
    expect(cleanLine("CQC\u200B base\u0000line\u202E")).toBe("CQC baseline");
    expect(cleanLine("Re\u0301fe\u0301rence")).toBe("Référence");
    expect(cleanLine("Re\u0301fe\u0301rence")).toHaveLength(9);
  });

  it("keeps a text's paragraphs: line endings as \\n, no trailing spaces, at most one blank line, no control characters", () => {
    expect(cleanText("  First line.  \r\nSecond\tline.\r\n\r\n\r\n\r\nNew paragraph.\u0007  ")).toBe("First line.\nSecond line.\n\nNew paragraph.");
    expect(cleanText(" \n\t \n")).toBe("");
  });

  it("derives the code from the name: lower case, accents dropped, hyphens between words, at most 40 characters", () => {
    expect(profileCodeFor("CQC baseline")).toBe(CQC_BASELINE_CODE);
    expect(profileCodeFor("  CQC   Baseline ")).toBe("cqc-baseline");
    expect(profileCodeFor("CQC baseline (2027/28)")).toBe("cqc-baseline-2027-28");
    expect(profileCodeFor("Référence — NHS")).toBe("reference-nhs");
    expect(profileCodeFor("GovAssure Baseline")).toBe("govassure-baseline");
    expect(profileCodeFor("a".repeat(39) + " b")).toBe("a".repeat(39));
    expect(profileCodeFor("x".repeat(60))).toHaveLength(40);
    expect(profileCodeFor("!!!")).toBe("");
    expect(profileCodeFor("基准")).toBe("");
  });
});

describe("checking a profile", () => {
  it("accepts a complete profile and cleans it", () => {
    const result = checkProfileDraft(CRITERIA, draft({ name: " CQC  baseline ", description: "  For every trust.\r\n", whatChanged: " Raised A2.a. " }));
    expect(result).toEqual({
      ok: true,
      profile: {
        code: "cqc-baseline",
        name: "CQC baseline",
        description: "For every trust.",
        whatChanged: "Raised A2.a.",
        minimums: { "A1.a": "achieved", "A2.a": "achieved", "CE.fw": "achieved" },
      },
    });
  });

  it("accepts nothing expected (not_achieved) on both scales, and an empty description", () => {
    const result = checkProfileDraft(CRITERIA, draft({ description: "", minimums: { "A1.a": "not_achieved", "A2.a": "partially_achieved", "CE.fw": "not_achieved" } }));
    expect(result.ok).toBe(true);
  });

  it("names every criterion without a minimum, or with one its scale does not allow, in the framework's order", () => {
    const result = checkProfileDraft(CRITERIA, draft({ minimums: { "CE.fw": "partially_achieved", "A2.a": "good", "A1.a": "" } }));
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: "minimum-A1.a", criterion: "A1.a", message: "Choose the minimum for A1.a Board direction" },
        { field: "minimum-A2.a", criterion: "A2.a", message: "Choose Achieved, Partially achieved or Not achieved as the minimum for A2.a Risk management process" },
        { field: "minimum-CE.fw", criterion: "CE.fw", message: "CE.fw Firewalls is rated Met or Not met, so its minimum cannot be Partially achieved" },
      ],
    });
    const met = checkProfileDraft(CRITERIA, draft({ minimums: { "A1.a": "achieved", "A2.a": "achieved", "CE.fw": "met" } }));
    expect(met).toEqual({ ok: false, problems: [{ field: "minimum-CE.fw", criterion: "CE.fw", message: "Choose Met or Not met as the minimum for CE.fw Firewalls" }] });
    const missing = checkProfileDraft(CRITERIA, draft({ minimums: { "A1.a": "achieved" } }));
    expect(missing.ok ? [] : missing.problems.map((p) => p.criterion)).toEqual(["A2.a", "CE.fw"]);
  });

  it("refuses a minimum for a criterion the framework version does not have", () => {
    const result = checkProfileDraft(CRITERIA, draft({ minimums: { ...draft().minimums, "Z9.z": "achieved" } }));
    expect(result).toEqual({ ok: false, problems: [{ field: "minimums", criterion: "Z9.z", message: 'There is no criterion "Z9.z" in this framework version' }] });
  });

  it("refuses a missing, overlong or codeless name, an overlong description and a missing or overlong note of what changed", () => {
    const problems = (change: Partial<ProfileDraft>) => {
      const result = checkProfileDraft(CRITERIA, draft(change));
      return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.message}`);
    };
    expect(problems({ name: " \u200B " })).toEqual(["name: Enter a name for the profile"]);
    expect(problems({ name: "n".repeat(101) })).toEqual(["name: The name must be 100 characters or fewer"]);
    expect(problems({ name: "n".repeat(100) })).toEqual([]);
    expect(problems({ name: "— ★ —" })).toEqual(["name: The name must include a letter from A to Z or a digit"]);
    expect(problems({ description: "d".repeat(4001) })).toEqual(["description: The description must be 4,000 characters or fewer"]);
    expect(problems({ description: "d".repeat(4000) })).toEqual([]);
    expect(problems({ whatChanged: "  \n " })).toEqual(["whatChanged: Say what changed and why"]);
    expect(problems({ whatChanged: "w".repeat(1001) })).toEqual(["whatChanged: What changed must be 1,000 characters or fewer"]);
    // Every problem at once, in the order of the form.
    expect(problems({ name: "", description: "d".repeat(4001), whatChanged: "", minimums: {} })).toEqual([
      "name: Enter a name for the profile",
      "description: The description must be 4,000 characters or fewer",
      "minimum-A1.a: Choose the minimum for A1.a Board direction",
      "minimum-A2.a: Choose the minimum for A2.a Risk management process",
      "minimum-CE.fw: Choose the minimum for CE.fw Firewalls",
      "whatChanged: Say what changed and why",
    ]);
  });
});

describe("comparing profile versions", () => {
  it("lists the minimums that changed, in the framework's order, a missing minimum as null", () => {
    expect(
      minimumChanges(CRITERIA, { "A1.a": "achieved", "A2.a": "partially_achieved" }, { "CE.fw": "achieved", "A2.a": "achieved", "A1.a": "achieved" }),
    ).toEqual([
      { code: "A2.a", title: "Risk management process", scale: "caf", from: "partially_achieved", to: "achieved" },
      { code: "CE.fw", title: "Firewalls", scale: "met", from: null, to: "achieved" },
    ]);
    expect(minimumChanges(CRITERIA, draft().minimums as never, draft().minimums as never)).toEqual([]);
  });

  it("says two profiles are the same only when name, description and every minimum are", () => {
    const a = { name: "CQC baseline", description: "x", minimums: { "A1.a": "achieved", "A2.a": "partially_achieved" } };
    expect(sameProfile(a, { ...a, minimums: { "A2.a": "partially_achieved", "A1.a": "achieved" } })).toBe(true);
    expect(sameProfile(a, { ...a, name: "CQC Baseline" })).toBe(false);
    expect(sameProfile(a, { ...a, description: "y" })).toBe(false);
    expect(sameProfile(a, { ...a, minimums: { "A1.a": "achieved", "A2.a": "achieved" } })).toBe(false);
    expect(sameProfile(a, { ...a, minimums: { "A1.a": "achieved" } })).toBe(false);
    expect(sameProfile({ ...a, minimums: { "A1.a": "achieved", "B1.a": "" } }, { ...a, minimums: { "A1.a": "achieved", "B1.a": undefined } })).toBe(true);
  });
});

describe("versions of a profile", () => {
  const p = (id: number, code: string, version: number) => ({ id, code, version });

  it("groups versions by code in the order codes first appear, newest first, the others superseded by the newest", () => {
    const lineages = profileLineages([p(5, "cqc-baseline", 2), p(1, "govassure-baseline", 1), p(3, "cqc-baseline", 1), p(2, "govassure-enhanced", 1), p(9, "cqc-baseline", 3)]);
    expect(lineages.map((l) => [l.code, l.versions.map((v) => [v.id, v.version, v.latest, v.supersededBy])])).toEqual([
      ["govassure-baseline", [[1, 1, true, null]]],
      ["govassure-enhanced", [[2, 1, true, null]]],
      [
        "cqc-baseline",
        [
          [9, 3, true, null],
          [5, 2, false, 3],
          [3, 1, false, 3],
        ],
      ],
    ]);
    expect(profileLineages([])).toEqual([]);
  });

  it("offers the newest CQC baseline by default, else the first profile stored, else none", () => {
    expect(defaultProfile([p(1, "govassure-baseline", 1), p(2, "govassure-enhanced", 1), p(4, "cqc-baseline", 2), p(3, "cqc-baseline", 1)])?.id).toBe(4);
    expect(defaultProfile([p(2, "govassure-enhanced", 1), p(1, "govassure-baseline", 1), p(7, "cqc-enhanced", 1)])?.id).toBe(1);
    expect(defaultProfile([])).toBeUndefined();
  });
});
