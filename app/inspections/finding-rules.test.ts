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

  it("does not double text one inspector built on the other's, either way round", () => {
    const theirs = { ...blank, observed: "Patching at 60%.", evidencePeople: "CIO and deputy CIO" };
    const mine = { ...blank, observed: "Patching at 60%. Unsupported builds on 14 ward PCs.", evidencePeople: "CIO" };
    expect(mergeFindingText(theirs, mine)).toEqual({ ...blank, observed: "Patching at 60%. Unsupported builds on 14 ward PCs.", evidencePeople: "CIO and deputy CIO" });
  });

  it("merges the override reasons too, when both have one", () => {
    const theirs = { ...blank, overrideReason: "Compensating control seen" };
    const mine = { ...blank, overrideReason: "Requirement met by the managed service" };
    expect(mergeFindingText(theirs, mine).overrideReason).toBe("Compensating control seen\n\nRequirement met by the managed service");
    expect(mergeFindingText(theirs, { ...blank, overrideReason: "" }).overrideReason).toBe("Compensating control seen");
    expect(mergeFindingText({ ...blank }, { ...blank, overrideReason: "Mine" }).overrideReason).toBe("Mine");
  });
});
