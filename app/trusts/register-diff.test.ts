import { describe, expect, it } from "vitest";
import type { OdsTrust } from "./ods";
import { diffRegister, isEmptyDiff, type RegisterRow } from "./register-diff";

const trust = (odsCode: string, odsName: string, extra: Partial<OdsTrust> = {}): OdsTrust => ({
  odsCode,
  odsName,
  regionCode: "Y56",
  icbCode: "QKK",
  addressLines: "1 HIGH STREET, LONDON",
  postcode: "SE1 7EH",
  openedOn: "1993-04-01",
  closedOn: null,
  ...extra,
});

const row = (t: OdsTrust, name = t.odsName.toLowerCase()): RegisterRow => ({ ...t, name });

/** What the register would hold after applying a file (the ODS columns only). */
function applied(register: RegisterRow[], file: OdsTrust[]): RegisterRow[] {
  const byCode = new Map(register.map((r) => [r.odsCode, r]));
  for (const t of file) byCode.set(t.odsCode, { ...t, name: byCode.get(t.odsCode)?.name ?? t.odsName });
  return [...byCode.values()];
}

describe("diffRegister", () => {
  const rj1 = trust("RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST");
  const rjz = trust("RJZ", "KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST", { postcode: "SE5 9RS" });
  const rbd = trust("RBD", "DORSET COUNTY HOSPITAL NHS FOUNDATION TRUST", { regionCode: "Y58", icbCode: "QVV" });
  const tah = trust("TAH", "SHEFFIELD HEALTH & SOCIAL CARE NHS FOUNDATION TRUST", { regionCode: "Y63" });
  const k0n6a = trust("K0N6A", "THE ONLINE NHS TRUST");
  const register = [rj1, rjz, rbd, tah, k0n6a].map((t) => row(t));

  it("finds nothing to do when the file matches the register", () => {
    const diff = diffRegister(register, { trusts: [rj1, rjz, rbd, tah, k0n6a], outsideEngland: [] });
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.unchanged).toBe(5);
    expect(diff.notInFile).toEqual([]);
  });

  it("treats an empty string and a missing value as the same", () => {
    const file = [{ ...rj1, icbCode: null }, rjz, rbd, tah, k0n6a];
    const reg = [row({ ...rj1, icbCode: "" as unknown as null }), ...register.slice(1)];
    expect(isEmptyDiff(diffRegister(reg, { trusts: file, outsideEngland: [] }))).toBe(true);
  });

  it("classifies additions, renames, closures, other updates, skips and absences", () => {
    const newTrust = trust("R1X", "NORTHERN COUNTIES AMBULANCE SERVICE NHS TRUST", { regionCode: "Y63" });
    const file = [
      rj1,
      { ...rjz, postcode: "SE5 9RW", icbCode: "QKL" },
      { ...rbd, closedOn: "2026-03-31" },
      { ...tah, odsName: "SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST" },
      newTrust,
    ];
    const diff = diffRegister(register, { trusts: file, outsideEngland: ["RQF", "RT4"] });

    expect(diff.added).toEqual([newTrust]);
    expect(diff.unchanged).toBe(1);
    expect(diff.changed.map((c) => c.odsCode)).toEqual(["RJZ", "RBD", "TAH"]);

    expect(diff.renamed).toHaveLength(1);
    expect(diff.renamed[0]).toMatchObject({
      odsCode: "TAH",
      name: "sheffield health & social care nhs foundation trust",
      before: { odsName: "SHEFFIELD HEALTH & SOCIAL CARE NHS FOUNDATION TRUST" },
      after: { odsName: "SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST" },
      otherChanges: [],
    });

    expect(diff.closed).toHaveLength(1);
    expect(diff.closed[0]).toMatchObject({
      odsCode: "RBD",
      changes: [{ field: "closedOn", from: null, to: "2026-03-31" }],
      otherChanges: [],
    });

    expect(diff.updated).toHaveLength(1);
    expect(diff.updated[0]!.odsCode).toBe("RJZ");
    expect(diff.updated[0]!.otherChanges).toEqual([
      { field: "icbCode", from: "QKK", to: "QKL" },
      { field: "postcode", from: "SE5 9RS", to: "SE5 9RW" },
    ]);

    expect(diff.skippedOutsideEngland).toEqual(["RQF", "RT4"]);
    expect(diff.notInFile).toEqual([{ odsCode: "K0N6A", name: "the online nhs trust", closedOn: null, reason: "absent" }]);
  });

  it("counts a changed close date as a closure, and a removed close date as an update", () => {
    const closedRegister = [row({ ...rbd, closedOn: "2026-03-31" })];
    const moved = diffRegister(closedRegister, { trusts: [{ ...rbd, closedOn: "2026-06-30" }], outsideEngland: [] });
    expect(moved.closed.map((c) => c.odsCode)).toEqual(["RBD"]);
    expect(moved.closed[0]!.changes).toEqual([{ field: "closedOn", from: "2026-03-31", to: "2026-06-30" }]);

    const reopened = diffRegister(closedRegister, { trusts: [rbd], outsideEngland: [] });
    expect(reopened.closed).toEqual([]);
    expect(reopened.updated[0]!.otherChanges).toEqual([{ field: "closedOn", from: "2026-03-31", to: null }]);
  });

  it("lists a trust once per kind when it is renamed, closed and moved at the same time", () => {
    const file = [{ ...tah, odsName: "NEW NAME NHS TRUST", closedOn: "2026-01-01", regionCode: "Y62" }];
    const diff = diffRegister([row(tah)], { trusts: file, outsideEngland: [] });
    expect(diff.changed).toHaveLength(1);
    expect(diff.renamed).toHaveLength(1);
    expect(diff.closed).toHaveLength(1);
    expect(diff.updated[0]!.otherChanges).toEqual([{ field: "regionCode", from: "Y63", to: "Y62" }]);
  });

  it("reports a register trust that the file now lists outside England, without deleting it", () => {
    const diff = diffRegister([row(rj1)], { trusts: [], outsideEngland: ["RJ1"] });
    expect(diff.notInFile).toEqual([{ odsCode: "RJ1", name: rj1.odsName.toLowerCase(), closedOn: null, reason: "outside-england" }]);
    expect(diff.changed).toEqual([]);
  });

  it("fills an empty register with every English trust in the file", () => {
    const diff = diffRegister([], { trusts: [rj1, rjz], outsideEngland: ["RQF"] });
    expect(diff.added.map((t) => t.odsCode)).toEqual(["RJ1", "RJZ"]);
    expect(diff.skippedOutsideEngland).toEqual(["RQF"]);
    expect(diff.unchanged).toBe(0);
  });

  it("is idempotent: after applying a file, the same file gives an empty difference", () => {
    const file = [
      { ...rjz, postcode: "SE5 9RW" },
      { ...rbd, closedOn: "2026-03-31" },
      { ...tah, odsName: "SHEFFIELD HEALTH PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST" },
      trust("R1X", "NEW NHS TRUST"),
    ];
    const first = diffRegister(register, { trusts: file, outsideEngland: ["RQF"] });
    expect(isEmptyDiff(first)).toBe(false);
    const second = diffRegister(applied(register, file), { trusts: file, outsideEngland: ["RQF"] });
    expect(isEmptyDiff(second)).toBe(true);
    expect(second.unchanged).toBe(4);
  });

  it("does not change its inputs", () => {
    const reg = structuredClone(register);
    const file = { trusts: [{ ...rjz, postcode: "X" }], outsideEngland: ["RQF"] };
    const copy = structuredClone(file);
    diffRegister(reg, file);
    expect(reg).toEqual(register);
    expect(file).toEqual(copy);
  });
});
