/**
 * Profile versions defined by programme leads: the CQC baseline, or any other profile of what "good" requires for
 * one framework version, beside the profiles loaded with the framework file (GovAssure Baseline and Enhanced for
 * CAF v3.2, All met for Cyber Essentials Plus).
 *
 * A profile is versioned by its code, derived from its name ("CQC baseline" → cqc-baseline): defining "CQC baseline"
 * again stores version 2, and so on. A stored version never changes (migration 0006 makes the database refuse UPDATE
 * and DELETE on framework_profiles and profile_minimums): a change is always a new version. An inspection keeps the
 * profile version it was started with (inspection_frameworks.profile_id), so a new version changes only the
 * inspections started after it.
 *
 * The rules of a profile (a minimum allowed on its scale for every criterion, the name and texts) are in
 * app/baseline/profile-rules.ts; this module adds the rules that need the database, all checked in the write
 * transaction that stores the version:
 *
 * - a profile loaded with the framework file is the framework's, and never gets a version defined here (a name whose
 *   code is a file profile's, such as "GovAssure Baseline", is refused);
 * - a version that says exactly what the latest version of its profile says (name, description and minimums) is
 *   refused: it would be a second copy that changes nothing;
 * - a version stored after the person opened the form (`seenUpTo`) is not silently replaced by theirs: they are told
 *   and save again, having seen it (no lost update, like findings: ADR 0013).
 *
 * Every version stored is audited (`profile.created`) with what changed, in the person's words and as the list of
 * minimums that changed from the version before (or, for a first version, from the profile it started from).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { auditEvents, frameworkCriteria, frameworkProfiles, profileMinimums } from "../../db/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { formatDateTime } from "../ui/dates";
import { frameworkVersionView, type FrameworkVersionView, type ProfileView } from "./frameworks.server";
import {
  checkProfileDraft,
  cleanLine,
  cleanText,
  minimumChanges,
  PROFILE_CODE_PATTERN,
  profileCodeFor,
  sameProfile,
  type Minimum,
  type MinimumChange,
  type ProfileProblem,
} from "./profile-rules";

export { type ProfileProblem } from "./profile-rules";

/** A profile version refused, with every problem in plain English; nothing was stored. */
export class ProfileError extends Error {
  constructor(
    readonly problems: ProfileProblem[],
    /** Another version of the same profile was stored after the form was shown. */
    readonly stale = false,
  ) {
    super(`Profile refused: ${problems.map((p) => p.message).join("; ")}`);
    this.name = "ProfileError";
  }
}

export class ProfileFrameworkNotFound extends Error {}

export interface ProfileVersionInput {
  /** The profile's code: derived from the name when not given (the pages never give it). */
  code?: string;
  name: string;
  description?: string;
  /** What changed and why: kept in the audit trail and shown with the version. */
  whatChanged: string;
  /** Every criterion's minimum, by criterion code, as sent (checked here). */
  minimums: Readonly<Record<string, string | null | undefined>>;
  /** The profile (of the same framework version) the person started from. */
  basedOn?: number | null;
  /** The newest profile id of the framework version when the form was shown: a later version of the same profile is not silently superseded. */
  seenUpTo?: number | null;
}

export interface CreatedProfile {
  id: number;
  frameworkVersionId: number;
  code: string;
  name: string;
  version: number;
}

type ProfileRow = typeof frameworkProfiles.$inferSelect;

/** Whether a stored profile was loaded with its framework file (see ProfileView.fromFile). */
const isFromFile = (p: ProfileRow, version: FrameworkVersionView["version"]) =>
  p.version === 1 && p.createdAt === version.loadedAt && p.createdBy === version.loadedBy;

/** The audit trail holds at most this much of the changes list (the stored versions hold all of it). */
const MAX_AUDITED_CHANGES_CHARS = 4000;

/**
 * Stores a new version of a profile of a framework version: version 1 of a new code, or the next version of an
 * existing one, with a minimum for every criterion, and one audit event `profile.created`, all in one write
 * transaction. Throws ProfileError listing every problem (nothing is stored then), or ProfileFrameworkNotFound.
 */
export function createProfileVersion(
  frameworkVersionId: number,
  input: ProfileVersionInput,
  actor: Actor,
  db: Db = getDb(),
  now: Date = new Date(),
): CreatedProfile {
  const view = frameworkVersionView(frameworkVersionId, db);
  if (!view) throw new ProfileFrameworkNotFound(String(frameworkVersionId));
  const createdAt = now.toISOString();
  if (createdAt === view.version.loadedAt && actor.label === view.version.loadedBy) {
    // It would be taken for one of the file's profiles (ProfileView.fromFile): never the case for a person.
    throw new Error("A profile version cannot be defined by whoever loaded the framework at the instant they loaded it");
  }

  return writeTransaction((tx) => {
    const checked = checkProfileDraft(view.criteria, {
      name: input.name,
      description: input.description ?? "",
      whatChanged: input.whatChanged,
      minimums: input.minimums,
    });
    const problems: ProfileProblem[] = checked.ok ? [] : [...checked.problems];
    const at = (field: string, message: string) => problems.push({ field, criterion: null, message });

    // The profile the name names, even when other fields have problems (so that all of them are said at once).
    let code = problems.some((p) => p.field === "name") ? "" : profileCodeFor(input.name);
    if (input.code !== undefined) {
      code = input.code;
      if (!PROFILE_CODE_PATTERN.test(code)) at("name", "The profile's code must be 1 to 40 letters, digits, dots, hyphens or underscores, starting with a letter or digit");
    }

    const rows = tx.select().from(frameworkProfiles).where(eq(frameworkProfiles.frameworkVersionId, frameworkVersionId)).orderBy(asc(frameworkProfiles.id)).all();
    const fileProfile = rows.find((p) => p.code === code && isFromFile(p, view.version));
    if (fileProfile) {
      at("name", `“${fileProfile.name}” was loaded with the framework file and changes only with a new version of the framework: give this profile a name of its own`);
    }
    const basedOn = input.basedOn === null || input.basedOn === undefined ? null : (rows.find((p) => p.id === input.basedOn) ?? null);
    if (input.basedOn !== null && input.basedOn !== undefined && !basedOn) at("minimums", "Choose a profile of this framework version to start from");

    const versions = fileProfile ? [] : rows.filter((p) => p.code === code);
    const latest = versions.reduce<ProfileRow | null>((a, p) => (a === null || p.version > a.version ? p : a), null);
    const stale = latest !== null && input.seenUpTo !== null && input.seenUpTo !== undefined && latest.id > input.seenUpTo;
    if (stale) {
      at(
        "minimums",
        `Version ${latest.version} of ${latest.name} was defined by ${latest.createdBy} on ${formatDateTime(latest.createdAt)}, after you opened this form. ` +
          `Check your minimums against it (it is on the framework's page) and save again`,
      );
    }

    const minimumsOf = (profileIds: number[]) => {
      const out = new Map<number, Record<string, Minimum>>(profileIds.map((id) => [id, {}]));
      if (profileIds.length === 0) return out;
      const found = tx
        .select({ profileId: profileMinimums.profileId, code: frameworkCriteria.code, minimum: profileMinimums.minimum })
        .from(profileMinimums)
        .innerJoin(frameworkCriteria, eq(frameworkCriteria.id, profileMinimums.criterionId))
        .where(inArray(profileMinimums.profileId, profileIds))
        .all();
      for (const m of found) out.get(m.profileId)![m.code] = m.minimum;
      return out;
    };
    const compared = [latest, basedOn].filter((p): p is ProfileRow => p !== null);
    const stored = minimumsOf([...new Set(compared.map((p) => p.id))]);

    // Said even alongside other problems (an empty "what changed", say), so that fixing them does not lead to it.
    const draft = { name: cleanLine(input.name), description: cleanText(input.description ?? ""), minimums: input.minimums };
    if (latest && !stale && sameProfile(draft, { name: latest.name, description: latest.description, minimums: stored.get(latest.id)! })) {
      at("minimums", `Nothing has changed since version ${latest.version} of ${latest.name}: change a minimum, the name or the description, or cancel`);
    }
    if (problems.length > 0 || !checked.ok) throw new ProfileError(problems, stale);

    const profile = checked.profile;
    const version = (latest?.version ?? 0) + 1;
    const id = tx
      .insert(frameworkProfiles)
      .values({ frameworkVersionId, code, name: profile.name, version, description: profile.description, createdBy: actor.label, createdAt })
      .returning({ id: frameworkProfiles.id })
      .get().id;
    const criterionIds = new Map(
      tx
        .select({ id: frameworkCriteria.id, code: frameworkCriteria.code })
        .from(frameworkCriteria)
        .where(eq(frameworkCriteria.frameworkVersionId, frameworkVersionId))
        .all()
        .map((c) => [c.code, c.id]),
    );
    for (const [criterionCode, minimum] of Object.entries(profile.minimums)) {
      tx.insert(profileMinimums).values({ profileId: id, criterionId: criterionIds.get(criterionCode)!, minimum }).run();
    }

    // What changed: from the version before, or (a first version) from the profile it started from.
    const before = latest ?? basedOn;
    const changes = before ? minimumChanges(view.criteria, stored.get(before.id)!, profile.minimums) : [];
    const changeList = Object.fromEntries(changes.map((c) => [c.code, [c.from, c.to]]));
    recordAudit(
      tx,
      actor,
      {
        action: "profile.created",
        objectType: "framework_profile",
        objectId: String(id),
        summary: {
          frameworkVersionId,
          framework: view.version.framework,
          frameworkVersion: view.version.version,
          code,
          name: profile.name,
          version,
          whatChanged: profile.whatChanged,
          previous: latest ? { id: latest.id, version: latest.version } : null,
          basedOn: basedOn ? { id: basedOn.id, code: basedOn.code, version: basedOn.version } : null,
          comparedWith: before ? before.id : null,
          minimums: Object.keys(profile.minimums).length,
          changed: changes.length,
          ...(JSON.stringify(changeList).length <= MAX_AUDITED_CHANGES_CHARS ? { changes: changeList } : {}),
        },
      },
      now,
    );
    return { id, frameworkVersionId, code, name: profile.name, version };
  }, db);
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface ProfileHistory {
  /** What changed and why, as the person who defined the version said (file profiles have none). */
  whatChanged: string | null;
  /** The minimums that changed from the version before (or, for a first version, from the profile it started from). */
  changes: MinimumChange[];
  /** What `changes` compares with: the profile version, or null when there is nothing to compare with. */
  comparedWith: { id: number; name: string; version: number } | null;
}

/**
 * For each profile of a framework version defined by a programme lead: what changed, from the audit trail (the
 * person's words) and from the stored versions (the minimums). File profiles are absent.
 */
export function profileHistories(view: FrameworkVersionView, db: Db = getDb()): Map<number, ProfileHistory> {
  const defined = view.profiles.filter((p) => !p.fromFile);
  const out = new Map<number, ProfileHistory>();
  if (defined.length === 0) return out;
  const events = db
    .select({ objectId: auditEvents.objectId, summary: auditEvents.summary })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "profile.created"), eq(auditEvents.objectType, "framework_profile"), inArray(auditEvents.objectId, defined.map((p) => String(p.id)))))
    .all();
  const summaries = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    try {
      const parsed: unknown = JSON.parse(e.summary);
      if (parsed && typeof parsed === "object" && e.objectId) summaries.set(e.objectId, parsed as Record<string, unknown>);
    } catch {
      // An unreadable summary shows no note; the minimums below still say what changed.
    }
  }
  const byId = new Map<number, ProfileView>(view.profiles.map((p) => [p.id, p]));
  for (const p of defined) {
    const summary = summaries.get(String(p.id));
    const comparedId = typeof summary?.comparedWith === "number" ? summary.comparedWith : null;
    // Without the audit event, compare with the version before, if there is one.
    const previous = view.profiles.find((q) => q.code === p.code && q.version === p.version - 1);
    const compared = (comparedId !== null ? byId.get(comparedId) : undefined) ?? previous ?? null;
    out.set(p.id, {
      whatChanged: typeof summary?.whatChanged === "string" ? summary.whatChanged : null,
      changes: compared ? minimumChanges(view.criteria, compared.minimums, p.minimums) : [],
      comparedWith: compared ? { id: compared.id, name: compared.name, version: compared.version } : null,
    });
  }
  return out;
}
