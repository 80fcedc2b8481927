/**
 * Queries behind the trust pages (staff only): the filtered list, the choices for its filters, and one
 * trust with its major trauma centres. Each returns only the fields its page shows.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, notInArray, or, sql, type SQL } from "drizzle-orm";
import { BROAD_TYPES, majorTraumaCentres, trusts, type BroadType } from "../../db/schema";
import { getDb } from "../db.server";

export const BROAD_TYPE_LABELS: Record<BroadType, string> = {
  acute: "Acute",
  specialist: "Specialist",
  mental_health: "Mental health",
  mental_health_and_community: "Mental health and community",
  community: "Community",
  ambulance: "Ambulance",
  unknown: "Not known",
};

export const MTC_CATEGORY_LABELS: Record<(typeof majorTraumaCentres.$inferSelect)["category"], string> = {
  adult_and_children: "Adults and children",
  adult_only: "Adults only",
  children_only: "Children only",
};

export const STATUSES = ["open", "closed", "all"] as const;
export type TrustStatus = (typeof STATUSES)[number];
type YesNo = "yes" | "no";

export interface TrustFilters {
  q: string;
  broadType: BroadType | null;
  regionCode: string | null;
  mtc: YesNo | null;
  ambulance: YesNo | null;
  status: TrustStatus;
}

export const MAX_QUERY_LENGTH = 100;
const ODS_CODE = /^[A-Z0-9]{3,5}$/;

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

/** The filters from the page's query string. Anything not recognised is ignored (as if not chosen). */
export function parseTrustFilters(params: URLSearchParams): TrustFilters {
  const q = (params.get("q") ?? "")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
  const region = (params.get("region") ?? "").toUpperCase();
  return {
    q,
    broadType: oneOf(params.get("type"), BROAD_TYPES),
    regionCode: ODS_CODE.test(region) ? region : null,
    mtc: oneOf(params.get("mtc"), ["yes", "no"] as const),
    ambulance: oneOf(params.get("ambulance"), ["yes", "no"] as const),
    status: oneOf(params.get("status"), STATUSES) ?? "open",
  };
}

/** Today's date in England, yyyy-mm-dd: a trust with a close date after today is still open. */
export function todayInLondon(now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), "Europe/London"), "yyyy-MM-dd");
}

/** `text` as a LIKE pattern that matches it anywhere, with \, % and _ taken literally (ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const likeContains = (column: typeof trusts.name | typeof trusts.odsCode, text: string): SQL =>
  sql`${column} LIKE ${containsPattern(text)} ESCAPE '\\'`;

export interface TrustListRow {
  odsCode: string;
  name: string;
  broadType: BroadType;
  regionName: string;
  closedOn: string | null;
  isMtc: boolean;
  isClosed: boolean;
}

export function listTrusts(filters: TrustFilters, now: Date = new Date()): TrustListRow[] {
  const db = getDb();
  const today = todayInLondon(now);
  const mtcTrusts = () => db.selectDistinct({ code: majorTraumaCentres.trustCode }).from(majorTraumaCentres);
  const conditions: (SQL | undefined)[] = [];
  // SQLite's LIKE ignores case for ASCII letters, which is all an ODS code or a trust name needs.
  if (filters.q) conditions.push(or(likeContains(trusts.name, filters.q), likeContains(trusts.odsCode, filters.q)));
  if (filters.broadType) conditions.push(eq(trusts.broadType, filters.broadType));
  if (filters.regionCode) conditions.push(eq(trusts.regionCode, filters.regionCode));
  if (filters.ambulance) conditions.push(eq(trusts.isAmbulance, filters.ambulance === "yes"));
  if (filters.mtc === "yes") conditions.push(inArray(trusts.odsCode, mtcTrusts()));
  if (filters.mtc === "no") conditions.push(notInArray(trusts.odsCode, mtcTrusts()));
  if (filters.status === "open") conditions.push(or(isNull(trusts.closedOn), gt(trusts.closedOn, today)));
  if (filters.status === "closed") conditions.push(and(isNotNull(trusts.closedOn), lte(trusts.closedOn, today)));

  const rows = db
    .select({
      odsCode: trusts.odsCode,
      name: trusts.name,
      broadType: trusts.broadType,
      regionName: trusts.regionName,
      closedOn: trusts.closedOn,
    })
    .from(trusts)
    .where(and(...conditions))
    .orderBy(asc(trusts.name), asc(trusts.odsCode))
    .all();
  const centres = new Set(mtcTrusts().all().map((r) => r.code));
  return rows.map((row) => ({
    ...row,
    isMtc: centres.has(row.odsCode),
    isClosed: row.closedOn !== null && row.closedOn <= today,
  }));
}

export interface FilterChoices {
  regions: { code: string; name: string }[];
  types: { value: BroadType; text: string }[];
}

/** The regions and types that occur in the register, for the filter selects. */
export function trustFilterChoices(): FilterChoices {
  const db = getDb();
  const regions = db
    .selectDistinct({ code: trusts.regionCode, name: trusts.regionName })
    .from(trusts)
    .orderBy(asc(trusts.regionName))
    .all();
  const present = new Set(db.selectDistinct({ type: trusts.broadType }).from(trusts).all().map((r) => r.type));
  return {
    regions,
    types: BROAD_TYPES.filter((t) => present.has(t)).map((value) => ({ value, text: BROAD_TYPE_LABELS[value] })),
  };
}

/** One trust, everything its page shows, with its major trauma centres; null if there is no such trust. */
export function getTrust(code: string) {
  const odsCode = code.trim().toUpperCase();
  if (!ODS_CODE.test(odsCode)) return null;
  const db = getDb();
  const trust = db
    .select({
      odsCode: trusts.odsCode,
      name: trusts.name,
      odsName: trusts.odsName,
      broadType: trusts.broadType,
      trustType: trusts.trustType,
      regionCode: trusts.regionCode,
      regionName: trusts.regionName,
      icbCode: trusts.icbCode,
      addressLines: trusts.addressLines,
      postcode: trusts.postcode,
      openedOn: trusts.openedOn,
      closedOn: trusts.closedOn,
      isAmbulance: trusts.isAmbulance,
      eprSupplier: trusts.eprSupplier,
      latitude: trusts.latitude,
      longitude: trusts.longitude,
    })
    .from(trusts)
    .where(eq(trusts.odsCode, odsCode))
    .get();
  if (!trust) return null;
  const traumaCentres = db
    .select({ hospital: majorTraumaCentres.hospital, category: majorTraumaCentres.category })
    .from(majorTraumaCentres)
    .where(eq(majorTraumaCentres.trustCode, odsCode))
    .orderBy(asc(majorTraumaCentres.hospital))
    .all();
  return { ...trust, traumaCentres, isClosed: trust.closedOn !== null && trust.closedOn <= todayInLondon() };
}

export type TrustDetails = NonNullable<ReturnType<typeof getTrust>>;
