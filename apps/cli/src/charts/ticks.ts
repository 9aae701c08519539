/**
 * Axis helpers for the charts: "nice" tick values (steps of 1, 2 or 5 times a power of
 * ten) covering a data range, and labels with as many decimals as the step needs.
 */

/** Tick positions and the padded range they span. */
export interface Ticks {
  /** Lowest value of the axis (the first tick). */
  min: number;
  /** Highest value of the axis (the last tick). */
  max: number;
  /** Distance between ticks. */
  step: number;
  /** Tick values from min to max. */
  values: number[];
}

/** The nice step (1, 2 or 5 × 10^k) closest above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Ticks covering [lo, hi] with about `count` intervals. An empty range (lo = hi) is widened
 * around its value so the axis still has a span.
 */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return niceTicks(0, 1, count);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, count));
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const values: number[] = [];
  const n = Math.round((max - min) / step);
  // Computed from the index, not by repeated addition, so rounding errors do not pile up.
  for (let i = 0; i <= n; i++) values.push(Number((min + i * step).toPrecision(12)));
  return { min: values[0]!, max: values[values.length - 1]!, step, values };
}

/** A tick label: the decimals the step needs (step 0.05 → 2), no more. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const text = value.toFixed(decimals);
  return text === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : text;
}

/**
 * Integer ticks for an epoch axis from `first` to `last`: both ends always, and nice
 * multiples in between (about `count` intervals) that keep half a step clear of the ends,
 * e.g. 1…10 → 1, 2, 4, 6, 8, 10 and 1…60 → 1, 10, 20, …, 60.
 */
export function epochTicks(first: number, last: number, count = 8): number[] {
  if (!(last > first)) return [first];
  const step = Math.max(1, Math.round(niceStep((last - first) / Math.max(1, count))));
  const inner: number[] = [];
  for (let e = Math.ceil(first / step) * step; e < last; e += step) {
    if (e - first >= step / 2 && last - e >= step / 2) inner.push(e);
  }
  return [first, ...inner, last];
}
