/**
 * The risk ranking: every open trust scored by a risk model (app/risk/model.ts) from its latest indicator
 * observations, highest score first. Also the current model version (seeding the baseline on a new install) and
 * one trust's observation history for its charts. Reads only; the views are audited by the pages.
 */
import { asc, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { indicatorObservations, indicators, majorTraumaCentres, riskModelVersions, trusts, type BroadType } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR } from "../audit/audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { todayInLondon } from "../trusts/register.server";
import { BUILT_IN_INDICATORS } from "./indicator-catalogue";
import {
  DEFAULT_MODEL_CONFIG,
  DEFAULT_MODEL_DESCRIPTION,
  DEFAULT_MODEL_NAME,
  parseModelConfig,
  scoreTrust,
  type Band,
  type Contribution,
  type ModelConfig,
  type ObservationInput,
} from "./model";

export interface LatestObservation extends ObservationInput {
  id: number;
  trustCode: string;
  period: string | null;
  source: string;
}

/**
 * The latest observation of every indicator for every trust, on or before `asOf` (yyyy-mm-dd), in one query:
 * the newest observed_on wins, and of two on the same day the later import (higher id). Keyed by trust code.
 *
 * For each (trust, indicator) pair, a correlated subquery walks observation_latest_idx backwards and stops at
 * the first row, so the cost grows with the number of pairs, not with the length of the history. (A
 * row_number() window over the whole table gives the same rows but sorts all of it: about ten times slower on
 * 60,000 observations.)
 */
export function latestObservations(asOf: string = todayInLondon(), db: Db = getDb()): Map<string, LatestObservation[]> {
  const o = indicatorObservations;
  const rows = db.all<{
    id: number;
    trust_code: string;
    indicator_code: string;
    value: string;
    numeric_value: number;
    observed_on: string;
    period: string | null;
    source: string;
  }>(sql`
    SELECT o.id, o.trust_code, o.indicator_code, o.value, o.numeric_value, o.observed_on, o.period, o.source
    FROM (SELECT DISTINCT ${o.trustCode} AS trust_code, ${o.indicatorCode} AS indicator_code FROM ${o}) AS pair
    JOIN ${o} AS o ON o.id = (
      SELECT latest.id FROM ${o} AS latest
      WHERE latest.trust_code = pair.trust_code AND latest.indicator_code = pair.indicator_code AND latest.observed_on <= ${asOf}
      ORDER BY latest.observed_on DESC, latest.id DESC
      LIMIT 1
    )
  `);
  const byTrust = new Map<string, LatestObservation[]>();
  for (const r of rows) {
    const list = byTrust.get(r.trust_code) ?? [];
    list.push({
      id: r.id,
      trustCode: r.trust_code,
      indicatorCode: r.indicator_code,
      value: r.value,
      numericValue: r.numeric_value,
      observedOn: r.observed_on,
      period: r.period,
      source: r.source,
    });
    byTrust.set(r.trust_code, list);
  }
  return byTrust;
}

export interface HistoryPoint {
  indicatorCode: string;
  value: string;
  numericValue: number;
  observedOn: string;
  period: string | null;
  source: string;
}

/** Every observation of one trust, oldest first within each indicator (for its charts). */
export function observationHistory(trustCode: string, db: Db = getDb()): HistoryPoint[] {
  return db
    .select({
      indicatorCode: indicatorObservations.indicatorCode,
      value: indicatorObservations.value,
      numericValue: indicatorObservations.numericValue,
      observedOn: indicatorObservations.observedOn,
      period: indicatorObservations.period,
      source: indicatorObservations.source,
    })
    .from(indicatorObservations)
    .where(eq(indicatorObservations.trustCode, trustCode))
    .orderBy(asc(indicatorObservations.indicatorCode), asc(indicatorObservations.observedOn), asc(indicatorObservations.id))
    .all();
}

export interface IndicatorInfo {
  code: string;
  label: string;
  description: string;
  valueType: "category" | "percentage" | "count" | "boolean";
  categories: string[] | null;
  minValue: number | null;
  maxValue: number | null;
  unit: string | null;
  higherIsWorse: boolean;
  isBuiltIn: boolean;
}

/** Every indicator: the built-in catalogue, overlaid by the indicators table (which holds any added by an admin). */
export function indicatorInfo(db: Db = getDb()): Map<string, IndicatorInfo> {
  const info = new Map<string, IndicatorInfo>();
  for (const def of BUILT_IN_INDICATORS) {
    info.set(def.code, {
      code: def.code,
      label: def.label,
      description: def.description,
      valueType: def.valueType,
      categories: def.categories ? [...def.categories] : null,
      minValue: def.minValue ?? null,
      maxValue: def.maxValue ?? null,
      unit: def.unit ?? null,
      higherIsWorse: def.higherIsWorse,
      isBuiltIn: true,
    });
  }
  for (const row of db.select().from(indicators).all()) {
    let categories: string[] | null = null;
    try {
      const parsed: unknown = row.categories ? JSON.parse(row.categories) : null;
      categories = Array.isArray(parsed) ? parsed.map(String) : null;
    } catch {
      categories = null;
    }
    info.set(row.code, {
      code: row.code,
      label: row.label,
      description: row.description,
      valueType: row.valueType,
      categories,
      minValue: row.minValue,
      maxValue: row.maxValue,
      unit: row.unit,
      higherIsWorse: row.higherIsWorse,
      isBuiltIn: row.isBuiltIn || info.get(row.code)?.isBuiltIn === true,
    });
  }
  return info;
}

// ── Model versions ───────────────────────────────────────────────────────────────────────────────────────

export interface ModelVersion {
  id: number;
  name: string;
  description: string;
  config: ModelConfig;
  isCurrent: boolean;
  createdBy: string;
  createdAt: string;
  madeCurrentAt: string | null;
}

type VersionRow = typeof riskModelVersions.$inferSelect;

export function toModelVersion(row: VersionRow): ModelVersion {
  return { ...row, config: parseModelConfig(row.config) };
}

function seedDefault(tx: Tx | Db) {
  const now = new Date().toISOString();
  const named = tx.select().from(riskModelVersions).where(eq(riskModelVersions.name, DEFAULT_MODEL_NAME)).get();
  if (named) {
    tx.update(riskModelVersions).set({ isCurrent: true, madeCurrentAt: now }).where(eq(riskModelVersions.id, named.id)).run();
    recordAudit(tx as Tx, SYSTEM_ACTOR, {
      action: "risk-model.made-current",
      objectType: "risk-model",
      objectId: String(named.id),
      summary: { name: named.name, reason: "no version was current" },
    });
    return;
  }
  const created = tx
    .insert(riskModelVersions)
    .values({
      name: DEFAULT_MODEL_NAME,
      description: DEFAULT_MODEL_DESCRIPTION,
      config: JSON.stringify(DEFAULT_MODEL_CONFIG),
      isCurrent: true,
      createdBy: SYSTEM_ACTOR.label,
      madeCurrentAt: now,
    })
    .returning({ id: riskModelVersions.id })
    .get();
  recordAudit(tx as Tx, SYSTEM_ACTOR, {
    action: "risk-model.created",
    objectType: "risk-model",
    objectId: String(created.id),
    summary: { name: DEFAULT_MODEL_NAME, current: true, seeded: true },
  });
}

const currentRow = (db: Db | Tx) =>
  db
    .select()
    .from(riskModelVersions)
    .where(eq(riskModelVersions.isCurrent, true))
    .orderBy(desc(riskModelVersions.madeCurrentAt), desc(riskModelVersions.id))
    .limit(1)
    .get();

/**
 * Makes sure a model version is current: on a new install, stores the baseline ("Baseline 2026") and makes it
 * current (audited as the system). Idempotent; called at start-up and before any read of the versions. Works
 * inside a caller's transaction too (it then writes in that transaction).
 */
export function ensureDefaultRiskModel(db: Db = getDb()): void {
  if (currentRow(db)) return;
  if (db.$client.inTransaction) seedDefault(db);
  else
    writeTransaction((tx) => {
      if (!currentRow(tx)) seedDefault(tx);
    }, db);
}

/** The current model version (the baseline is seeded if there is none). */
export function currentModel(db: Db = getDb()): ModelVersion {
  ensureDefaultRiskModel(db);
  return toModelVersion(currentRow(db)!);
}

// ── Ranking ──────────────────────────────────────────────────────────────────────────────────────────────

export interface Freshness {
  current: number;
  stale: number;
  missing: number;
  /** The date of the newest observation used, or null if none. */
  newestObservedOn: string | null;
}

export interface RankedTrust {
  /** Position in the ranking (1 = highest score). */
  rank: number;
  trustCode: string;
  name: string;
  regionCode: string;
  regionName: string;
  broadType: BroadType;
  isMtc: boolean;
  isAmbulance: boolean;
  score: number;
  band: Band;
  likelihood: number;
  impact: number;
  contributions: Contribution[];
  freshness: Freshness;
}

export interface Ranking {
  asOf: string;
  rows: RankedTrust[];
}

/** The trusts open on `asOf`: no close date, or one after it. */
function openTrusts(db: Db, asOf: string) {
  return db
    .select({
      trustCode: trusts.odsCode,
      name: trusts.name,
      regionCode: trusts.regionCode,
      regionName: trusts.regionName,
      broadType: trusts.broadType,
      isAmbulance: trusts.isAmbulance,
    })
    .from(trusts)
    .where(or(isNull(trusts.closedOn), gt(trusts.closedOn, asOf)))
    .all();
}

/** One collator for every comparison (localeCompare with a locale builds a new one each call). */
const byName = new Intl.Collator("en-GB");

/** Scores every trust open on `asOf` with `config`, highest score first (ties by name, then code). */
export function rankTrusts(config: ModelConfig, asOf: string = todayInLondon(), db: Db = getDb()): Ranking {
  const info = indicatorInfo(db);
  const labels = Object.fromEntries([...info.values()].map((i) => [i.code, i.label]));
  const units = Object.fromEntries([...info.values()].map((i) => [i.code, i.unit]));
  const mtc = new Set(db.selectDistinct({ code: majorTraumaCentres.trustCode }).from(majorTraumaCentres).all().map((r) => r.code));
  const latest = latestObservations(asOf, db);
  const rows = openTrusts(db, asOf).map((t) => {
    const isMtc = mtc.has(t.trustCode);
    const result = scoreTrust({ ...t, isMtc, observations: latest.get(t.trustCode) ?? [], labels, units }, config, asOf);
    const freshness: Freshness = { current: 0, stale: 0, missing: 0, newestObservedOn: null };
    for (const c of result.contributions) {
      freshness[c.status] += 1;
      if (c.observedOn && (!freshness.newestObservedOn || c.observedOn > freshness.newestObservedOn)) freshness.newestObservedOn = c.observedOn;
    }
    return { rank: 0, ...t, isMtc, ...result, freshness };
  });
  rows.sort((a, b) => b.score - a.score || byName.compare(a.name, b.name) || (a.trustCode < b.trustCode ? -1 : a.trustCode > b.trustCode ? 1 : 0));
  rows.forEach((r, i) => (r.rank = i + 1));
  return { asOf, rows };
}

export interface CurrentRanking extends Ranking {
  modelVersion: { id: number; name: string };
}

/** The ranking of every open trust under the current model version, as of today in England. */
export function currentRanking(asOf: string = todayInLondon(), db: Db = getDb()): CurrentRanking {
  const model = currentModel(db);
  return { modelVersion: { id: model.id, name: model.name }, ...rankTrusts(model.config, asOf, db) };
}

// ── The ranking page's filters ───────────────────────────────────────────────────────────────────────────

export interface RankingFilters {
  regionCode: string | null;
  broadType: BroadType | null;
  band: Band | null;
}

const BROAD_TYPE_VALUES: readonly string[] = ["acute", "specialist", "mental_health", "mental_health_and_community", "community", "ambulance", "unknown"];

/** The filters from the ranking page's query string; anything not recognised is ignored (as if not chosen). */
export function parseRankingFilters(params: URLSearchParams): RankingFilters {
  const region = (params.get("region") ?? "").toUpperCase();
  const type = params.get("type") ?? "";
  const band = params.get("band") ?? "";
  return {
    regionCode: /^[A-Z0-9]{3,5}$/.test(region) ? region : null,
    broadType: BROAD_TYPE_VALUES.includes(type) ? (type as BroadType) : null,
    band: /^[1-6]$/.test(band) ? (Number(band) as Band) : null,
  };
}

/** The rows that match the filters, keeping their national rank. */
export function filterRanking(rows: readonly RankedTrust[], filters: RankingFilters): RankedTrust[] {
  return rows.filter(
    (r) =>
      (!filters.regionCode || r.regionCode === filters.regionCode) &&
      (!filters.broadType || r.broadType === filters.broadType) &&
      (!filters.band || r.band === filters.band),
  );
}

/** "All current", or what is not, e.g. "2 stale, 1 missing". */
export function freshnessText(f: Freshness): string {
  const parts = [f.stale ? `${f.stale} stale` : "", f.missing ? `${f.missing} missing` : ""].filter(Boolean);
  return parts.length ? parts.join(", ") : "All current";
}
