/**
 * One trust's indicator history shaped for its risk page (pure): one series per indicator, in the model's order
 * (then any others), as a line of numbers or, for categories and yes/no, as steps of unchanged values.
 */
import { categoryText, type ModelConfig } from "./model";
import type { HistoryPoint, IndicatorInfo } from "./ranking.server";

export interface Step {
  from: string;
  to: string;
  text: string;
  period: string | null;
}

export function historySeries(history: HistoryPoint[], info: Map<string, IndicatorInfo>, config: ModelConfig) {
  const order = [...Object.keys(config.indicators), ...[...info.keys()].filter((c) => !(c in config.indicators))];
  const codes = [...new Set(history.map((h) => h.indicatorCode))].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
  });
  const series = codes.map((code) => {
    const def = info.get(code);
    const points = history.filter((h) => h.indicatorCode === code);
    const label = def?.label ?? code;
    if (def?.valueType === "category" || def?.valueType === "boolean") {
      const steps: Step[] = [];
      for (const p of points) {
        const text = def.valueType === "boolean" ? (p.numericValue !== 0 ? "Yes" : "No") : categoryText(p.value);
        const last = steps[steps.length - 1];
        if (last && last.text === text && last.period === p.period) last.to = p.observedOn;
        else steps.push({ from: p.observedOn, to: p.observedOn, text, period: p.period });
      }
      return { code, label, kind: "steps" as const, steps: steps.reverse(), unit: null, points: [], min: null, max: null, references: [] };
    }
    const normalise = config.indicators[code]?.normalise;
    const references =
      normalise?.kind === "linear"
        ? [
            { value: normalise.good, label: `good: ${normalise.good}` },
            { value: normalise.bad, label: `bad: ${normalise.bad}` },
          ]
        : [];
    return {
      code,
      label,
      kind: "line" as const,
      steps: [],
      unit: def?.unit ?? null,
      points: points.map((p) => ({ date: p.observedOn, value: p.numericValue })),
      min: def?.minValue ?? null,
      max: def?.maxValue ?? null,
      references,
    };
  });

  return series;
}
