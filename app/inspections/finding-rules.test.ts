import { describe, expect, it } from "vitest";
import { mergeFindingText } from "./finding-rules";

const blank = { observed: "", evidenceDocuments: "", evidencePeople: "", evidenceSystems: "", recommendation: "" };

describe("mergeFindingText", () => {
  it("puts their text before mine where they differ, keeps mine where theirs is empty or the same, and keeps other fields", () => {
    const theirs = { ...blank, observed: "A saw patching at 60%.", evidenceDocuments: "Patch report", recommendation: "Same" };
    const mine = { ...blank, observed: "B saw no asset register.", evidencePeople: "CIO", recommendation: "Same", severity: "high" };
    expect(mergeFindingText(theirs, mine)).toEqual({
      ...mine,
      observed: "A saw patching at 60%.\n\nB saw no asset register.",
      evidenceDocuments: "Patch report",
      evidencePeople: "CIO",
      recommendation: "Same",
    });
    expect(mine.observed).toBe("B saw no asset register.");
  });
});
