/**
 * Reading the audit trail for the admin pages: filters from a GET query string, newest-first pages of events,
 * and the values the filter form offers. Every query is built by drizzle with bound parameters.
 */
import { TZDate } from "@date-fns/tz";
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import { getDb, type Db } from "../db.server";
import { verifyAuditChain } from "./audit.server";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  action?: string;
  /** Part of the actor's label (an email address, "system", "cli:name"). */
  actor?: string;
  objectType?: string;
  objectId?: string;
  /** yyyy-mm-dd, the first day included, in Europe/London. */
  from?: string;
  /** yyyy-mm-dd, the last day included, in Europe/London. */
  to?: string;
}

export type AuditFilterErrors = Partial<Record<"from" | "to", string>>;

const FILTER_MAX_LENGTH: Record<keyof AuditFilters, number> = {
  action: 100,
  actor: 320,
  objectType: 100,
  objectId: 200,
  from: 10,
  to: 10,
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a yyyy-mm-dd string names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The UTC instant (ISO, as audit_events.occurred_at is stored) at which a London calendar day starts. */
export function londonDayStart(isoDate: string, addDays = 0): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d + addDays, "Europe/London").getTime()).toISOString();
}

/** Filters and page number from the audit page's query string. Invalid dates are reported and not applied. */
export function parseAuditQuery(params: URLSearchParams): { filters: AuditFilters; page: number; errors: AuditFilterErrors } {
  const filters: AuditFilters = {};
  for (const key of Object.keys(FILTER_MAX_LENGTH) as (keyof AuditFilters)[]) {
    const value = params.get(key)?.trim().slice(0, FILTER_MAX_LENGTH[key]);
    if (value) filters[key] = value;
  }
  if (filters.actor) filters.actor = filters.actor.toLowerCase();
  const errors: AuditFilterErrors = {};
  if (filters.from && !isCalendarDate(filters.from)) {
    errors.from = "The ‘from’ date must be a real date, like 2026-03-27";
    delete filters.from;
  }
  if (filters.to && !isCalendarDate(filters.to)) {
    errors.to = "The ‘to’ date must be a real date, like 2026-03-27";
    delete filters.to;
  }
  if (filters.from && filters.to && filters.to < filters.from) {
    errors.to = "The ‘to’ date must be the same as or after the ‘from’ date";
    delete filters.to;
  }
  const pageParam = Number(params.get("page") ?? "1");
  const page = Number.isSafeInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
  return { filters, page, errors };
}

/** A LIKE pattern matching `text` anywhere, with the wildcards % and _ (and the escape \) taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function whereFor(filters: AuditFilters): SQL | undefined {
  const conditions: SQL[] = [];
  if (filters.action) conditions.push(eq(auditEvents.action, filters.action));
  if (filters.actor) conditions.push(sql`${auditEvents.actorLabel} LIKE ${containsPattern(filters.actor)} ESCAPE '\\'`);
  if (filters.objectType) conditions.push(eq(auditEvents.objectType, filters.objectType));
  if (filters.objectId) conditions.push(eq(auditEvents.objectId, filters.objectId));
  if (filters.from) conditions.push(gte(auditEvents.occurredAt, londonDayStart(filters.from)));
  if (filters.to) conditions.push(lt(auditEvents.occurredAt, londonDayStart(filters.to, 1)));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** One page of events matching the filters, newest first. A page past the end gives the last page. */
export function queryAuditEvents(
  filters: AuditFilters,
  requestedPage = 1,
  pageSize = AUDIT_PAGE_SIZE,
  db: Db = getDb(),
): { events: AuditEventRow[]; total: number; page: number; pageCount: number } {
  const where = whereFor(filters);
  const total = db.select({ n: count() }).from(auditEvents).where(where).get()!.n;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  const events = db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.seq))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { events, total, page, pageCount };
}

/** The actions and object types that occur in the trail, for the filter form's selects. */
export function auditFilterOptions(db: Db = getDb()): { actions: string[]; objectTypes: string[] } {
  const actions = db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .orderBy(asc(auditEvents.action))
    .all()
    .map((r) => r.action);
  const objectTypes = db
    .selectDistinct({ objectType: auditEvents.objectType })
    .from(auditEvents)
    .orderBy(asc(auditEvents.objectType))
    .all()
    .flatMap((r) => (r.objectType ? [r.objectType] : []));
  return { actions, objectTypes };
}

/** When an event last happened to an object (for example a user's last sign-in), or undefined. */
export function lastEventAt(action: string, objectType: string, objectId: string, db: Db = getDb()): string | undefined {
  return db
    .select({ occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.objectType, objectType), eq(auditEvents.objectId, objectId)))
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .get()?.occurredAt;
}

/** The state of the whole chain, as the audit page shows it. */
export function auditChainStatus(db: Db = getDb()) {
  return verifyAuditChain(db);
}
