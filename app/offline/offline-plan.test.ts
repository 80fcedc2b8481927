import { describe, expect, it } from "vitest";
import { offlinePlan, singleFetchDataUrl } from "./offline-plan";

describe("offlinePlan", () => {
  it("keeps the overview, then each section and its criteria, once each, with the data Remix requests for each", () => {
    const plan = offlinePlan("abc", [
      { id: 7, criteria: [{ criterionId: 101 }, { criterionId: 102 }] },
      { id: 8, criteria: [] },
      { id: 9, criteria: [{ criterionId: 103 }, { criterionId: 101 }] },
    ]);
    expect(plan.pages).toEqual([
      "/inspections/abc",
      "/inspections/abc/sections/7",
      "/inspections/abc/criteria/101",
      "/inspections/abc/criteria/102",
      "/inspections/abc/sections/8",
      "/inspections/abc/sections/9",
      "/inspections/abc/criteria/103",
    ]);
    expect(plan.data).toEqual(plan.pages.map((p) => `${p}.data`));
  });

  it("names the data as Remix single fetch asks for it, and encodes the inspection id", () => {
    expect(singleFetchDataUrl("/")).toBe("/_root.data");
    expect(singleFetchDataUrl("/inspections/x/")).toBe("/inspections/x.data");
    expect(offlinePlan("a b", []).pages).toEqual(["/inspections/a%20b"]);
  });
});
