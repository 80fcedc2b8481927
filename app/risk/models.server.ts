/**
 * Risk model versions: list, create (validated, audited; a version is never edited afterwards — the database
 * refuses changes to its name and config), make current (audited), and preview a config's ranking against the
 * current one. Also the mapping between the version form's fields and a config.
 */
import { desc, eq, sql } from "drizzle-orm";
import { riskModelVersions } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { todayInLondon } from "../trusts/register.server";
import {
  checkModelConfig,
  compareRankings,
  defaultNormalisation,
  directionAgrees,
  IMPACT_TYPES,
  type IndicatorConfig,
  type ModelConfig,
  type RankingComparison,
} from "./model";
import { currentModel, ensureDefaultRiskModel, indicatorInfo, rankTrusts, toModelVersion, type IndicatorInfo, type ModelVersion, type RankedTrust } from "./ranking.server";

export type ModelFieldErrors = Partial<Record<string, string>>;

export class ModelError extends Error {
  constructor(public readonly fieldErrors: ModelFieldErrors) {
    super(Object.values(fieldErrors).join("; "));
  }
}

export interface ModelVersionSummary {
  id: number;
  name: string;
  description: string;
  isCurrent: boolean;
  createdBy: string;
  createdAt: string;
  madeCurrentAt: string | null;
}

/** Every version, newest first. */
export function listModelVersions(db: Db = getDb()): ModelVersionSummary[] {
  ensureDefaultRiskModel(db);
  return db
    .select({
      id: riskModelVersions.id,
      name: riskModelVersions.name,
      description: riskModelVersions.description,
      isCurrent: riskModelVersions.isCurrent,
      createdBy: riskModelVersions.createdBy,
      createdAt: riskModelVersions.createdAt,
      madeCurrentAt: riskModelVersions.madeCurrentAt,
    })
    .from(riskModelVersions)
    .orderBy(desc(riskModelVersions.id))
    .all();
}

/** One version, or null (also for an id that is not a positive whole number). */
export function getModelVersion(id: string | number, db: Db = getDb()): ModelVersion | null {
  const n = typeof id === "number" ? id : /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n)) return null;
  ensureDefaultRiskModel(db);
  const row = db.select().from(riskModelVersions).where(eq(riskModelVersions.id, n)).get();
  return row ? toModelVersion(row) : null;
}

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;

/**
 * Checks a config against the indicators as they are defined: every indicator it names exists, a category
 * indicator's list matches the indicator's, and a number's thresholds point the indicator's way.
 */
export function checkAgainstIndicators(config: ModelConfig, info: Map<string, IndicatorInfo>): ModelFieldErrors {
  const errors: ModelFieldErrors = {};
  for (const [code, entry] of Object.entries(config.indicators)) {
    const def = info.get(code);
    if (!def) {
      errors[`weight-${code}`] = `There is no indicator ${code}`;
      continue;
    }
    const n = entry.normalise;
    const expected = def.valueType === "category" ? "category" : def.valueType === "boolean" ? "boolean" : "linear";
    if (n.kind !== expected) errors[`weight-${code}`] = `${def.label}: a ${def.valueType} indicator cannot be normalised as ${n.kind}`;
    else if (n.kind === "category" && JSON.stringify(n.categories) !== JSON.stringify(def.categories ?? [])) {
      errors[`weight-${code}`] = `${def.label}: the categories must be the indicator's own (${(def.categories ?? []).join(", ")})`;
    } else if (!directionAgrees(n, def.higherIsWorse)) {
      errors[`bad-${code}`] = def.higherIsWorse
        ? `${def.label}: the bad threshold must be higher than the good one (a higher value is worse)`
        : `${def.label}: the bad threshold must be lower than the good one (a lower value is worse)`;
    }
  }
  return errors;
}

/** Stores a new version (not current). Returns its id. Throws ModelError with field errors if it is not valid. */
export function createModelVersion(name: string, description: string, config: unknown, actor: Actor, db: Db = getDb()): number {
  const cleanName = name.replace(/\s+/g, " ").trim();
  const cleanDescription = description.trim();
  const errors: ModelFieldErrors = {};
  if (!cleanName) errors.name = "Enter a name for the version";
  else if (cleanName.length > NAME_MAX) errors.name = `Name must be ${NAME_MAX} characters or fewer`;
  if (cleanDescription.length > DESCRIPTION_MAX) errors.description = `Description must be ${DESCRIPTION_MAX} characters or fewer`;
  const check = checkModelConfig(config);
  if (!check.ok) errors.config = check.errors.map((e) => `${e.path ? `${e.path}: ` : ""}${e.message}`).join("; ");
  else Object.assign(errors, checkAgainstIndicators(check.config, indicatorInfo(db)));
  if (Object.keys(errors).length > 0 || !check.ok) throw new ModelError(errors);
  return writeTransaction((tx) => {
    const taken = tx
      .select({ id: riskModelVersions.id })
      .from(riskModelVersions)
      .where(sql`lower(${riskModelVersions.name}) = lower(${cleanName})`)
      .get();
    if (taken) throw new ModelError({ name: "A version with this name already exists: choose another name" });
    const { id } = tx
      .insert(riskModelVersions)
      .values({ name: cleanName, description: cleanDescription, config: JSON.stringify(check.config), createdBy: actor.label })
      .returning({ id: riskModelVersions.id })
      .get();
    recordAudit(tx, actor, {
      action: "risk-model.created",
      objectType: "risk-model",
      objectId: String(id),
      summary: {
        name: cleanName,
        weights: Object.fromEntries(Object.entries(check.config.indicators).map(([code, c]) => [code, c.weight])),
        bandEdges: check.config.bandEdges,
      },
    });
    return id;
  }, db);
}

/** Makes a version the current one (the one before stops being current). False if it already was; null if no such version. */
export function makeCurrent(id: number, actor: Actor, db: Db = getDb()): boolean | null {
  return writeTransaction((tx) => {
    const row = tx.select().from(riskModelVersions).where(eq(riskModelVersions.id, id)).get();
    if (!row) return null;
    if (row.isCurrent) return false;
    const previous = tx.select({ id: riskModelVersions.id, name: riskModelVersions.name }).from(riskModelVersions).where(eq(riskModelVersions.isCurrent, true)).all();
    tx.update(riskModelVersions).set({ isCurrent: false }).where(eq(riskModelVersions.isCurrent, true)).run();
    tx.update(riskModelVersions).set({ isCurrent: true, madeCurrentAt: new Date().toISOString() }).where(eq(riskModelVersions.id, id)).run();
    recordAudit(tx, actor, {
      action: "risk-model.made-current",
      objectType: "risk-model",
      objectId: String(id),
      summary: { name: row.name, previous: previous.map((p) => ({ id: p.id, name: p.name })) },
    });
    return true;
  }, db);
}

export interface ModelPreview {
  asOf: string;
  current: { id: number; name: string };
  before: RankedTrust[];
  after: RankedTrust[];
  comparison: RankingComparison;
}

/** How the ranking would look under `config`, compared with the current version's. Saves nothing. */
export function previewModel(config: ModelConfig, asOf: string = todayInLondon(), db: Db = getDb()): ModelPreview {
  const model = currentModel(db);
  const before = rankTrusts(model.config, asOf, db).rows;
  const after = rankTrusts(config, asOf, db).rows;
  return { asOf, current: { id: model.id, name: model.name }, before, after, comparison: compareRankings(before, after) };
}

// ── The version form ─────────────────────────────────────────────────────────────────────────────────────

/** One indicator's editable parameters, as the form shows them. */
export interface IndicatorFormRow {
  code: string;
  label: string;
  valueType: IndicatorInfo["valueType"];
  unit: string | null;
  higherIsWorse: boolean;
  /** Thresholds only for numbers (linear normalisation). */
  linear: boolean;
  /** How a category or yes/no indicator is normalised, in words (not editable on the form). */
  fixedRule: string | null;
}

export type FormValues = Record<string, string>;

const show = (n: number) => String(Math.round(n * 1000) / 1000);

/** The indicators the form offers: every one the base config names, then every other known indicator. */
export function formIndicators(base: ModelConfig, info: Map<string, IndicatorInfo>): IndicatorFormRow[] {
  const codes = [...Object.keys(base.indicators), ...[...info.keys()].filter((c) => !(c in base.indicators))].filter((c) => info.has(c));
  return codes.map((code) => {
    const def = info.get(code)!;
    const n = base.indicators[code]?.normalise ?? defaultNormalisation(def);
    let fixedRule: string | null = null;
    if (n.kind === "category") {
      fixedRule = n.categories
        .map((c, i) => `${c.replaceAll("_", " ")} ${show(n.badness?.[c] ?? i / (n.categories.length - 1))}`)
        .join(", ");
    } else if (n.kind === "boolean") fixedRule = `yes ${show(n.badnessIfTrue)}, no ${show(n.badnessIfFalse)}`;
    return { code, label: def.label, valueType: def.valueType, unit: def.unit, higherIsWorse: def.higherIsWorse, linear: n.kind === "linear", fixedRule };
  });
}

/** A config as the form's field values (the numbers people edit). */
export function configToForm(config: ModelConfig, info: Map<string, IndicatorInfo>): FormValues {
  const values: FormValues = {
    missingBadness: show(config.missingBadness),
    staleAfterDays: String(config.staleAfterDays),
    staleBlend: show(config.staleBlend),
    mtc: show(config.impact.majorTraumaCentre),
    ambulance: show(config.impact.ambulance),
  };
  config.bandEdges.forEach((edge, i) => (values[`edge-${i + 1}`] = show(edge)));
  for (const type of IMPACT_TYPES) values[`type-${type}`] = show(config.impact.byType[type]);
  for (const row of formIndicators(config, info)) {
    const entry = config.indicators[row.code];
    const n = entry?.normalise ?? defaultNormalisation(info.get(row.code)!);
    values[`weight-${row.code}`] = show(entry?.weight ?? 0);
    values[`stale-${row.code}`] = entry?.staleAfterDays ? String(entry.staleAfterDays) : "";
    if (n.kind === "linear") {
      values[`good-${row.code}`] = show(n.good);
      values[`bad-${row.code}`] = show(n.bad);
    }
  }
  return values;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Builds a config from the form's values over a base config (whose category and yes/no rules, and per-indicator
 * missing badness, are kept as they are). Field errors use the fields' names, so the error summary links to them.
 */
export function formToConfig(
  values: FormValues,
  base: ModelConfig,
  info: Map<string, IndicatorInfo>,
): { ok: true; config: ModelConfig } | { ok: false; errors: ModelFieldErrors } {
  const errors: ModelFieldErrors = {};
  const num = (field: string, label: string, opts: { integer?: boolean; optional?: boolean } = {}): number | undefined => {
    const raw = (values[field] ?? "").trim().replace(/,/g, "");
    if (raw === "") {
      if (!opts.optional) errors[field] = `Enter ${label}`;
      return undefined;
    }
    if (!NUMBER.test(raw)) {
      errors[field] = `${label[0]!.toUpperCase()}${label.slice(1)} must be a number`;
      return undefined;
    }
    const n = Number(raw);
    if (opts.integer && !Number.isInteger(n)) {
      errors[field] = `${label[0]!.toUpperCase()}${label.slice(1)} must be a whole number`;
      return undefined;
    }
    return n;
  };

  const indicatorsConfig: Record<string, IndicatorConfig> = {};
  for (const row of formIndicators(base, info)) {
    const existing = base.indicators[row.code];
    const n = existing?.normalise ?? defaultNormalisation(info.get(row.code)!);
    const weight = num(`weight-${row.code}`, `a weight for ${row.label}`);
    const stale = num(`stale-${row.code}`, `the stale age for ${row.label}`, { integer: true, optional: true });
    let normalise = n;
    if (n.kind === "linear") {
      const good = num(`good-${row.code}`, `the good threshold for ${row.label}`);
      const bad = num(`bad-${row.code}`, `the bad threshold for ${row.label}`);
      if (good !== undefined && bad !== undefined) normalise = { kind: "linear", good, bad };
    }
    if (weight === undefined) continue;
    if (!existing && weight === 0) continue; // an indicator the base leaves out stays out unless given a weight
    const entry: IndicatorConfig = { weight, normalise };
    if (stale !== undefined) entry.staleAfterDays = stale;
    if (existing?.missingBadness !== undefined) entry.missingBadness = existing.missingBadness;
    indicatorsConfig[row.code] = entry;
  }

  const byType = {} as ModelConfig["impact"]["byType"];
  for (const type of IMPACT_TYPES) byType[type] = num(`type-${type}`, `an impact factor for ${type.replaceAll("_", " ")} trusts`) ?? NaN;
  const candidate = {
    schema: 1,
    indicators: indicatorsConfig,
    missingBadness: num("missingBadness", "the badness of missing data"),
    staleAfterDays: num("staleAfterDays", "the default stale age", { integer: true }),
    staleBlend: num("staleBlend", "how far stale data moves toward missing"),
    impact: {
      byType,
      majorTraumaCentre: num("mtc", "the major trauma centre multiplier"),
      ambulance: num("ambulance", "the ambulance trust multiplier"),
    },
    bandEdges: [1, 2, 3, 4, 5].map((i) => num(`edge-${i}`, `the lowest score for band ${i}`) ?? NaN),
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const check = checkModelConfig(candidate);
  if (!check.ok) {
    for (const e of check.errors) {
      const field = fieldForPath(e.path);
      errors[field] ??= messageFor(field, e.message, info);
    }
    return { ok: false, errors };
  }
  const againstIndicators = checkAgainstIndicators(check.config, info);
  if (Object.keys(againstIndicators).length > 0) return { ok: false, errors: againstIndicators };
  return { ok: true, config: check.config };
}

/** The form field a config path belongs to (a zod issue path joined with dots). */
function fieldForPath(path: string): string {
  const parts = path.split(".");
  if (parts[0] === "indicators" && parts[1]) {
    const code = parts[1];
    if (parts[2] === "staleAfterDays") return `stale-${code}`;
    if (parts[2] === "normalise" && parts[3] === "bad") return `bad-${code}`;
    if (parts[2] === "normalise" && parts[3] === "good") return `good-${code}`;
    return `weight-${code}`;
  }
  if (parts[0] === "indicators") return "weights";
  if (parts[0] === "impact" && parts[1] === "byType" && parts[2]) return `type-${parts[2]}`;
  if (parts[0] === "impact" && parts[1] === "majorTraumaCentre") return "mtc";
  if (parts[0] === "impact" && parts[1] === "ambulance") return "ambulance";
  if (parts[0] === "bandEdges") return `edge-${parts[1] ? Number(parts[1]) + 1 : 1}`;
  return parts[0] || "config";
}

const FIELD_WORDS: Record<string, string> = {
  missingBadness: "The badness of missing data",
  staleAfterDays: "The default stale age",
  staleBlend: "How far stale data moves toward missing",
  mtc: "The major trauma centre multiplier",
  ambulance: "The ambulance trust multiplier",
  weights: "Weights",
};

function messageFor(field: string, message: string, info: Map<string, IndicatorInfo>): string {
  const [kind, ...rest] = field.split("-");
  const code = rest.join("-");
  const label = info.get(code)?.label;
  const subject =
    FIELD_WORDS[field] ??
    (kind === "weight" && label
      ? `The weight for ${label}`
      : kind === "stale" && label
        ? `The stale age for ${label}`
        : (kind === "good" || kind === "bad") && label
          ? `The ${kind} threshold for ${label}`
          : kind === "type"
            ? `The impact factor for ${code.replaceAll("_", " ")} trusts`
            : kind === "edge"
              ? `The lowest score for band ${code}`
              : "The model");
  return `${subject}: ${humanise(message)}`;
}

/** zod's wording, in the service's voice. */
function humanise(message: string): string {
  const big = /Too big: expected number to be <=?(-?[\d.]+)/.exec(message);
  if (big) return `must be ${message.includes("<=") ? "at most" : "less than"} ${big[1]}`;
  const small = /Too small: expected number to be >=?(-?[\d.]+)/.exec(message);
  if (small) return `must be ${message.includes(">=") ? "at least" : "more than"} ${small[1]}`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}
