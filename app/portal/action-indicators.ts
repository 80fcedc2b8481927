/**
 * The two risk indicators Deep Dive computes from trusts' actions (pure data; the definitions are in
 * app/risk/indicator-catalogue.ts, the computation in app/portal/actions.server.ts).
 *
 * - `overdue_actions`: how many of the trust's actions (from published deep dives, not done) are overdue today, in
 *   working days (app/portal/action-rules.ts).
 * - `open_gaps_weighted`: the trust's actions not done yet, each counted by its gap's severity: critical 4, high 3,
 *   medium 2, low 1. One critical gap open weighs as much as four low ones.
 */
import type { Severity } from "../baseline/rating";

export const ACTION_INDICATOR_CODES = { overdue: "overdue_actions", openGaps: "open_gaps_weighted" } as const;

export const GAP_SEVERITY_POINTS: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1 };
