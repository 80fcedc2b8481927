import { describe, expect, it } from "vitest";
import { historySeries } from "./history-series";
import { DEFAULT_MODEL_CONFIG } from "./model";
import type { HistoryPoint, IndicatorInfo } from "./ranking.server";

const info = (code: string, valueType: IndicatorInfo["valueType"], unit: string | null = null): [string, IndicatorInfo] => [
  code,
  { code, label: code, description: "", valueType, categories: null, minValue: 0, maxValue: 100, unit, higherIsWorse: true, isBuiltIn: true },
];
const point = (indicatorCode: string, observedOn: string, value: string, numericValue: number, period: string | null = null): HistoryPoint => ({
  indicatorCode,
  value,
  numericValue,
  observedOn,
  period,
  source: "test",
});

describe("a trust's history for its risk page", () => {
  const indicators = new Map([info("unsupported_devices_pct", "percentage", "%"), info("ceplus_current", "boolean"), info("dspt_status", "category")]);

  it("orders series as the model lists its indicators, numbers as lines with the model's thresholds", () => {
    const series = historySeries(
      [point("unsupported_devices_pct", "2026-01-01", "3", 3), point("unsupported_devices_pct", "2026-02-01", "4", 4), point("dspt_status", "2025-06-30", "met", 1, "2024/25")],
      indicators,
      DEFAULT_MODEL_CONFIG,
    );
    const order = Object.keys(DEFAULT_MODEL_CONFIG.indicators);
    expect(series.map((s) => s.code)).toEqual(["dspt_status", "unsupported_devices_pct"].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    const line = series.find((s) => s.code === "unsupported_devices_pct")!;
    expect(line).toMatchObject({ kind: "line", unit: "%", points: [{ date: "2026-01-01", value: 3 }, { date: "2026-02-01", value: 4 }] });
    expect(line.references).toHaveLength(2);
  });

  it("folds unchanged yes/no values into steps, newest first", () => {
    const [steps] = historySeries(
      [point("ceplus_current", "2026-01-01", "1", 1), point("ceplus_current", "2026-02-01", "1", 1), point("ceplus_current", "2026-03-01", "0", 0)],
      indicators,
      DEFAULT_MODEL_CONFIG,
    );
    expect(steps).toMatchObject({
      kind: "steps",
      steps: [
        { from: "2026-03-01", to: "2026-03-01", text: "No" },
        { from: "2026-01-01", to: "2026-02-01", text: "Yes" },
      ],
    });
  });
});
