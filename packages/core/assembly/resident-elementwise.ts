// The resident training step's elementwise and row kernels (src/resident/): activations and
// their derivatives, softmax, dropout masks, Maxout, the bias gradient, column packing and
// placement, and the memory helpers the step uses (copies, touching cache lines).
// No function here allocates or keeps state between calls; the caller owns every byte it
// points to.
import {
  ACT_ELU,
  ACT_EXPONENTIAL,
  ACT_GELU,
  ACT_GELU_TANH,
  ACT_HARD_SIGMOID,
  ACT_LEAKYRELU,
  ACT_LINEAR,
  ACT_MISH,
  ACT_RELU,
  ACT_RELU6,
  ACT_SELU,
  ACT_SIGMOID,
  ACT_SOFTPLUS,
  ACT_SOFTSIGN,
  ACT_SWISH,
  ACT_TANH,
} from './activation';

const SELU_ALPHA: f64 = 1.6732632423543772;
const SELU_SCALE: f64 = 1.0507009873554805;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

function f32At(base: usize, i: usize): usize {
  return base + (i << 2);
}

/** dst (rows × (c1 − c0)) = columns [c0, c1) of src (rows × cols), both row-major. */
export function packColumns(src: usize, rows: i32, cols: i32, c0: i32, c1: i32, dst: usize): void {
  const width = (<usize>(c1 - c0)) << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + <usize>r * width, src + ((<usize>r * <usize>cols + <usize>c0) << 2), width);
  }
}

/** dst[j] = Σ_r src[r, j]: the bias gradient, summed over rows in order. */
export function columnSums(src: usize, rows: i32, cols: i32, dst: usize): void {
  const ld = (<usize>cols) << 2;
  const quads = cols & ~3;
  for (let j = 0; j < quads; j += 4) {
    const o = (<usize>j) << 2;
    let acc = f32x4.splat(0);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(src + <usize>r * ld + o));
    v128.store(dst + o, acc);
  }
  for (let j = quads; j < cols; j++) {
    const o = (<usize>j) << 2;
    let acc: f32 = 0;
    for (let r = 0; r < rows; r++) acc += load<f32>(src + <usize>r * ld + o);
    store<f32>(dst + o, acc);
  }
}

/** The error function, by the same rational approximation (A&S 7.1.26) as tfjs's Erf kernel. */
function erf(x: f64): f64 {
  const sign: f64 = x < 0 ? -1 : 1;
  const v = Math.abs(x);
  const t = 1.0 / (1.0 + 0.3275911 * v);
  const poly =
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign * (1.0 - poly * Math.exp(-v * v));
}

function sigmoid(x: f64): f64 {
  return 1.0 / (1.0 + Math.exp(-x));
}

function softplus(x: f64): f64 {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** y = act(z), one value; `alpha` is ELU's alpha or the leaky slope. */
function activate(act: i32, z: f64, alpha: f64): f64 {
  switch (act) {
    case ACT_RELU:
      return z > 0 ? z : 0;
    case ACT_RELU6:
      return z > 0 ? (z < 6 ? z : 6) : 0;
    case ACT_LEAKYRELU:
      return z < 0 ? z * alpha : z;
    case ACT_ELU:
      return z > 0 ? z : alpha * Math.expm1(z);
    case ACT_SIGMOID:
      return sigmoid(z);
    case ACT_TANH:
      return Math.tanh(z);
    case ACT_SELU:
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * Math.expm1(z);
    case ACT_SOFTPLUS:
      return softplus(z);
    case ACT_SOFTSIGN:
      return z / (1.0 + Math.abs(z));
    case ACT_SWISH:
      return z * sigmoid(z);
    case ACT_GELU:
      return 0.5 * z * (1.0 + erf(z * Math.SQRT1_2));
    case ACT_GELU_TANH:
      return 0.5 * z * (1.0 + Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z * z * z)));
    case ACT_MISH:
      return z * Math.tanh(softplus(z));
    case ACT_EXPONENTIAL:
      return Math.exp(z);
    case ACT_HARD_SIGMOID: {
      const h = z / 6.0 + 0.5;
      // biome-ignore lint/complexity/useMathMinMax: a NaN input stays NaN, as in tfjs
      return h < 0 ? 0 : h > 1 ? 1 : h;
    }
    default:
      return z;
  }
}

/** d act(z) / dz, from z and y = act(z). */
function derivative(act: i32, z: f64, y: f64, alpha: f64): f64 {
  switch (act) {
    case ACT_RELU:
      return z > 0 ? 1 : 0;
    case ACT_RELU6:
      return z > 0 && z < 6 ? 1 : 0;
    case ACT_LEAKYRELU:
      return z > 0 ? 1 : alpha;
    case ACT_ELU:
      return z > 0 ? 1 : y + alpha;
    case ACT_SIGMOID:
      return y * (1.0 - y);
    case ACT_TANH:
      return 1.0 - y * y;
    case ACT_SELU:
      return z > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case ACT_SOFTPLUS:
      return sigmoid(z);
    case ACT_SOFTSIGN: {
      const d = 1.0 + Math.abs(z);
      return 1.0 / (d * d);
    }
    case ACT_SWISH: {
      const s = sigmoid(z);
      return s + z * s * (1.0 - s);
    }
    case ACT_GELU:
      return 0.5 * (1.0 + erf(z * Math.SQRT1_2)) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    case ACT_GELU_TANH: {
      const t = Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z * z * z));
      return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * SQRT_2_OVER_PI * (1.0 + 0.134145 * z * z);
    }
    case ACT_MISH: {
      const t = Math.tanh(softplus(z));
      return t + z * (1.0 - t * t) * sigmoid(z);
    }
    case ACT_EXPONENTIAL:
      return y;
    case ACT_HARD_SIGMOID:
      return z > -3 && z < 3 ? 1.0 / 6.0 : 0;
    default:
      return 1;
  }
}

/** y[i] = act(z[i]) for n values (y may be z). */
export function activationForward(act: i32, z: usize, y: usize, n: i32, alpha: f32): void {
  if (act === ACT_RELU) {
    const zero = f32x4.splat(0);
    const quads = n & ~3;
    for (let i = 0; i < quads; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, f32x4.max(v128.load(z + o), zero));
    }
    for (let i = quads; i < n; i++) {
      const v = load<f32>(f32At(z, i));
      // biome-ignore lint/complexity/useMathMinMax: a NaN input stays NaN, as in tfjs
      store<f32>(f32At(y, i), v > 0 ? v : 0);
    }
    return;
  }
  const a = <f64>alpha;
  for (let i = 0; i < n; i++) {
    store<f32>(f32At(y, i), <f32>activate(act, <f64>load<f32>(f32At(z, i)), a));
  }
}

/**
 * dz[i] = dy[i] · act'(z[i]) for n values (dz may be dy). ReLU-like activations read only
 * y (z may then be y): y > 0 exactly where z > 0, so a fused forward needs no copy of z.
 */
export function activationBackward(
  act: i32,
  z: usize,
  y: usize,
  dy: usize,
  dz: usize,
  n: i32,
  alpha: f32,
): void {
  if (act === ACT_LINEAR) {
    if (dz !== dy) memory.copy(dz, dy, (<usize>n) << 2);
    return;
  }
  const quads = n & ~3;
  if (act === ACT_RELU || act === ACT_RELU6 || act === ACT_LEAKYRELU) {
    const zero = f32x4.splat(0);
    const six = f32x4.splat(6);
    const slope = f32x4.splat(alpha);
    for (let i = 0; i < quads; i += 4) {
      const o = (<usize>i) << 2;
      const yv = v128.load(y + o);
      const g = v128.load(dy + o);
      let out: v128;
      if (act === ACT_RELU) out = v128.and(g, f32x4.gt(yv, zero));
      else if (act === ACT_RELU6)
        out = v128.and(g, v128.and(f32x4.gt(yv, zero), f32x4.lt(yv, six)));
      else out = v128.bitselect(g, f32x4.mul(g, slope), f32x4.gt(yv, zero));
      v128.store(dz + o, out);
    }
    for (let i = quads; i < n; i++) {
      const v = load<f32>(f32At(y, i));
      const g = load<f32>(f32At(dy, i));
      let out: f32;
      if (act === ACT_RELU) out = v > 0 ? g : 0;
      else if (act === ACT_RELU6) out = v > 0 && v < 6 ? g : 0;
      else out = v > 0 ? g : g * alpha;
      store<f32>(f32At(dz, i), out);
    }
    return;
  }
  const a = <f64>alpha;
  for (let i = 0; i < n; i++) {
    const d = derivative(act, <f64>load<f32>(f32At(z, i)), <f64>load<f32>(f32At(y, i)), a);
    store<f32>(f32At(dz, i), <f32>(<f64>load<f32>(f32At(dy, i)) * d));
  }
}

/** Row-wise softmax (log-softmax with `log`) of a rows×cols matrix; y may be z. */
export function softmaxRows(z: usize, y: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * ((<usize>cols) << 2);
    const yr = y + <usize>r * ((<usize>cols) << 2);
    let max = load<f32>(zr);
    for (let j = 1; j < cols; j++) max = Mathf.max(max, load<f32>(f32At(zr, j)));
    let sum: f32 = 0;
    for (let j = 0; j < cols; j++) {
      const e = <f32>Math.exp(<f64>(load<f32>(f32At(zr, j)) - max));
      if (!log) store<f32>(f32At(yr, j), e);
      sum += e;
    }
    if (log) {
      const shift = max + <f32>Math.log(<f64>sum);
      for (let j = 0; j < cols; j++) store<f32>(f32At(yr, j), load<f32>(f32At(zr, j)) - shift);
    } else {
      for (let j = 0; j < cols; j++) store<f32>(f32At(yr, j), load<f32>(f32At(yr, j)) / sum);
    }
  }
}

/**
 * Backward of a row-wise softmax (or log-softmax with `log`): from y (its output) and dy,
 * dz = y ⊙ (dy − Σ dy⊙y) per row, or for log-softmax dz = dy − exp(y) · Σ dy. dz may be dy.
 */
export function softmaxRowsBackward(
  y: usize,
  dy: usize,
  dz: usize,
  rows: i32,
  cols: i32,
  log: bool,
): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * ((<usize>cols) << 2);
    let dot: f32 = 0;
    for (let j = 0; j < cols; j++) {
      const g = load<f32>(f32At(dy + base, j));
      dot += log ? g : g * load<f32>(f32At(y + base, j));
    }
    for (let j = 0; j < cols; j++) {
      const yj = load<f32>(f32At(y + base, j));
      const g = load<f32>(f32At(dy + base, j));
      const out = log ? g - <f32>Math.exp(<f64>yj) * dot : yj * (g - dot);
      store<f32>(f32At(dz + base, j), out);
    }
  }
}

/** y = x ⊙ mask (dropout: the mask holds 0 or 1/keep); y may be x. */
export function multiply(x: usize, mask: usize, y: usize, n: i32): void {
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.mul(v128.load(x + o), v128.load(mask + o)));
  }
  for (let i = quads; i < n; i++) {
    store<f32>(f32At(y, i), load<f32>(f32At(x, i)) * load<f32>(f32At(mask, i)));
  }
}

/**
 * Stores a zero byte in every 64-byte cache line that lies wholly inside [at, at + bytes)
 * (a line shared with the bytes either side is left alone), so that the lines belong to
 * this core before the caller writes them: the resident step touches the weights a worker
 * is about to overwrite, which other cores read a step earlier (packages/trainer's
 * resident-stepper.ts). The caller must own the bytes and not need their values.
 */
export function touchLines(at: usize, bytes: usize): void {
  const end = (at + bytes) & ~(<usize>63);
  for (let a = (at + 63) & ~(<usize>63); a < end; a += 64) store<u8>(a, 0);
}

/** memory.copy for the caller (backups of a slice before its update, rollback). */
export function copyBytes(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}

/**
 * Maxout over groups: y[r, u] = max over p of z[r, u·pieces + p] (the Maxout layer's
 * reshape to [rows, units, pieces] and max over the last axis). y may not be z.
 */
export function maxoutForward(z: usize, y: usize, rows: i32, units: i32, pieces: i32): void {
  for (let r = 0; r < rows; r++) {
    const zr = z + ((<usize>r * <usize>units * <usize>pieces) << 2);
    const yr = y + ((<usize>r * <usize>units) << 2);
    for (let u = 0; u < units; u++) {
      const g = zr + ((<usize>u * <usize>pieces) << 2);
      let best = load<f32>(g);
      for (let p = 1; p < pieces; p++) best = Mathf.max(best, load<f32>(g + ((<usize>p) << 2)));
      store<f32>(yr + ((<usize>u) << 2), best);
    }
  }
}

/**
 * Backward of maxoutForward: dz[r, u·pieces + p] = dy[r, u] where z equals the group's
 * maximum (every tied piece, as tfjs's max gradient does), 0 elsewhere.
 */
export function maxoutBackward(
  z: usize,
  y: usize,
  dy: usize,
  dz: usize,
  rows: i32,
  units: i32,
  pieces: i32,
): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>units;
    for (let u = 0; u < units; u++) {
      const best = load<f32>(y + ((base + <usize>u) << 2));
      const g = load<f32>(dy + ((base + <usize>u) << 2));
      const at = (base + <usize>u) * <usize>pieces;
      for (let p = 0; p < pieces; p++) {
        const i = (at + <usize>p) << 2;
        store<f32>(dz + i, load<f32>(z + i) === best ? g : 0);
      }
    }
  }
}

/** dst[i] += src[i] for n values: a gradient that reaches a tensor along several paths. */
export function accumulate(dst: usize, src: usize, n: i32): void {
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (let i = quads; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** Columns [c0, c0 + width) of dst (rows × cols) = src (rows × width): concatenation. */
export function placeColumns(
  src: usize,
  rows: i32,
  width: i32,
  dst: usize,
  cols: i32,
  c0: i32,
): void {
  const bytes = (<usize>width) << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + ((<usize>r * <usize>cols + <usize>c0) << 2), src + <usize>r * bytes, bytes);
  }
}
