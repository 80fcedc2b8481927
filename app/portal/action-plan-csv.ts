/**
 * The action plan as a CSV file for a trust to open in Excel (pure: no database, no clock).
 *
 * - UTF-8 with a byte order mark, so that Excel reads names such as "Łukasz" or "Ŵyr" as written rather than as
 *   Windows-1252; CRLF line ends and every cell quoted where needed (RFC 4180, by csv-stringify).
 * - Formula injection guarded: a text cell that starts with = + - @, a tab or a carriage return would be read by a
 *   spreadsheet as a formula (or a DDE command), so it is prefixed with an apostrophe, which Excel shows as text
 *   (OWASP "CSV injection"). The numbers and dates Deep Dive writes itself never start with those characters.
 * - The file's name is chosen by the server from the trust's ODS code and the date: RJ1-action-plan-2026-11-30.csv.
 */
import { stringify } from "csv-stringify/sync";
import { SEVERITY_LABELS, type Severity } from "../baseline/rating";
import type { CalendarDate } from "../scheduling/working-days";
import { ACTION_STATUS_LABELS, type ActionStatus } from "./action-rules";

export const UTF8_BOM = "\uFEFF";

export const ACTION_PLAN_COLUMNS = ["Criterion", "Action", "Severity", "Due date", "Status", "Overdue (working days)", "Last update", "Last note"] as const;

/** One action as the file shows it: every cell as text. */
export interface ActionPlanRow {
  criterion: string;
  action: string;
  severity: string;
  /** yyyy-mm-dd. */
  dueOn: CalendarDate;
  status: string;
  /** Working days overdue (0 when not overdue). */
  overdueWorkingDays: number;
  /** yyyy-mm-dd in England, or "" when never updated. */
  lastUpdateOn: CalendarDate | "";
  lastNote: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as written to the file: prefixed with ' when a spreadsheet would otherwise read it as a formula. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The file: the BOM, the header row, then one row per action, in the order given. */
export function actionPlanCsv(rows: readonly ActionPlanRow[]): string {
  const records = rows.map((r) => [
    guardFormula(r.criterion),
    guardFormula(r.action),
    guardFormula(r.severity),
    r.dueOn,
    guardFormula(r.status),
    String(r.overdueWorkingDays),
    r.lastUpdateOn,
    guardFormula(r.lastNote),
  ]);
  return UTF8_BOM + stringify([[...ACTION_PLAN_COLUMNS], ...records], { record_delimiter: "windows" });
}

/** The file's rows from the actions as listed (ActionListItem): the criterion as "code title", labels in words. */
export function actionPlanRows(
  actions: readonly {
    criterionCode: string;
    criterionTitle: string;
    text: string;
    severity: Severity;
    dueOn: CalendarDate;
    status: ActionStatus;
    overdueWorkingDays: number;
    lastUpdateOn: CalendarDate | null;
    lastNote: string;
  }[],
): ActionPlanRow[] {
  return actions.map((a) => ({
    criterion: `${a.criterionCode} ${a.criterionTitle}`,
    action: a.text,
    severity: SEVERITY_LABELS[a.severity],
    dueOn: a.dueOn,
    status: ACTION_STATUS_LABELS[a.status],
    overdueWorkingDays: a.overdueWorkingDays,
    lastUpdateOn: a.lastUpdateOn ?? "",
    lastNote: a.lastNote,
  }));
}

/** "RJ1-action-plan-2026-11-30.csv": only letters and digits of the code are kept, so the name is always safe. */
export function actionPlanFileName(trustCode: string, today: CalendarDate): string {
  const code = trustCode.replace(/[^A-Za-z0-9]/g, "") || "trust";
  return `${code}-action-plan-${today}.csv`;
}
