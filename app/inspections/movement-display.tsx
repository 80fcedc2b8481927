/**
 * Movement since the trust's last inspection, as the overview, the section page and the criterion page show it: in
 * words first (a tag's colour only repeats what its text says).
 */
import { MOVEMENT_LABELS, ratingLabel, type Movement, type MovementSummary, type Scale } from "~/baseline/rating";
import { formatCalendarDate } from "~/ui/dates";
import type { PreviousRating } from "./workspace.server";

const TAG: Partial<Record<Movement, string>> = { improved: "govuk-tag--green", held: "govuk-tag--grey", fell: "govuk-tag--red" };

/** "Improved", "Held" or "Fell" as a tag; "No earlier rating" or "Not comparable" as plain text. */
export function MovementTag({ movement }: { movement: Movement }) {
  const text = MOVEMENT_LABELS[movement][0]!.toUpperCase() + MOVEMENT_LABELS[movement].slice(1);
  const tag = TAG[movement];
  return tag ? <strong className={`govuk-tag ${tag}`}>{text}</strong> : <>{text}</>;
}

/** "2 improved, 5 held, 1 fell" (and how many cannot be compared, when any). */
export function movementCounts(summary: MovementSummary): string {
  const parts = [`${summary.improved} improved`, `${summary.held} held`, `${summary.fell} fell`];
  if (summary.notComparable > 0) parts.push(`${summary.notComparable} not comparable`);
  return parts.join(", ");
}

/** "Partially achieved, 12 March 2025 — improved": the earlier rating, when, and how it moved. */
export function earlierRatingText(earlier: Pick<PreviousRating, "rating" | "date">, movement: Movement, scale: Scale): string {
  return `${ratingLabel(earlier.rating, scale)}${earlier.date ? `, ${formatCalendarDate(earlier.date)}` : ""} — ${MOVEMENT_LABELS[movement]}`;
}
