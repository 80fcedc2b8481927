/**
 * The indicators Deep Dive knows: the built-in ones from the catalogue (inserted at every start-up if missing)
 * and the ones an admin adds. An indicator is never edited once stored: its observations were checked against
 * its value rules, so changing the rules would change what they mean. A different rule is a new indicator.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { INDICATOR_VALUE_TYPES, indicators, type IndicatorValueType } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { BUILT_IN_CODES, BUILT_IN_INDICATORS } from "./indicator-catalogue";
import { canonicalCategory, parseDecimal } from "./indicator-csv";

/** A stored indicator: its definition, and where it comes from. */
export interface IndicatorRecord extends IndicatorInput {
  origin: "imported" | "computed";
  isBuiltIn: boolean;
}

/** Inserts any built-in indicator that is not in the table yet; leaves existing rows as they are. Idempotent. */
export function ensureBuiltInIndicators(db: Db = getDb()): { inserted: string[] } {
  return writeTransaction((tx) => {
    const inserted: string[] = [];
    for (const definition of BUILT_IN_INDICATORS) {
      const result = tx
        .insert(indicators)
        .values({
          code: definition.code,
          label: definition.label,
          description: definition.description,
          valueType: definition.valueType,
          categories: definition.categories ? JSON.stringify(definition.categories) : null,
          minValue: definition.minValue ?? null,
          maxValue: definition.maxValue ?? null,
          unit: definition.unit ?? null,
          higherIsWorse: definition.higherIsWorse,
          origin: definition.origin,
          isBuiltIn: true,
        })
        .onConflictDoNothing()
        .run();
      if (result.changes > 0) inserted.push(definition.code);
    }
    return { inserted };
  }, db);
}

const builtInOrder = new Map(BUILT_IN_INDICATORS.map((d, i) => [d.code, i]));

function toRecord(row: typeof indicators.$inferSelect): IndicatorRecord {
  return {
    code: row.code,
    label: row.label,
    description: row.description,
    valueType: row.valueType,
    categories: row.categories ? (JSON.parse(row.categories) as string[]) : null,
    minValue: row.minValue,
    maxValue: row.maxValue,
    unit: row.unit,
    higherIsWorse: row.higherIsWorse,
    origin: row.origin,
    isBuiltIn: row.isBuiltIn,
  };
}

/** Every indicator: the built-in ones in catalogue order, then the added ones by code. */
export function listIndicators(db: Db | Tx = getDb()): IndicatorRecord[] {
  return db
    .select()
    .from(indicators)
    .all()
    .map(toRecord)
    .sort((a, b) => {
      const x = builtInOrder.get(a.code) ?? Infinity;
      const y = builtInOrder.get(b.code) ?? Infinity;
      return x !== y ? x - y : a.code.localeCompare(b.code);
    });
}

/** How many observations each indicator has (demo ones included), by code. */
export function observationCounts(db: Db = getDb()): Record<string, number> {
  const rows = db.$client.prepare("SELECT indicator_code AS code, count(*) AS n FROM indicator_observations GROUP BY indicator_code").all() as {
    code: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.code, r.n]));
}

// ── Adding an indicator ─────────────────────────────────────────────────────────────────────────────────

export const INDICATOR_CODE_PATTERN = /^[a-z][a-z0-9_]{2,40}$/;
const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9_]{0,39}$/;
const MAX_COUNT = 1_000_000_000;

export type IndicatorField =
  | "code"
  | "label"
  | "description"
  | "valueType"
  | "categories"
  | "minValue"
  | "maxValue"
  | "unit"
  | "higherIsWorse";

export type IndicatorFieldErrors = Partial<Record<IndicatorField, string>>;

export class IndicatorError extends Error {
  constructor(public readonly fieldErrors: IndicatorFieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

/** The form, as text (what a browser sends). */
export interface IndicatorFormInput {
  code?: unknown;
  label?: unknown;
  description?: unknown;
  valueType?: unknown;
  /** One category a line, best first (category indicators only). */
  categories?: unknown;
  minValue?: unknown;
  maxValue?: unknown;
  unit?: unknown;
  /** "yes" or "no" (not asked for categories, which are best first). */
  higherIsWorse?: unknown;
}

/** An indicator's definition, checked (what an admin adds, and what every stored indicator has). */
export interface IndicatorInput {
  code: string;
  label: string;
  description: string;
  valueType: IndicatorValueType;
  /** Best first (category indicators only). */
  categories: string[] | null;
  minValue: number | null;
  maxValue: number | null;
  unit: string | null;
  higherIsWorse: boolean;
}

const formSchema = z.object({
  code: z
    .string()
    .min(1, "Enter a code")
    .max(100, "Code must be 41 characters or fewer")
    .regex(INDICATOR_CODE_PATTERN, "Code must start with a lower-case letter and be 3 to 41 characters: lower-case letters, digits and underscores"),
  label: z.string().min(1, "Enter a name").max(100, "Name must be 100 characters or fewer"),
  description: z.string().max(500, "Description must be 500 characters or fewer"),
  valueType: z.enum(INDICATOR_VALUE_TYPES, { message: "Select the kind of value" }),
  categories: z.string().max(2000, "Categories must be 2,000 characters or fewer"),
  minValue: z.string().max(30, "Enter the lowest value as a number"),
  maxValue: z.string().max(30, "Enter the highest value as a number"),
  unit: z.string().max(20, "Unit must be 20 characters or fewer"),
  higherIsWorse: z.string(),
});

const FORM_FIELDS = ["code", "label", "description", "valueType", "categories", "minValue", "maxValue", "unit", "higherIsWorse"] as const;

/**
 * Checks an admin's new indicator. Category indicators take 2 to 20 categories, best first, each made
 * canonical (lower case, underscores). Percentages lie within 0 to 100 (0 to 100 if no range is given);
 * counts are whole numbers from 0 (or the lowest value given) to a highest value, which is required;
 * yes/no indicators are 1 or 0. Which way is worse is asked for everything but categories.
 */
export function parseIndicatorInput(form: IndicatorFormInput): { ok: true; input: IndicatorInput } | { ok: false; errors: IndicatorFieldErrors } {
  // Every field as trimmed text, "" when missing (as a browser sends an empty field).
  const raw = Object.fromEntries(FORM_FIELDS.map((f) => [f, typeof form[f] === "string" ? (form[f] as string).trim() : ""])) as Record<IndicatorField, string>;
  const parsed = formSchema.safeParse(raw);
  const errors: IndicatorFieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as IndicatorField;
      errors[field] ??= issue.message;
    }
  }
  const valueType = (INDICATOR_VALUE_TYPES as readonly string[]).includes(raw.valueType) ? (raw.valueType as IndicatorValueType) : null;

  let categories: string[] | null = null;
  let minValue: number | null = null;
  let maxValue: number | null = null;
  let higherIsWorse = true;
  const number = (field: "minValue" | "maxValue", label: string): number | null => {
    const value = raw[field];
    if (value === "") return null;
    const n = parseDecimal(value);
    if (n === null) errors[field] ??= `Enter the ${label} as a number, like 0 or 100`;
    return n;
  };

  if (valueType === "category") {
    const lines = raw.categories
      .split(/\r\n|\n|\r/)
      .map((l) => l.trim())
      .filter(Boolean);
    categories = lines.map(canonicalCategory);
    const bad = categories.find((c) => !CATEGORY_PATTERN.test(c));
    if (lines.length < 2) errors.categories ??= "Enter at least 2 categories, one a line, best first";
    else if (lines.length > 20) errors.categories ??= "Enter at most 20 categories";
    else if (bad !== undefined) errors.categories ??= `Category "${bad}" must be letters, digits, spaces or underscores, and 40 characters or fewer`;
    else if (new Set(categories).size !== categories.length) errors.categories ??= "Each category must be different";
  } else if (valueType === "percentage") {
    minValue = number("minValue", "lowest percentage") ?? 0;
    maxValue = number("maxValue", "highest percentage") ?? 100;
    if (!errors.minValue && (minValue < 0 || minValue > 100)) errors.minValue = "The lowest percentage must be from 0 to 100";
    if (!errors.maxValue && (maxValue < 0 || maxValue > 100)) errors.maxValue = "The highest percentage must be from 0 to 100";
    if (!errors.minValue && !errors.maxValue && minValue >= maxValue) errors.maxValue = "The highest percentage must be more than the lowest";
  } else if (valueType === "count") {
    minValue = number("minValue", "lowest count") ?? 0;
    maxValue = number("maxValue", "highest count");
    if (!errors.minValue && (!Number.isInteger(minValue) || minValue < 0)) errors.minValue = "The lowest count must be a whole number, 0 or more";
    if (maxValue === null) errors.maxValue ??= "Enter the highest count a trust could plausibly have";
    else if (!errors.maxValue && (!Number.isInteger(maxValue) || maxValue > MAX_COUNT)) errors.maxValue = "The highest count must be a whole number up to 1,000,000,000";
    else if (!errors.minValue && !errors.maxValue && maxValue <= minValue) errors.maxValue = "The highest count must be more than the lowest";
  } else if (valueType === "boolean") {
    minValue = 0;
    maxValue = 1;
  }
  if (valueType && valueType !== "category") {
    if (raw.higherIsWorse === "yes") higherIsWorse = true;
    else if (raw.higherIsWorse === "no") higherIsWorse = false;
    else errors.higherIsWorse = "Select which way means more risk";
  }

  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const data = parsed.data;
  return {
    ok: true,
    input: {
      code: data.code,
      label: data.label,
      description: data.description,
      valueType: data.valueType,
      categories,
      minValue,
      maxValue,
      unit: data.unit || (data.valueType === "percentage" ? "%" : null),
      higherIsWorse,
    },
  };
}

/**
 * Adds an indicator (admins only: the route checks the role). Refuses a code that is taken, and above all
 * the code of a built-in indicator, which cannot be changed. One audit event, `indicator.created`.
 */
export function createIndicator(raw: IndicatorFormInput, actor: Actor, db: Db = getDb()): IndicatorRecord {
  const parsed = parseIndicatorInput(raw);
  if (!parsed.ok) throw new IndicatorError(parsed.errors);
  const input = parsed.input;
  if (BUILT_IN_CODES.has(input.code)) {
    throw new IndicatorError({ code: `${input.code} is a built-in indicator, and built-in indicators cannot be changed: choose another code` });
  }
  return writeTransaction((tx) => {
    if (tx.select({ code: indicators.code }).from(indicators).where(eq(indicators.code, input.code)).get()) {
      throw new IndicatorError({ code: `An indicator with the code ${input.code} already exists: indicators cannot be changed, so choose another code` });
    }
    tx.insert(indicators)
      .values({
        code: input.code,
        label: input.label,
        description: input.description,
        valueType: input.valueType,
        categories: input.categories ? JSON.stringify(input.categories) : null,
        minValue: input.minValue,
        maxValue: input.maxValue,
        unit: input.unit,
        higherIsWorse: input.higherIsWorse,
        origin: "imported",
        isBuiltIn: false,
      })
      .run();
    recordAudit(tx, actor, { action: "indicator.created", objectType: "indicator", objectId: input.code, summary: { ...input } });
    return toRecord(tx.select().from(indicators).where(eq(indicators.code, input.code)).get()!);
  }, db);
}

/** "0 to 100 %", "exceeded, met, …", "0 to 1000", "yes (1) or no (0)": an indicator's allowed values, for people. */
export function describeValues(indicator: Pick<IndicatorRecord, "valueType" | "categories" | "minValue" | "maxValue" | "unit">): string {
  switch (indicator.valueType) {
    case "category":
      return `${(indicator.categories ?? []).join(", ")} (best first)`;
    case "boolean":
      return "yes (1) or no (0)";
    default: {
      const unit = !indicator.unit ? "" : indicator.unit === "%" ? "%" : ` ${indicator.unit}`;
      const min = indicator.minValue ?? 0;
      return indicator.maxValue === null ? `${min} or more${unit}` : `${min} to ${indicator.maxValue}${unit}`;
    }
  }
}
