/**
 * Profile versions (pure: no database, no clock): checking a profile a programme lead defines, the words for a
 * minimum, what changed between two versions, how versions group by profile, and which profile a form starts from.
 *
 * A profile is the minimum rating per criterion that "good" requires, for one framework version. A profile defined
 * in Deep Dive (rather than loaded with the framework file) must give EVERY criterion of the version a minimum:
 * a criterion left out would have no minimum and could never be a gap, and a form field that is missing must not
 * silently mean that. "Nothing expected" is said on purpose with the lowest minimum, not_achieved, which every
 * rating reaches (gapStatus: never a gap), as the GovAssure Baseline does for C2.a and C2.b.
 *
 * Which minimums a scale allows is the framework file's rule (parseFrameworkFile): on the `caf` scale achieved,
 * partially_achieved or not_achieved; on the `met` scale (Cyber Essentials, Met or Not met) achieved or
 * not_achieved, never partially_achieved.
 */
import type { IndicatorLevel, Scale } from "./framework-constants";

export type Minimum = IndicatorLevel;

/** The profile a programme lead defines for CQC, offered by default wherever a profile is chosen. */
export const CQC_BASELINE_CODE = "cqc-baseline";
export const CQC_BASELINE_NAME = "CQC baseline";

/** As for a profile in a framework file. */
export const PROFILE_NAME_MAX = 100;
export const PROFILE_DESCRIPTION_MAX = 4000;
export const WHAT_CHANGED_MAX = 1000;
/** A profile's code, like every id in a framework file. */
export const PROFILE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The minimums a criterion of `scale` may have, highest first (the order to offer them). */
export function minimumsFor(scale: Scale): Minimum[] {
  return scale === "met" ? ["achieved", "not_achieved"] : ["achieved", "partially_achieved", "not_achieved"];
}

/**
 * A minimum in words, on the criterion's scale: "Achieved", "Partially achieved", "Not achieved (nothing expected)";
 * "Met", "Not met (nothing expected)" on the met scale. A minimum of not_achieved is reached by every rating.
 */
export function minimumLabel(minimum: Minimum, scale: Scale): string {
  if (scale === "met") return minimum === "achieved" ? "Met" : minimum === "not_achieved" ? "Not met (nothing expected)" : "Partially achieved";
  return { achieved: "Achieved", partially_achieved: "Partially achieved", not_achieved: "Not achieved (nothing expected)" }[minimum];
}

const isMinimum = (value: string): value is Minimum => value === "achieved" || value === "partially_achieved" || value === "not_achieved";

// ── Cleaning text ──────────────────────────────────────────────────────────────────────────────────────────

// Control characters (C0 except tab and line feed, DEL, C1), and the invisible format characters that make two
// names look the same (zero-width spaces and joiners, bidirectional controls, the byte order mark).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** One line of text (a name): Unicode NFC, control characters dropped, every run of spaces one space, trimmed. */
export function cleanLine(text: string): string {
  return text.normalize("NFC").replace(CONTROL, "").replace(/\s+/g, " ").trim();
}

/**
 * Text of several paragraphs (a description): NFC, line endings as \n, control characters dropped, spaces at the
 * ends of lines dropped, at most one blank line in a row, trimmed.
 */
export function cleanText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL, "")
    .replace(/[^\S\n]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The code of the profile a name names: lower case, accents dropped, every run of other characters a hyphen, at most
 * 40 characters ("CQC baseline" → "cqc-baseline"). Versions are grouped by code, so names that differ only in case,
 * accents or punctuation are versions of the same profile. "" when the name has no letter or digit from A to Z.
 */
export function profileCodeFor(name: string): string {
  return cleanLine(name)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

// ── Checking a profile ─────────────────────────────────────────────────────────────────────────────────────

export interface ProfileCriterion {
  code: string;
  title: string;
  scale: Scale;
}

/** What a programme lead sends: every text as typed, every minimum as the form sends it (or missing). */
export interface ProfileDraft {
  name: string;
  description: string;
  whatChanged: string;
  minimums: Readonly<Record<string, string | null | undefined>>;
}

export interface CleanProfile {
  /** Derived from the name (profileCodeFor). */
  code: string;
  name: string;
  description: string;
  whatChanged: string;
  /** Every criterion's minimum, in the framework's order. */
  minimums: Record<string, Minimum>;
}

/**
 * One problem, in plain English. `field` is where on the form: name, description, whatChanged, `minimum-<code>` for
 * one criterion, or minimums for the profile as a whole (an unknown criterion, a version that changes nothing).
 */
export interface ProfileProblem {
  field: string;
  /** The criterion's code, for a problem with one criterion (known or not). */
  criterion: string | null;
  message: string;
}

export const minimumField = (criterionCode: string) => `minimum-${criterionCode}`;

const thousands = (n: number) => n.toLocaleString("en-GB");

/**
 * Checks a profile against the framework version's criteria (in the framework's order), all at once: the name
 * (cleaned, 1 to PROFILE_NAME_MAX characters, with a letter or digit so it gives a code), the description (cleaned,
 * at most PROFILE_DESCRIPTION_MAX), what changed (cleaned, 1 to WHAT_CHANGED_MAX), and a minimum allowed on its
 * scale for every criterion, and none for a criterion the version does not have. Problems are listed in the
 * order of the form: name, description, each criterion in order, unknown criteria, what changed.
 */
export function checkProfileDraft(
  criteria: readonly ProfileCriterion[],
  draft: ProfileDraft,
): { ok: true; profile: CleanProfile } | { ok: false; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  const problem = (field: string, message: string, criterion: string | null = null) => problems.push({ field, criterion, message });

  const name = cleanLine(draft.name);
  const code = profileCodeFor(name);
  if (name === "") problem("name", "Enter a name for the profile");
  else if (name.length > PROFILE_NAME_MAX) problem("name", `The name must be ${thousands(PROFILE_NAME_MAX)} characters or fewer`);
  else if (code === "") problem("name", "The name must include a letter from A to Z or a digit");

  const description = cleanText(draft.description);
  if (description.length > PROFILE_DESCRIPTION_MAX) problem("description", `The description must be ${thousands(PROFILE_DESCRIPTION_MAX)} characters or fewer`);

  const minimums: Record<string, Minimum> = {};
  const known = new Set<string>();
  for (const c of criteria) {
    known.add(c.code);
    const field = minimumField(c.code);
    const value = draft.minimums[c.code];
    const allowed = minimumsFor(c.scale);
    const named = `${c.code} ${c.title}`;
    if (value === null || value === undefined || value === "") problem(field, `Choose the minimum for ${named}`, c.code);
    else if (!isMinimum(value)) {
      const words = allowed.map((m) => minimumLabel(m, c.scale).replace(/ \(.*\)$/, ""));
      problem(field, `Choose ${words.slice(0, -1).join(", ")} or ${words.at(-1)!} as the minimum for ${named}`, c.code);
    } else if (!allowed.includes(value)) {
      problem(field, `${named} is rated Met or Not met, so its minimum cannot be Partially achieved`, c.code);
    } else minimums[c.code] = value;
  }
  for (const unknown of Object.keys(draft.minimums)) {
    if (!known.has(unknown)) problem("minimums", `There is no criterion "${unknown}" in this framework version`, unknown);
  }

  const whatChanged = cleanText(draft.whatChanged);
  if (whatChanged === "") problem("whatChanged", "Say what changed and why");
  else if (whatChanged.length > WHAT_CHANGED_MAX) problem("whatChanged", `What changed must be ${thousands(WHAT_CHANGED_MAX)} characters or fewer`);

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, profile: { code, name, description, whatChanged, minimums } };
}

// ── Comparing versions ─────────────────────────────────────────────────────────────────────────────────────

export interface MinimumChange {
  code: string;
  title: string;
  scale: Scale;
  /** null: no minimum (a profile from a framework file may leave a criterion out). */
  from: Minimum | null;
  to: Minimum | null;
}

/** The criteria whose minimum differs between two profiles, in the framework's order. */
export function minimumChanges(
  criteria: readonly ProfileCriterion[],
  before: Readonly<Record<string, Minimum | undefined>>,
  after: Readonly<Record<string, Minimum | undefined>>,
): MinimumChange[] {
  return criteria.flatMap((c) => {
    const from = before[c.code] ?? null;
    const to = after[c.code] ?? null;
    return from === to ? [] : [{ code: c.code, title: c.title, scale: c.scale, from, to }];
  });
}

type ComparedProfile = { name: string; description: string; minimums: Readonly<Record<string, string | null | undefined>> };

/**
 * Two profiles say the same: the same name, description and minimums, whatever the minimums' order (a criterion
 * without one, undefined, null and "" are all "no minimum"). Texts are compared as given: clean them first.
 */
export function sameProfile(a: ComparedProfile, b: ComparedProfile): boolean {
  if (a.name !== b.name || a.description !== b.description) return false;
  const keys = new Set([...Object.keys(a.minimums), ...Object.keys(b.minimums)]);
  for (const k of keys) if ((a.minimums[k] || null) !== (b.minimums[k] || null)) return false;
  return true;
}

// ── Versions of a profile ──────────────────────────────────────────────────────────────────────────────────

export interface VersionedProfile {
  id: number;
  code: string;
  version: number;
}

export interface ProfileLineage<P extends VersionedProfile> {
  code: string;
  /** The newest version first. */
  versions: (P & { latest: boolean; supersededBy: number | null })[];
}

/**
 * Profiles grouped by code, in the order each code first appears (by id: a framework file's profiles first, in
 * file order, then the ones defined later), each with its versions newest first; every version but the newest is
 * superseded by the newest.
 */
export function profileLineages<P extends VersionedProfile>(profiles: readonly P[]): ProfileLineage<P>[] {
  const byCode = new Map<string, P[]>();
  for (const p of [...profiles].sort((a, b) => a.id - b.id)) {
    const list = byCode.get(p.code) ?? [];
    list.push(p);
    byCode.set(p.code, list);
  }
  return [...byCode].map(([code, list]) => {
    const newest = Math.max(...list.map((p) => p.version));
    return {
      code,
      versions: [...list]
        .sort((a, b) => b.version - a.version)
        .map((p) => ({ ...p, latest: p.version === newest, supersededBy: p.version === newest ? null : newest })),
    };
  });
}

/**
 * The profile to offer first for a framework version: the newest version of the CQC baseline if there is one,
 * otherwise the first profile stored (a framework file's first profile: GovAssure Baseline for CAF v3.2, All met for
 * Cyber Essentials Plus). Undefined when the version has no profile.
 */
export function defaultProfile<P extends VersionedProfile>(profiles: readonly P[]): P | undefined {
  const cqc = profiles.filter((p) => p.code === CQC_BASELINE_CODE).sort((a, b) => b.version - a.version)[0];
  return cqc ?? [...profiles].sort((a, b) => a.id - b.id)[0];
}
