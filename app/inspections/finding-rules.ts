/**
 * The findings rules the finding page shows as well as the server enforces: shared by app/inspections/findings.server.ts
 * and the route's component (which runs in the browser too, where a .server module's exports are not available).
 */
export const TEXT_LIMITS = { observed: 20_000, evidence: 5_000, recommendation: 5_000, overrideReason: 1_000 } as const;
/** Inspection statuses in which the team records findings. */
export const RECORDING_STATUSES = ["on_site", "draft"] as const;

/** The free-text fields of a finding: what the conflict screen compares and "Merge the text" joins. */
export const FINDING_TEXT_FIELDS = ["observed", "evidenceDocuments", "evidencePeople", "evidenceSystems", "recommendation"] as const;
type FindingText = Record<(typeof FINDING_TEXT_FIELDS)[number], string>;

/** One text field merged: theirs then mine, a blank line apart, unless one already contains the other. */
function mergeText(theirs: string, mine: string): string {
  if (!theirs || mine.includes(theirs)) return mine;
  if (!mine || theirs.includes(mine)) return theirs;
  return `${theirs}\n\n${mine}`;
}

/**
 * Merging after a conflict: for each text field (and the reason for overriding a derived rating, when both have
 * one), theirs then mine, a blank line apart; when one already contains the other (one inspector built on the
 * other's words), the longer alone, so nothing is doubled. Nothing is dropped; the inspector edits the result
 * before saving.
 */
export function mergeFindingText<T extends FindingText & { overrideReason?: string }>(theirs: FindingText & { overrideReason?: string }, mine: T): T {
  const merged = { ...mine };
  for (const field of FINDING_TEXT_FIELDS) merged[field] = mergeText(theirs[field], mine[field]) as T[typeof field];
  if (typeof mine.overrideReason === "string" && typeof theirs.overrideReason === "string") {
    merged.overrideReason = mergeText(theirs.overrideReason, mine.overrideReason) as T["overrideReason"];
  }
  return merged;
}
