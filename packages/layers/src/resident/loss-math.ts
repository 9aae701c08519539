/**
 * The resident step's loss and metrics, over a [rows, width] prediction and the target
 * rows, in plain loops over views of its memory: these arrays are small (a shard times the
 * classes), and nothing here allocates. Each loss computes the same value as the loss
 * class of ../losses (mean over the shard) and writes `scale ×` its gradient with respect
 * to the prediction, as the tfjs path's differentiation of `scale · loss` gives it.
 */
import type { PlannedLoss, PlannedMetric } from './plan-types.js';

/** tfjs's clipByValue: compares with the float64 bounds, stores float32. */
function clip(q: number, lo: number, hi: number): number {
  return Math.fround(q > hi ? hi : Math.max(q, lo));
}

/**
 * Keras crossentropy on probabilities: rows renormalised, clipped to [ε, 1 − ε], then
 * −Σ y·log q; the gradient is exact through the renormalisation and the clip (zero where
 * clipped). `y` holds one-hot rows, or class ids when `sparse`.
 */
function crossentropy(
  p: Float32Array,
  y: Float32Array,
  grad: Float32Array,
  rows: number,
  width: number,
  sparse: boolean,
  epsilon: number,
  scale: number,
  out: Float64Array,
): void {
  const lo = epsilon;
  const hi = 1 - epsilon;
  const loF = Math.fround(lo);
  const hiF = Math.fround(hi);
  const g = scale / rows;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const start = r * width;
    let s = 0;
    for (let j = start; j < start + width; j++) s += p[j]!;
    s = Math.fround(s);
    const label = sparse ? y[r]! : -1;
    let sum = 0;
    let gq = 0;
    for (let j = 0; j < width; j++) {
      const target = sparse ? (j === label ? 1 : 0) : y[start + j]!;
      const q = Math.fround(p[start + j]! / s);
      // A zero target adds ±0 (the clipped log is finite) unless q is NaN: one log a row
      // for one-hot targets instead of one a class, the same sum to the bit.
      if (target !== 0) sum += Math.fround(target * Math.fround(Math.log(clip(q, lo, hi))));
      else if (Number.isNaN(q)) sum = Number.NaN;
      const gj = q >= loF && q <= hiF ? (-target * g) / q : 0;
      grad[start + j] = gj;
      gq += gj * q;
    }
    for (let j = start; j < start + width; j++) grad[j] = (grad[j]! - gq) / s;
    total += Math.fround(-Math.fround(sum) / rows);
  }
  out[0] = total;
}

/** Keras binary crossentropy on probabilities clipped to [ε, 1 − ε], mean over units and rows. */
function binaryCrossentropy(
  p: Float32Array,
  y: Float32Array,
  grad: Float32Array,
  n: number,
  width: number,
  rows: number,
  epsilon: number,
  scale: number,
  out: Float64Array,
): void {
  const lo = epsilon;
  const hi = 1 - epsilon;
  const g = scale / (rows * width);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const raw = p[i]!;
    // Stored as float32, as tfjs's clipByValue does: at 1 − ε, 1 − q is float32's 1.19e-7.
    const q = clip(raw, lo, hi);
    const t = y[i]!;
    total -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
    const inside = raw >= Math.fround(lo) && raw <= Math.fround(hi);
    grad[i] = inside ? g * (-t / q + (1 - t) / (1 - q)) : 0;
  }
  out[0] = total / (rows * width);
}

/**
 * Writes the shard's loss (mean over rows) into out[0] and scale·∂loss/∂p into `grad`
 * (same layout as p). `y` holds the targets as the trainer gathers them (one-hot rows,
 * ids, 0/1, values). Values go into `out` rather than being returned: a double returned
 * from a call that is not inlined is boxed on the heap, and a step allocates nothing.
 */
export function lossAndGradient(
  loss: PlannedLoss,
  p: Float32Array,
  y: Float32Array,
  grad: Float32Array,
  rows: number,
  width: number,
  scale: number,
  out: Float64Array,
): void {
  const n = rows * width;
  switch (loss.kind) {
    case 'crossentropy':
      crossentropy(p, y, grad, rows, width, loss.sparse, loss.epsilon, scale, out);
      return;
    case 'binary_crossentropy':
      binaryCrossentropy(p, y, grad, n, width, rows, loss.epsilon, scale, out);
      return;
    case 'mse': {
      // Squares in float32, as tfjs computes them: an error past ~1.8e19 overflows to
      // Infinity there, and the loss must say so here too (the loss guard reads it).
      const g = (2 * scale) / n;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.fround(p[i]! - y[i]!);
        total += Math.fround(e * e);
        grad[i] = g * e;
      }
      out[0] = total / n;
      return;
    }
    case 'mae': {
      const g = scale / n;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const e = Math.fround(p[i]! - y[i]!);
        total += Math.abs(e);
        grad[i] = e > 0 ? g : e < 0 ? -g : 0;
      }
      out[0] = total / n;
      return;
    }
  }
}

/** Index of the largest value of row r (the first on ties, as tf.argMax). */
function argMax(p: Float32Array, start: number, width: number): number {
  let best = 0;
  let value = p[start]!;
  for (let j = 1; j < width; j++) {
    if (p[start + j]! > value) {
      value = p[start + j]!;
      best = j;
    }
  }
  return best;
}

/** Writes one metric's mean over the shard into out[at] (see lossAndGradient). */
export function metricInto(
  metric: PlannedMetric,
  p: Float32Array,
  y: Float32Array,
  rows: number,
  width: number,
  out: Float64Array,
  at: number,
): void {
  const n = rows * width;
  let total = 0;
  switch (metric) {
    case 'categorical_accuracy':
      for (let r = 0; r < rows; r++) {
        const start = r * width;
        if (argMax(y, start, width) === argMax(p, start, width)) total++;
      }
      out[at] = total / rows;
      return;
    case 'sparse_categorical_accuracy':
      for (let r = 0; r < rows; r++) if (argMax(p, r * width, width) === y[r]) total++;
      out[at] = total / rows;
      return;
    case 'binary_accuracy':
      for (let i = 0; i < n; i++) if ((p[i]! > 0.5 ? 1 : 0) === y[i]) total++;
      out[at] = total / n;
      return;
    case 'mse':
      for (let i = 0; i < n; i++) total += (p[i]! - y[i]!) ** 2;
      out[at] = total / n;
      return;
    case 'mae':
      for (let i = 0; i < n; i++) total += Math.abs(p[i]! - y[i]!);
      out[at] = total / n;
      return;
  }
}
