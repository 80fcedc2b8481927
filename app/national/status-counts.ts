/**
 * Inspections by status, for the national picture (pure: no database). Counts only: no trust, no date, so a planned
 * inspection says nothing about where or when.
 */

export interface StatusCount<S extends string> {
  status: S;
  count: number;
}

/**
 * How many inspections are in each of `statuses`, in that order, zeros included, from one row per inspection. A row
 * whose status is not one of `statuses` (which the schema does not allow) is counted in `other`, never dropped
 * silently, so the counts always add up to the number of rows.
 */
export function countByStatus<S extends string>(statuses: readonly S[], rows: Iterable<{ status: string }>): { counts: StatusCount<S>[]; other: number; total: number } {
  const counts = new Map<string, number>(statuses.map((s) => [s, 0]));
  let other = 0;
  let total = 0;
  for (const row of rows) {
    total += 1;
    const current = counts.get(row.status);
    if (current === undefined) other += 1;
    else counts.set(row.status, current + 1);
  }
  return { counts: statuses.map((status) => ({ status, count: counts.get(status)! })), other, total };
}
