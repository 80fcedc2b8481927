/**
 * The database schema. Times are stored as ISO-8601 UTC strings; calendar dates as yyyy-mm-dd.
 * Migrations are generated from this file by drizzle-kit (`npm run db:generate`) and committed.
 */
import { sql } from "drizzle-orm";
import { blob, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    /**
     * The second factor (decision 0022): the TOTP secret (base32, RFC 6238: SHA-1, 6 digits, 30 seconds), when it was
     * set up, and the last time step a code was accepted for, so that no code is accepted twice.
     */
    mfaSecret: text("mfa_secret"),
    mfaEnrolledAt: text("mfa_enrolled_at"),
    mfaLastStep: integer("mfa_last_step"),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/** One-time recovery codes for the second factor: only their SHA-256 (each code holds 120 random bits). */
export const mfaRecoveryCodes = sqliteTable(
  "mfa_recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    createdAt: text("created_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("mfa_recovery_codes_user_idx").on(t.userId), uniqueIndex("mfa_recovery_codes_hash_uq").on(t.codeHash)],
);

/**
 * A sign-in halfway through: the password was right, the second factor is still to come (or to be set up). The browser
 * holds a random id in its own short-lived cookie; only its SHA-256 is stored. It is not a session: it opens nothing but
 * the second step.
 */
export const signInChallenges = sqliteTable(
  "sign_in_challenges",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
    /** Wrong codes entered in this challenge; it ends at the limit. */
    attempts: integer("attempts").notNull().default(0),
    /** The secret offered to a person setting up their second factor, until they confirm it with a code. */
    enrolSecret: text("enrol_secret"),
    /** Where to go once signed in (already checked to be a path on this site). */
    redirectTo: text("redirect_to"),
    clientAddress: text("client_address"),
  },
  (t) => [index("sign_in_challenges_user_idx").on(t.userId)],
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

// ── Risk: indicators, observations, model versions ────────────────────────────────────────────────────────

export const INDICATOR_VALUE_TYPES = ["category", "percentage", "count", "boolean"] as const;
export type IndicatorValueType = (typeof INDICATOR_VALUE_TYPES)[number];

/** What can be measured about a trust. Built-in ones ship with the product; an admin can add more. */
export const indicators = sqliteTable("indicators", {
  code: text("code").primaryKey(),
  label: text("label").notNull(),
  description: text("description").notNull().default(""),
  valueType: text("value_type", { enum: INDICATOR_VALUE_TYPES }).notNull(),
  /** For categories: the allowed values, best first, as a JSON array of strings. */
  categories: text("categories"),
  minValue: real("min_value"),
  maxValue: real("max_value"),
  unit: text("unit"),
  /** Whether a larger number means more risk (for percentages and counts). */
  higherIsWorse: integer("higher_is_worse", { mode: "boolean" }).notNull().default(true),
  /** "imported" from files, or "computed" from Deep Dive's own inspections. */
  origin: text("origin", { enum: ["imported", "computed"] }).notNull().default("imported"),
  isBuiltIn: integer("is_built_in", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

/** One import of an indicator file, all or nothing. */
export const indicatorImports = sqliteTable("indicator_imports", {
  id: text("id").primaryKey(),
  fileName: text("file_name").notNull(),
  sha256: text("sha256").notNull(),
  format: text("format", { enum: ["long", "dspt", "demo"] }).notNull(),
  rowCount: integer("row_count").notNull(),
  insertedCount: integer("inserted_count").notNull(),
  importedBy: text("imported_by").notNull(),
  importedAt: text("imported_at").notNull(),
});

/** The history of indicator values per trust: never updated or deleted; the latest per indicator drives the score. */
export const indicatorObservations = sqliteTable(
  "indicator_observations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    indicatorCode: text("indicator_code")
      .notNull()
      .references(() => indicators.code),
    /** The value as imported, in canonical form (a category name, or a number as text). */
    value: text("value").notNull(),
    /** The number the model uses (a category's position, a percentage, a count, 0/1). */
    numericValue: real("numeric_value").notNull(),
    observedOn: text("observed_on").notNull(),
    /** The period the value describes, e.g. "2022/23" for a DSPT status. */
    period: text("period"),
    source: text("source").notNull(),
    importId: text("import_id")
      .notNull()
      .references(() => indicatorImports.id),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    // The same observation imported twice is the same row: re-importing a file changes nothing.
    uniqueIndex("observation_identity_uq").on(t.trustCode, t.indicatorCode, t.observedOn, t.source, t.value),
    index("observation_latest_idx").on(t.trustCode, t.indicatorCode, t.observedOn),
  ],
);

/** A risk model version: named weights and rules, stored as JSON, never edited once used. */
export const riskModelVersions = sqliteTable(
  "risk_model_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The model's parameters (weights, normalisation, impact, bands, stale age) as JSON; see app/risk/model.ts. */
    config: text("config").notNull(),
    isCurrent: integer("is_current", { mode: "boolean" }).notNull().default(false),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    madeCurrentAt: text("made_current_at"),
  },
  (t) => [uniqueIndex("risk_model_name_uq").on(t.name)],
);

// ── Selection rounds ──────────────────────────────────────────────────────────────────────────────────────

export const ROUND_STATUSES = ["open", "drawn", "closed"] as const;

/**
 * A selection round. The seed is secret until the round closes; its SHA-256 (the commitment) is shown from the
 * start. The snapshot holds every input of the draw, so anyone can re-run it once the seed is revealed.
 */
export const selectionRounds = sqliteTable("selection_rounds", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  periodStart: text("period_start").notNull(),
  periodEnd: text("period_end").notNull(),
  capacity: integer("capacity").notNull(),
  minMonthsSinceInspection: integer("min_months_since_inspection").notNull(),
  validationShare: real("validation_share").notNull(),
  seed: text("seed").notNull(),
  commitment: text("commitment").notNull(),
  status: text("status", { enum: ROUND_STATUSES }).notNull().default("open"),
  modelVersionId: integer("model_version_id").references(() => riskModelVersions.id),
  /** JSON: candidates (score, band, weight, exclusion), rules and model version, taken at the draw. */
  snapshot: text("snapshot"),
  createdBy: text("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  drawnAt: text("drawn_at"),
  closedAt: text("closed_at"),
});

export const PICK_KINDS = ["mandatory", "drawn", "validation", "added"] as const;

/** A trust picked in a round, with why; an override removes a pick (kept, marked removed) or adds one. */
export const selectionPicks = sqliteTable(
  "selection_picks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: text("round_id")
      .notNull()
      .references(() => selectionRounds.id),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    kind: text("kind", { enum: PICK_KINDS }).notNull(),
    /** Position in the draw (1 = first picked); null for trusts added by hand. */
    drawOrder: integer("draw_order"),
    reason: text("reason").notNull(),
    addedBy: text("added_by").references(() => users.id),
    removedAt: text("removed_at"),
    removedBy: text("removed_by").references(() => users.id),
    removedReason: text("removed_reason"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("pick_round_trust_uq").on(t.roundId, t.trustCode), index("pick_trust_idx").on(t.trustCode)],
);

// ── Scheduling: inspectors, leave, conflicts of interest, bank holidays, visits ───────────────────────────────

export const SKILLS = ["technical_testing", "governance_risk"] as const;

/**
 * What the planner needs to know about an inspector (one row per inspector account). The base is a free-text label
 * ("Leeds office", "LS1 4AP") and, for distances, the NHS trust nearest to it, whose location is in the register
 * (docs/decisions/0010-scheduling.md).
 */
export const inspectorProfiles = sqliteTable("inspector_profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  homeRegionCode: text("home_region_code").notNull(),
  baseLabel: text("base_label").notNull().default(""),
  baseTrustCode: text("base_trust_code").references(() => trusts.odsCode),
  /** JSON array of SKILLS. */
  skills: text("skills").notNull().default("[]"),
  maxVisitsPerWeek: integer("max_visits_per_week").notNull().default(2),
  /** JSON array of ISO weekdays (1 = Monday … 5 = Friday) the inspector does not work. */
  nonWorkingWeekdays: text("non_working_weekdays").notNull().default("[]"),
  updatedAt: text("updated_at"),
  updatedBy: text("updated_by").references(() => users.id),
});

/** Leave and other unavailability, both dates included. Cancelled leave is kept, marked cancelled. */
export const inspectorLeave = sqliteTable(
  "inspector_leave",
  {
    id: text("id").primaryKey(),
    inspectorId: text("inspector_id")
      .notNull()
      .references(() => users.id),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    kind: text("kind", { enum: ["leave", "training", "other"] }).notNull().default("leave"),
    note: text("note").notNull().default(""),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    cancelledAt: text("cancelled_at"),
    cancelledBy: text("cancelled_by").references(() => users.id),
  },
  (t) => [index("leave_inspector_idx").on(t.inspectorId, t.startDate)],
);

/** A trust an inspector must not inspect, why, and until when (both dates included). Ended early: kept, marked. */
export const conflictsOfInterest = sqliteTable(
  "conflicts_of_interest",
  {
    id: text("id").primaryKey(),
    inspectorId: text("inspector_id")
      .notNull()
      .references(() => users.id),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    reason: text("reason").notNull(),
    until: text("until").notNull(),
    declaredBy: text("declared_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    withdrawnAt: text("withdrawn_at"),
    withdrawnBy: text("withdrawn_by").references(() => users.id),
  },
  (t) => [index("conflict_inspector_idx").on(t.inspectorId)],
);

/** Bank holidays in England and Wales: the shipped list (db/reference) plus one-off days an admin adds. */
export const bankHolidays = sqliteTable("bank_holidays", {
  date: text("date").primaryKey(),
  title: text("title").notNull(),
  source: text("source", { enum: ["shipped", "admin"] }).notNull(),
  createdBy: text("created_by").references(() => users.id),
  createdAt: createdAt(),
});

/** An inspector's private calendar feed: only the SHA-256 of the secret token in its URL is stored. */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    inspectorId: text("inspector_id")
      .primaryKey()
      .references(() => users.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("calendar_feed_token_uq").on(t.tokenHash)],
);

export const SCHEDULE_STATUSES = ["proposed", "accepted"] as const;

/**
 * A round's schedule. Its seed (for the planner's random choice among equally good dates) is a secret of its own,
 * never the round's draw seed, which is revealed when the round closes.
 */
export const roundSchedules = sqliteTable("round_schedules", {
  roundId: text("round_id")
    .primaryKey()
    .references(() => selectionRounds.id),
  seed: text("seed").notNull(),
  status: text("status", { enum: SCHEDULE_STATUSES }).notNull().default("proposed"),
  teamSize: integer("team_size").notNull().default(2),
  /** JSON: the picks the planner could not place, with its reasons, from the latest planning run. */
  unplaced: text("unplaced").notNull().default("[]"),
  plannedAt: text("planned_at").notNull(),
  plannedBy: text("planned_by")
    .notNull()
    .references(() => users.id),
  acceptedAt: text("accepted_at"),
  acceptedBy: text("accepted_by").references(() => users.id),
});

export const VISIT_STATUSES = ["proposed", "scheduled", "completed", "cancelled"] as const;

/** One unannounced visit to a trust in a round. `version` guards against two leads changing it at once. */
export const visits = sqliteTable(
  "visits",
  {
    id: text("id").primaryKey(),
    roundId: text("round_id")
      .notNull()
      .references(() => selectionRounds.id),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    visitDate: text("visit_date").notNull(),
    status: text("status", { enum: VISIT_STATUSES }).notNull().default("proposed"),
    /** JSON: why the planner chose this date and team, or the lead's reason for changing it. */
    reasons: text("reasons").notNull().default("[]"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
    updatedBy: text("updated_by").references(() => users.id),
  },
  (t) => [index("visit_round_idx").on(t.roundId), index("visit_trust_idx").on(t.trustCode), index("visit_date_idx").on(t.visitDate)],
);

/** Who is on a visit's team: exactly one lead, and one or two members. */
export const visitTeamMembers = sqliteTable(
  "visit_team_members",
  {
    visitId: text("visit_id")
      .notNull()
      .references(() => visits.id),
    inspectorId: text("inspector_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: ["lead", "member"] }).notNull(),
  },
  (t) => [uniqueIndex("visit_team_uq").on(t.visitId, t.inspectorId), index("visit_team_inspector_idx").on(t.inspectorId)],
);

// ── Baseline frameworks and profiles ──────────────────────────────────────────────────────────────────────────

/**
 * One version of a baseline framework, loaded from a framework file (app/baseline/framework-file.ts). Never changed
 * or deleted once loaded (triggers): a change to the wording is a new version.
 */
export const frameworkVersions = sqliteTable(
  "framework_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    framework: text("framework").notNull(),
    version: text("version").notNull(),
    title: text("title").notNull(),
    source: text("source").notNull(),
    fileSha256: text("file_sha256").notNull(),
    loadedBy: text("loaded_by").notNull(),
    loadedAt: text("loaded_at").notNull(),
  },
  (t) => [uniqueIndex("framework_version_uq").on(t.framework, t.version)],
);

/** A section of a framework version (an objective, a principle, a theme), in a tree. */
export const frameworkSections = sqliteTable(
  "framework_sections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    frameworkVersionId: integer("framework_version_id")
      .notNull()
      .references(() => frameworkVersions.id),
    parentId: integer("parent_id"),
    code: text("code").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("framework_section_uq").on(t.frameworkVersionId, t.code)],
);

/** A criterion (a CAF outcome, a Cyber Essentials theme or test): what is rated. */
export const frameworkCriteria = sqliteTable(
  "framework_criteria",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    frameworkVersionId: integer("framework_version_id")
      .notNull()
      .references(() => frameworkVersions.id),
    sectionId: integer("section_id")
      .notNull()
      .references(() => frameworkSections.id),
    code: text("code").notNull(),
    title: text("title").notNull(),
    scale: text("scale", { enum: ["caf", "met"] }).notNull(),
    goodLooksLike: text("good_looks_like").notNull(),
    evidence: text("evidence").notNull(),
    recordsDevices: integer("records_devices", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("framework_criterion_uq").on(t.frameworkVersionId, t.code), index("framework_criterion_section_idx").on(t.sectionId)],
);

/** An indicator of good practice of a criterion, at one level. */
export const frameworkIndicators = sqliteTable(
  "framework_indicators",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    criterionId: integer("criterion_id")
      .notNull()
      .references(() => frameworkCriteria.id),
    code: text("code").notNull(),
    level: text("level", { enum: ["achieved", "partially_achieved", "not_achieved"] }).notNull(),
    text: text("text").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("framework_indicator_uq").on(t.criterionId, t.code)],
);

/**
 * A profile: the minimum rating per criterion that "good" requires, for one framework version. Versioned by name:
 * a change is a new version of the profile. Never changed once stored (triggers).
 */
export const frameworkProfiles = sqliteTable(
  "framework_profiles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    frameworkVersionId: integer("framework_version_id")
      .notNull()
      .references(() => frameworkVersions.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    description: text("description").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("framework_profile_uq").on(t.frameworkVersionId, t.code, t.version)],
);

export const profileMinimums = sqliteTable(
  "profile_minimums",
  {
    profileId: integer("profile_id")
      .notNull()
      .references(() => frameworkProfiles.id),
    criterionId: integer("criterion_id")
      .notNull()
      .references(() => frameworkCriteria.id),
    minimum: text("minimum", { enum: ["achieved", "partially_achieved", "not_achieved"] }).notNull(),
  },
  (t) => [uniqueIndex("profile_minimum_uq").on(t.profileId, t.criterionId)],
);

// ── Inspections and findings ──────────────────────────────────────────────────────────────────────────────────

/**
 * After approval: the trust checks the draft report for factual accuracy (a window of 10 working days), then it is
 * published (report version 1, and later corrections as further versions).
 */
export const INSPECTION_STATUSES = ["planned", "on_site", "draft", "submitted", "in_review", "approved", "factual_accuracy", "published"] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

/**
 * An inspection of a trust, usually for a scheduled visit. The frameworks and profiles it is assessed against are
 * fixed when it is created (inspection_frameworks).
 */
export const inspections = sqliteTable(
  "inspections",
  {
    id: text("id").primaryKey(),
    visitId: text("visit_id").references(() => visits.id),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    status: text("status", { enum: INSPECTION_STATUSES }).notNull().default("planned"),
    /** When the lead recorded the team's arrival: the moment notice was given. */
    arrivedAt: text("arrived_at"),
    arrivedBy: text("arrived_by").references(() => users.id),
    submittedAt: text("submitted_at"),
    submittedBy: text("submitted_by").references(() => users.id),
    reviewerId: text("reviewer_id").references(() => users.id),
    approvedAt: text("approved_at"),
    approvedBy: text("approved_by").references(() => users.id),
    /** When the trust was shown the draft report for its factual accuracy check, and the last day it may comment. */
    accuracyOpenedAt: text("accuracy_opened_at"),
    accuracyClosesOn: text("accuracy_closes_on"),
    accuracyOpenedBy: text("accuracy_opened_by").references(() => users.id),
    /** When report version 1 was published. */
    publishedAt: text("published_at"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("inspection_visit_uq").on(t.visitId), index("inspection_trust_idx").on(t.trustCode)],
);

/** The framework versions an inspection is assessed against, each with its profile: fixed when it starts. */
export const inspectionFrameworks = sqliteTable(
  "inspection_frameworks",
  {
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    frameworkVersionId: integer("framework_version_id")
      .notNull()
      .references(() => frameworkVersions.id),
    profileId: integer("profile_id")
      .notNull()
      .references(() => frameworkProfiles.id),
  },
  (t) => [uniqueIndex("inspection_framework_uq").on(t.inspectionId, t.frameworkVersionId)],
);

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/**
 * A finding: one criterion of one inspection. `version` goes up by one with every save; a save names the version it
 * was based on and is refused if another save came first (no lost update).
 */
export const findings = sqliteTable(
  "findings",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    criterionId: integer("criterion_id")
      .notNull()
      .references(() => frameworkCriteria.id),
    rating: text("rating", { enum: ["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"] })
      .notNull()
      .default("not_assessed"),
    derivedRating: text("derived_rating"),
    overrideReason: text("override_reason").notNull().default(""),
    /** JSON: indicator code → true / false (Met / Not met for met-scale criteria). */
    indicatorAnswers: text("indicator_answers").notNull().default("{}"),
    observed: text("observed").notNull().default(""),
    evidenceDocuments: text("evidence_documents").notNull().default(""),
    evidencePeople: text("evidence_people").notNull().default(""),
    evidenceSystems: text("evidence_systems").notNull().default(""),
    devicesSampled: integer("devices_sampled"),
    devicesFailing: integer("devices_failing"),
    severity: text("severity", { enum: SEVERITIES }),
    recommendation: text("recommendation").notNull().default(""),
    actionDue: text("action_due"),
    version: integer("version").notNull().default(0),
    updatedAt: text("updated_at"),
    updatedBy: text("updated_by").references(() => users.id),
  },
  (t) => [uniqueIndex("finding_criterion_uq").on(t.inspectionId, t.criterionId)],
);

/** Every save of a finding, append-only: what was saved, by whom, from which version. Nothing typed is ever lost. */
export const findingRevisions = sqliteTable(
  "finding_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    version: integer("version").notNull(),
    /** JSON of the finding's fields as saved. */
    content: text("content").notNull(),
    savedBy: text("saved_by")
      .notNull()
      .references(() => users.id),
    savedAt: text("saved_at").notNull(),
  },
  (t) => [uniqueIndex("finding_revision_uq").on(t.findingId, t.version)],
);

/**
 * The outcome of each save request, by the idempotency key the client made for it: a retried request gets the same
 * answer and is never applied twice.
 */
export const findingSaves = sqliteTable("finding_saves", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  findingId: text("finding_id")
    .notNull()
    .references(() => findings.id),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  baseVersion: integer("base_version").notNull(),
  outcome: text("outcome", { enum: ["saved", "conflict"] }).notNull(),
  /** The finding's version after a save, or the version that won the conflict. */
  resultVersion: integer("result_version").notNull(),
  savedAt: text("saved_at").notNull(),
});

/**
 * A reviewer's "clarify" comment on a finding, made when returning an inspection to its team; the team answers it
 * (and edits the finding) before submitting again. Kept after it is answered.
 */
export const reviewComments = sqliteTable(
  "review_comments",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    text: text("text").notNull(),
    createdAt: text("created_at").notNull(),
    response: text("response"),
    respondedBy: text("responded_by").references(() => users.id),
    respondedAt: text("responded_at"),
  },
  (t) => [index("review_comment_inspection_idx").on(t.inspectionId), index("review_comment_finding_idx").on(t.findingId)],
);

/**
 * An evidence file (photo, screenshot, document) attached to a finding. The bytes live outside the database, named
 * by their SHA-256 under the evidence folder; this row says what they are. Never served to trust users. Removing a
 * file from a finding keeps the row (and the bytes) with who removed it and when.
 */
export const evidenceFiles = sqliteTable(
  "evidence_files",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    /** The name the file had on the inspector's laptop, cleaned; shown, never used as a path. */
    originalName: text("original_name").notNull(),
    mediaType: text("media_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    /** When the photo or document was captured, as the inspector's device reported it; else when it was uploaded. */
    capturedAt: text("captured_at").notNull(),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    uploadedAt: text("uploaded_at").notNull(),
    removedAt: text("removed_at"),
    removedBy: text("removed_by").references(() => users.id),
    /**
     * The key the browser made for a file it kept offline (issue 7): a retried upload with the same key is the same
     * file, answered with the row already stored, never stored twice. Null for uploads from the page's form.
     */
    clientKey: text("client_key"),
  },
  (t) => [
    index("evidence_file_finding_idx").on(t.findingId),
    index("evidence_file_inspection_idx").on(t.inspectionId),
    uniqueIndex("evidence_file_client_key_uq").on(t.findingId, t.clientKey),
  ],
);

/**
 * Who is working in an inspection right now and on which criterion: one row per person per inspection, refreshed as
 * they move between pages (and by a heartbeat while a page is open with JavaScript). Not a record: overwritten.
 */
export const inspectionPresence = sqliteTable(
  "inspection_presence",
  {
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    criterionId: integer("criterion_id").references(() => frameworkCriteria.id),
    seenAt: text("seen_at").notNull(),
  },
  (t) => [uniqueIndex("inspection_presence_uq").on(t.inspectionId, t.userId)],
);

// ── Factual accuracy, reports and actions ─────────────────────────────────────────────────────────────────────

export const ACCURACY_CATEGORIES = ["typing_error", "inaccurate_fact", "omitted_evidence"] as const;
export const REPORT_PARTS = ["summary", "finding", "action_plan", "method"] as const;

/**
 * A trust's comment on its draft report during the factual accuracy window, on a part of the report (a finding, or
 * the summary, action plan or method); decided by a reviewer who was not on the visit, accepted (the finding edited)
 * or rejected, always with a reason the trust sees.
 */
export const accuracyComments = sqliteTable(
  "accuracy_comments",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    part: text("part", { enum: REPORT_PARTS }).notNull(),
    findingId: text("finding_id").references(() => findings.id),
    category: text("category", { enum: ACCURACY_CATEGORIES }).notNull(),
    text: text("text").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
    decision: text("decision", { enum: ["accepted", "rejected"] }),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: text("decided_at"),
  },
  (t) => [index("accuracy_comment_inspection_idx").on(t.inspectionId)],
);

/**
 * A published version of an inspection's report: the PDF as rendered once at publication, with its SHA-256. Never
 * changed or deleted (triggers); a correction is a new version with a note of what changed, and earlier versions
 * stay downloadable, labelled superseded.
 */
export const reportVersions = sqliteTable(
  "report_versions",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    version: integer("version").notNull(),
    pdf: blob("pdf", { mode: "buffer" }).notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** The report's own date (the PDF's creation date), so the same inspection renders to the same bytes. */
    publishedAt: text("published_at").notNull(),
    publishedBy: text("published_by")
      .notNull()
      .references(() => users.id),
    /** What changed since the previous version ("" for version 1). */
    changeNote: text("change_note").notNull().default(""),
  },
  (t) => [uniqueIndex("report_version_uq").on(t.inspectionId, t.version)],
);

export const ACTION_STATUSES = ["open", "in_progress", "done"] as const;

/**
 * An action from the published report: one per gap, for the trust to work through. The trust updates its status
 * with progress notes (action_updates); whether it is overdue is computed from the due date in working days.
 */
export const actions = sqliteTable(
  "actions",
  {
    id: text("id").primaryKey(),
    inspectionId: text("inspection_id")
      .notNull()
      .references(() => inspections.id),
    findingId: text("finding_id")
      .notNull()
      .references(() => findings.id),
    trustCode: text("trust_code")
      .notNull()
      .references(() => trusts.odsCode),
    /** What the trust is to do (the finding's recommendation at publication) and for which criterion. */
    text: text("text").notNull(),
    criterionCode: text("criterion_code").notNull(),
    criterionTitle: text("criterion_title").notNull(),
    severity: text("severity", { enum: SEVERITIES }).notNull(),
    dueOn: text("due_on").notNull(),
    status: text("status", { enum: ACTION_STATUSES }).notNull().default("open"),
    version: integer("version").notNull().default(1),
    updatedAt: text("updated_at"),
    updatedBy: text("updated_by").references(() => users.id),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("action_finding_uq").on(t.findingId), index("action_trust_idx").on(t.trustCode)],
);

/** Each change of an action by the trust (or CQC staff): status, progress note and date. Append-only. */
export const actionUpdates = sqliteTable(
  "action_updates",
  {
    id: text("id").primaryKey(),
    actionId: text("action_id")
      .notNull()
      .references(() => actions.id),
    status: text("status", { enum: ACTION_STATUSES }).notNull(),
    note: text("note").notNull().default(""),
    /** The date the progress was made, as the trust gives it. */
    progressOn: text("progress_on"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("action_update_action_idx").on(t.actionId)],
);
