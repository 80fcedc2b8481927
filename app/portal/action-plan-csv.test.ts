import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ACTION_PLAN_COLUMNS, actionPlanCsv, actionPlanFileName, guardFormula, UTF8_BOM, type ActionPlanRow } from "./action-plan-csv";

const row = (overrides: Partial<ActionPlanRow> = {}): ActionPlanRow => ({
  criterion: "B2.a Identity verification, authentication and access control",
  action: "Turn on MFA for every administrator account.",
  severity: "High",
  dueOn: "2026-12-24",
  status: "Open",
  overdueWorkingDays: 0,
  lastUpdateOn: "",
  lastNote: "",
  ...overrides,
});

describe("the action plan CSV", () => {
  it("starts with the UTF-8 byte order mark and a header row, and ends lines with CRLF", () => {
    const csv = actionPlanCsv([row()]);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect([...Buffer.from(csv, "utf8").subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.slice(1).split("\r\n")[0]).toBe("Criterion,Action,Severity,Due date,Status,Overdue (working days),Last update,Last note");
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("reads back as written: quotes, commas, new lines and non-ASCII names", () => {
    const tricky = row({ action: 'Replace the "legacy" VPN, then retest.\nOwner: Łukasz, Ελένη, Llanelli Ŵyr', lastNote: "Ordered; 50% done", overdueWorkingDays: 3, lastUpdateOn: "2026-11-27", status: "In progress" });
    const records = parse(actionPlanCsv([tricky, row({ criterion: "A1.a Board direction" })]), { bom: true }) as string[][];
    expect(records[0]).toEqual([...ACTION_PLAN_COLUMNS]);
    expect(records[1]).toEqual([tricky.criterion, tricky.action, "High", "2026-12-24", "In progress", "3", "2026-11-27", "Ordered; 50% done"]);
    expect(records[2]![0]).toBe("A1.a Board direction");
    expect(records).toHaveLength(3);
  });

  it("guards every text cell a spreadsheet would read as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(guardFormula(`${start}HYPERLINK("http://evil.example")`)).toBe(`'${start}HYPERLINK("http://evil.example")`);
    for (const safe of ["MFA", " =1+1 is fine inside", "1-2", "", "'quoted"]) expect(guardFormula(safe)).toBe(safe);
    const records = parse(actionPlanCsv([row({ action: "=cmd|' /C calc'!A0", lastNote: "@SUM(1,2)", criterion: "+A1.a", status: "-x" })]), { bom: true }) as string[][];
    expect(records[1]).toMatchObject({ 0: "'+A1.a", 1: "'=cmd|' /C calc'!A0", 4: "'-x", 7: "'@SUM(1,2)" });
  });

  it("is named by the server from the trust's code and the date", () => {
    expect(actionPlanFileName("RJ1", "2026-11-30")).toBe("RJ1-action-plan-2026-11-30.csv");
    expect(actionPlanFileName('R"J/1\\', "2026-11-30")).toBe("RJ1-action-plan-2026-11-30.csv");
    expect(actionPlanFileName("", "2026-11-30")).toBe("trust-action-plan-2026-11-30.csv");
  });
});
