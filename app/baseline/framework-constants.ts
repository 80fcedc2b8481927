/**
 * The fixed vocabulary of the framework file format (pure, and safe in the browser: no zod, no database, no
 * files): the ratings, the levels of an indicator of good practice and the rating scales. Pages and client code
 * import these from here; the zod schemas and the parser that use them are in framework-file.ts, which only
 * server code imports, so that zod is never sent to the browser.
 */

/** The ratings a criterion can have. `met` criteria use two of them, shown as Met and Not met. */
export const RATINGS = ["achieved", "partially_achieved", "not_achieved", "not_applicable", "not_assessed"] as const;
export type Rating = (typeof RATINGS)[number];

/** The levels of an indicator of good practice. */
export const INDICATOR_LEVELS = ["achieved", "partially_achieved", "not_achieved"] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

/**
 * How a criterion is rated: `caf` (Achieved, Partially achieved, Not achieved) or `met` (Met, Not met: Cyber
 * Essentials requirements, stored as achieved and not_achieved).
 */
export const SCALES = ["caf", "met"] as const;
export type Scale = (typeof SCALES)[number];
