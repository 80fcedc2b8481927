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

/**
 * Merging after a conflict: for each text field where theirs differs from mine, theirs then mine, a blank line
 * apart (theirs alone when mine is empty). Nothing is dropped; the inspector edits the result before saving.
 */
export function mergeFindingText<T extends FindingText>(theirs: FindingText, mine: T): T {
  const merged = { ...mine };
  for (const field of FINDING_TEXT_FIELDS) {
    const other = theirs[field];
    if (other && other !== mine[field]) merged[field] = (mine[field] ? `${other}\n\n${mine[field]}` : other) as T[typeof field];
  }
  return merged;
}
