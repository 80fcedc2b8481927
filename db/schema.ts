/**
 * The database schema. Times are stored as ISO-8601 UTC strings; calendar dates as yyyy-mm-dd.
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) and committed.
 */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["admin", "programme_lead", "inspector", "trust_user"] as const;
export type Role = (typeof ROLES)[number];

export const BROAD_TYPES = [
  "acute",
  "specialist",
  "mental_health",
  "mental_health_and_community",
  "community",
  "ambulance",
  "unknown",
] as const;
export type BroadType = (typeof BROAD_TYPES)[number];

const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** The register of NHS trusts, keyed by ODS code. ODS columns are refreshed by the import; the rest is enrichment. */
export const trusts = sqliteTable(
  "trusts",
  {
    odsCode: text("ods_code").primaryKey(),
    odsName: text("ods_name").notNull(),
    name: text("name").notNull(),
    broadType: text("broad_type", { enum: BROAD_TYPES }).notNull().default("unknown"),
    trustType: text("trust_type"),
    regionCode: text("region_code").notNull(),
    regionName: text("region_name").notNull(),
    icbCode: text("icb_code"),
    addressLines: text("address_lines").notNull().default(""),
    postcode: text("postcode"),
    openedOn: text("opened_on"),
    closedOn: text("closed_on"),
    isAmbulance: integer("is_ambulance", { mode: "boolean" }).notNull().default(false),
    eprSupplier: text("epr_supplier"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    source: text("source").notNull(),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [index("trusts_region_idx").on(t.regionCode), index("trusts_name_idx").on(t.name)],
);

export const MTC_CATEGORIES = ["adult_and_children", "adult_only", "children_only"] as const;

/** Major trauma centres, each run by one trust. */
export const majorTraumaCentres = sqliteTable(
  "major_trauma_centres",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    hospital: text("hospital").notNull(),
    category: text("category", { enum: MTC_CATEGORIES }).notNull(),
  },
  (t) => [uniqueIndex("mtc_hospital_uq").on(t.hospital), index("mtc_trust_idx").on(t.trustCode)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    trustCode: text("trust_code").references(() => trusts.odsCode),
    passwordHash: text("password_hash").notNull(),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    disabledAt: text("disabled_at"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/** Server-side sessions. Only the SHA-256 of the session id is stored, so a copy of the database cannot be used to sign in. */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    clientAddress: text("client_address"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed sign-ins, per account key and per client address, for throttling. Pruned as they age out. */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountKey: text("account_key").notNull(),
    clientAddress: text("client_address").notNull(),
    failedAt: text("failed_at").notNull(),
  },
  (t) => [
    index("sign_in_failures_account_idx").on(t.accountKey, t.failedAt),
    index("sign_in_failures_address_idx").on(t.clientAddress, t.failedAt),
  ],
);

/**
 * The audit trail: append-only (triggers refuse UPDATE and DELETE) and hash-chained
 * (each event's hash covers the previous event's hash and its own content).
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    seq: integer("seq").primaryKey(),
    occurredAt: text("occurred_at").notNull(),
    actorUserId: text("actor_user_id"),
    actorLabel: text("actor_label").notNull(),
    clientAddress: text("client_address"),
    action: text("action").notNull(),
    objectType: text("object_type"),
    objectId: text("object_id"),
    summary: text("summary").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_occurred_idx").on(t.occurredAt),
    index("audit_action_idx").on(t.action),
    index("audit_actor_idx").on(t.actorUserId),
  ],
);

/** Small key/value facts about this install (reference data version, demo seed). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: text("updated_at").notNull(),
});
