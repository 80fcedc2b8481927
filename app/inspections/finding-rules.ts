/**
 * The findings rules the finding page shows as well as the server enforces: shared by app/inspections/findings.server.ts
 * and the route's component (which runs in the browser too, where a .server module's exports are not available).
 */
export const TEXT_LIMITS = { observed: 20_000, evidence: 5_000, recommendation: 5_000, overrideReason: 1_000 } as const;
/** Inspection statuses in which the team records findings. */
export const RECORDING_STATUSES = ["on_site", "draft"] as const;
