/**
 * The built-in indicators (pure data). Each is something measured about a trust's security at a date.
 * Admins can add more (stored in the indicators table); these ship with the product and are loaded at start-up.
 */
import type { IndicatorValueType } from "../../db/schema";

export interface IndicatorDefinition {
  code: string;
  label: string;
  description: string;
  valueType: IndicatorValueType;
  /** Categories, best first (category indicators only). */
  categories?: readonly string[];
  minValue?: number;
  maxValue?: number;
  unit?: string;
  higherIsWorse: boolean;
  origin: "imported" | "computed";
}

export const DSPT_STATUSES = ["exceeded", "met", "approaching", "not_met", "not_published"] as const;
export type DsptStatus = (typeof DSPT_STATUSES)[number];

export const BUILT_IN_INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: "dspt_status",
    label: "DSPT status",
    description: "The trust's Data Security and Protection Toolkit assessment result for a year",
    valueType: "category",
    categories: DSPT_STATUSES,
    higherIsWorse: true,
    origin: "imported",
  },
  {
    code: "unsupported_devices_pct",
    label: "Unsupported devices",
    description: "Share of the trust's active devices running an operating system version that no longer gets security updates",
    valueType: "percentage",
    minValue: 0,
    maxValue: 100,
    unit: "%",
    higherIsWorse: true,
    origin: "imported",
  },
  {
    code: "critical_patches_14d_pct",
    label: "Critical patches within 14 days",
    description: "Share of critical security patches applied within 14 days of release",
    valueType: "percentage",
    minValue: 0,
    maxValue: 100,
    unit: "%",
    higherIsWorse: false,
    origin: "imported",
  },
  {
    code: "unacked_high_alerts_48h",
    label: "High-severity alerts not acknowledged in 48 hours",
    description: "High-severity cyber alerts not acknowledged within 48 hours, in the last 12 months",
    valueType: "count",
    minValue: 0,
    maxValue: 1000,
    higherIsWorse: true,
    origin: "imported",
  },
  {
    code: "ceplus_current",
    label: "Cyber Essentials Plus certificate current",
    description: "Whether the trust holds a current Cyber Essentials Plus certificate (1 yes, 0 no)",
    valueType: "boolean",
    minValue: 0,
    maxValue: 1,
    higherIsWorse: false,
    origin: "imported",
  },
  {
    code: "incidents_12m",
    label: "Cyber incidents in the last 12 months",
    description: "Reported cyber security incidents in the 12 months before the observation date",
    valueType: "count",
    minValue: 0,
    maxValue: 1000,
    higherIsWorse: true,
    origin: "imported",
  },
  {
    code: "overdue_actions",
    label: "Overdue actions",
    description: "Actions from earlier deep-dive inspections past their due date (from Deep Dive's own data)",
    valueType: "count",
    minValue: 0,
    maxValue: 10000,
    higherIsWorse: true,
    origin: "computed",
  },
  {
    code: "open_gaps_weighted",
    label: "Open gaps, weighted by severity",
    description:
      "Actions from published deep dives the trust has not done yet, each counted by its gap's severity: critical 4, high 3, medium 2, low 1 (from Deep Dive's own data)",
    valueType: "count",
    minValue: 0,
    maxValue: 10000,
    higherIsWorse: true,
    origin: "computed",
  },
  {
    code: "not_achieved_outcomes_last",
    label: "Outcomes not achieved at the last inspection",
    description: "Criteria rated Not achieved at the trust's last published deep dive (from Deep Dive's own data)",
    valueType: "count",
    minValue: 0,
    maxValue: 1000,
    higherIsWorse: true,
    origin: "computed",
  },
  {
    code: "months_since_inspection",
    label: "Months since the last inspection",
    description: "Whole months since the trust's last deep-dive visit (from Deep Dive's own data)",
    valueType: "count",
    minValue: 0,
    maxValue: 1200,
    higherIsWorse: true,
    origin: "computed",
  },
];

export const BUILT_IN_CODES = new Set(BUILT_IN_INDICATORS.map((i) => i.code));
