import { describe, expect, it } from "vitest";
import { INSPECTION_STATUSES } from "../../db/schema";
import { countByStatus } from "./status-counts";

describe("countByStatus", () => {
  it("counts every status in the order given, zeros included", () => {
    const rows = ["approved", "on_site", "approved", "published", "approved"].map((status) => ({ status }));
    const { counts, other, total } = countByStatus(INSPECTION_STATUSES, rows);
    expect(counts).toEqual([
      { status: "planned", count: 0 },
      { status: "on_site", count: 1 },
      { status: "draft", count: 0 },
      { status: "submitted", count: 0 },
      { status: "in_review", count: 0 },
      { status: "approved", count: 3 },
      { status: "factual_accuracy", count: 0 },
      { status: "published", count: 1 },
    ]);
    expect(other).toBe(0);
    expect(total).toBe(5);
  });

  it("counts a status it does not know as other, so the counts always add up", () => {
    const { counts, other, total } = countByStatus(["a", "b"], [{ status: "a" }, { status: "zzz" }, { status: "b" }, { status: "b" }]);
    expect(counts).toEqual([
      { status: "a", count: 1 },
      { status: "b", count: 2 },
    ]);
    expect(other).toBe(1);
    expect(counts.reduce((s, c) => s + c.count, 0) + other).toBe(total);
  });

  it("gives zeros for no inspections at all", () => {
    const { counts, total } = countByStatus(INSPECTION_STATUSES, []);
    expect(counts.map((c) => c.count)).toEqual(INSPECTION_STATUSES.map(() => 0));
    expect(total).toBe(0);
  });
});
