/**
 * The value rules of indicator files (pure: no database, no clock). Each function takes text as it comes in a
 * CSV file and gives back the canonical form Deep Dive stores, or a reason it cannot be used. The rules are
 * described for people in docs/indicators.md; keep the two in step.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { IndicatorValueType } from "../../db/schema";
import { DSPT_STATUSES, type DsptStatus } from "./indicator-catalogue";

/** What the value rules need to know about an indicator. */
export interface IndicatorRules {
  code: string;
  valueType: IndicatorValueType;
  /** Categories, best first (category indicators only). */
  categories?: readonly string[] | null;
  minValue?: number | null;
  maxValue?: number | null;
}

export type ValueResult =
  /** value: the canonical text stored; numericValue: what the model uses; period: the year a DSPT status names. */
  | { ok: true; value: string; numericValue: number; period: string | null }
  | { ok: false; error: string };

export type DsptResult = { ok: true; value: DsptStatus; period: string | null } | { ok: false; error: string };

export type DateResult = { ok: true; date: string } | { ok: false; error: string };

/** Dates before this are refused as mistakes: no indicator Deep Dive uses existed before 2000. */
export const EARLIEST_DATE = "2000-01-01";

const quoted = (raw: string) => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);

/** "Not Met", "not-met", " NOT  MET " → "not_met": lower case, runs of spaces and hyphens as one underscore. */
export function canonicalCategory(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * A plain decimal number ("12", "-3", "0.86", ".5", "1,250" with thousands separators), or null. No exponents,
 * no "NaN" or "Infinity": a file with those is wrong, not a number.
 */
export function parseDecimal(raw: string): number | null {
  let text = raw.trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replaceAll(",", "");
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n + 0 : null; // + 0 turns -0 into 0
}

/** The number as stored text: "5" for 5.0, "0.86" for 0.860, never "-0". */
const numberText = (n: number) => String(n === 0 ? 0 : n);

const rangeText = (min: number, max: number | null) => (max === null ? `${min} or more` : `from ${min} to ${max}`);

/**
 * Checks and canonicalises one value for an indicator:
 * - category: matched ignoring case, spaces and hyphens ("Not met" is not_met); numericValue is the position in
 *   the best-first list (0 best). DSPT statuses are also accepted in NHS England's wording ("22/23 Standards Met").
 * - percentage: a number within the indicator's range (0 to 100 unless narrower), "%" allowed after it.
 * - count: a whole number within the indicator's range (0 up to its maximum).
 * - boolean: 1/0, true/false, yes/no, y/n (any case), stored as "1" or "0".
 */
export function normaliseIndicatorValue(indicator: IndicatorRules, raw: string): ValueResult {
  const text = raw.trim();
  if (text === "") return { ok: false, error: `the value for ${indicator.code} is empty` };
  switch (indicator.valueType) {
    case "category": {
      const categories = indicator.categories ?? [];
      const index = categories.indexOf(canonicalCategory(text));
      if (index >= 0) return { ok: true, value: categories[index]!, numericValue: index, period: null };
      if (isDsptList(categories)) {
        const status = normaliseDsptStatus(text);
        if (status.ok) return { ok: true, value: status.value, numericValue: categories.indexOf(status.value), period: status.period };
      }
      return { ok: false, error: `${quoted(text)} is not a category of ${indicator.code} (${categories.join(", ")})` };
    }
    case "percentage": {
      const min = Math.max(0, indicator.minValue ?? 0);
      const max = Math.min(100, indicator.maxValue ?? 100);
      const n = parseDecimal(text.replace(/\s*%$/, ""));
      if (n === null || n < min || n > max) {
        return { ok: false, error: `${quoted(text)} for ${indicator.code} is not a percentage ${rangeText(min, max)}` };
      }
      return { ok: true, value: numberText(n), numericValue: n, period: null };
    }
    case "count": {
      const min = Math.max(0, Math.ceil(indicator.minValue ?? 0));
      const max = indicator.maxValue === null || indicator.maxValue === undefined ? null : Math.floor(indicator.maxValue);
      const n = parseDecimal(text);
      if (n === null || !Number.isInteger(n) || n < min || (max !== null && n > max)) {
        return { ok: false, error: `${quoted(text)} for ${indicator.code} is not a whole number ${rangeText(min, max)}` };
      }
      return { ok: true, value: numberText(n), numericValue: n, period: null };
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (["1", "true", "yes", "y"].includes(lower)) return { ok: true, value: "1", numericValue: 1, period: null };
      if (["0", "false", "no", "n"].includes(lower)) return { ok: true, value: "0", numericValue: 0, period: null };
      return { ok: false, error: `${quoted(text)} for ${indicator.code} is not yes or no (use 1 or 0, true or false, yes or no)` };
    }
  }
}

const isDsptList = (categories: readonly string[]) =>
  categories.length === DSPT_STATUSES.length && categories.every((c, i) => c === DSPT_STATUSES[i]);

/** What follows the year in a DSPT status, lower case with single spaces, and the status it means. */
const DSPT_WORDING: Record<string, DsptStatus> = {
  "standards exceeded": "exceeded",
  exceeded: "exceeded",
  "standards met": "met",
  met: "met",
  "approaching standards": "approaching",
  approaching: "approaching",
  // The name NHS England used for "Approaching Standards" until 2020/21.
  "standards not fully met (plan agreed)": "approaching",
  "standards not met": "not_met",
  "not met": "not_met",
  "not published": "not_published",
  "n/a": "not_published",
  "#n/a": "not_published",
  na: "not_published",
  "": "not_published",
};

/** "2022/23" from a first year of 2022, if the second year is the next one; else null. */
function dsptPeriod(firstYear: number, secondTwoDigits: number): string | null {
  if ((firstYear + 1) % 100 !== secondTwoDigits) return null;
  return `${firstYear}/${String(secondTwoDigits).padStart(2, "0")}`;
}

/**
 * A DSPT status as NHS England publishes it, ignoring case and spacing: "22/23 Standards Met" is met for
 * 2022/23; "21/22 Approaching Standards" approaching; "Standards Exceeded" exceeded; "Standards Not Met" and
 * "Not Met" not_met; "Not Published", "N/A", "#N/A" and an empty cell not_published. The year may be written
 * 22/23, 2022/23 or 2022-23; without one, the period is null. Our own codes (not_met) are accepted too.
 */
export function normaliseDsptStatus(raw: string): DsptResult {
  let text = raw.trim().toLowerCase().replace(/_/g, " ").replace(/\s+/g, " ");
  let period: string | null = null;
  const year = /^(\d{2}|\d{4})\s*[/-]\s*(\d{2})(?:\s+|$)/.exec(text);
  if (year) {
    const first = year[1]!.length === 2 ? 2000 + Number(year[1]) : Number(year[1]);
    period = dsptPeriod(first, Number(year[2]));
    if (!period) return { ok: false, error: `${quoted(raw.trim())} names a year that is not a DSPT year such as 22/23` };
    text = text.slice(year[0].length).trim();
  }
  const status = DSPT_WORDING[text];
  if (!status) return { ok: false, error: `${quoted(raw.trim())} is not a DSPT status (such as "22/23 Standards Met")` };
  return { ok: true, value: status, period };
}

/** The last day of a DSPT year, when its assessments are due: 30 June after the year the period names. */
export function dsptYearEnd(period: string): string | null {
  const match = /^(\d{4})\/(\d{2})$/.exec(period);
  if (!match || !dsptPeriod(Number(match[1]), Number(match[2]))) return null;
  return `${Number(match[1]) + 1}-06-30`;
}

/** The DSPT year a file name names, such as "2021-22" in dspt_trusts_2021-22_snapshot_2022-09-09.csv. */
export function dsptPeriodInName(fileName: string): string | null {
  const match = /(?:^|[^\d])(20\d{2})[-_](\d{2})(?![\d-])/.exec(fileName);
  return match ? dsptPeriod(Number(match[1]), Number(match[2])) : null;
}

function realDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * A calendar date written yyyy-mm-dd or dd/mm/yyyy (day and month may have one digit), as yyyy-mm-dd. It must
 * be a real date (not 30 February), not after `today` (yyyy-mm-dd) and not before 2000.
 */
export function parseObservationDate(raw: string, today: string): DateResult {
  const text = raw.trim();
  if (text === "") return { ok: false, error: "the date is empty" };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!iso && !uk) return { ok: false, error: `the date ${quoted(text)} is not in the form yyyy-mm-dd or dd/mm/yyyy` };
  const date = iso ? realDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) : realDate(Number(uk![3]), Number(uk![2]), Number(uk![1]));
  if (!date) return { ok: false, error: `the date ${quoted(text)} is not a real date` };
  if (date > today) return { ok: false, error: `the date ${quoted(text)} is in the future` };
  if (date < EARLIEST_DATE) return { ok: false, error: `the date ${quoted(text)} is before 2000: check the year` };
  return { ok: true, date };
}

/** Today's date in England (yyyy-mm-dd): what "not in the future" is measured against. */
export function londonToday(now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), "Europe/London"), "yyyy-MM-dd");
}
