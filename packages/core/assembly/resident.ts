// Kernels of the resident training step (src/resident/): everything a planned step does
// besides the GEMM itself, over float32 arrays that stay in linear memory — usually one
// shared memory that every worker thread's instance imports, so weights, gradients and
// optimizer state are never copied. No function here allocates or keeps state between
// calls; the caller owns every byte it points to.
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

// ---- sparse input (CSR) ----------------------------------------------------------------
//
// A compressed dataset: row r's nonzeros are entries rowPtr[r] .. rowPtr[r+1] of `index`
// (u16 when idx16, else i32 column numbers) and `value` (u8 times the f32 at `scaleAt`
// when valU8, else f32). `examples` holds `count` i32 row numbers: the shard, in batch
// order. The scale is read from memory, not passed: a fractional number passed from
// JavaScript to WebAssembly is boxed on the heap at every call, and a step allocates nothing.

function nzIndex(index: usize, p: usize, idx16: bool): usize {
  return idx16 ? <usize>load<u16>(index + (p << 1)) : <usize>load<i32>(index + (p << 2));
}

function nzValue(value: usize, p: usize, valU8: bool, scale: f32): f32 {
  return valU8 ? <f32>load<u8>(value + p) * scale : load<f32>(value + (p << 2));
}

/** The first entry in [lo, hi) whose column is at least `column` (binary search), or hi. */
function firstAtLeast(index: usize, idx16: bool, lo: usize, hi: usize, column: usize): usize {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nzIndex(index, mid, idx16) < column) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Decodes row `ex`'s nonzeros whose column is in [from, to) into `decoded` as (byte offset
 * of W's row: u32, value: f32) pairs, so the column blocks that each walk the row read two
 * words per nonzero instead of decoding it again. Returns how many it wrote.
 */
function decodeRow(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  scale: f32,
  ex: usize,
  ld: usize,
  decoded: usize,
  from: usize,
  to: usize,
): i32 {
  // Columns ascend within a row, so the nonzeros in [from, to) are one run of it.
  const p0 = firstAtLeast(
    index,
    idx16,
    <usize>load<i32>(rowPtr + (ex << 2)),
    <usize>load<i32>(rowPtr + ((ex + 1) << 2)),
    from,
  );
  const p1 = firstAtLeast(index, idx16, p0, <usize>load<i32>(rowPtr + ((ex + 1) << 2)), to);
  let at = decoded;
  let p = p0;
  if (idx16) {
    // Eight nonzeros at a time: their u16 columns times the row length, their values,
    // interleaved into (offset, value) pairs. Same bits as the scalar loop below.
    const rowBytes = i32x4.splat(<i32>ld);
    const scales = f32x4.splat(scale);
    for (; p + 8 <= p1; p += 8) {
      const columns = v128.load(index + (p << 1));
      const lo = i32x4.mul(i32x4.extend_low_i16x8_u(columns), rowBytes);
      const hi = i32x4.mul(i32x4.extend_high_i16x8_u(columns), rowBytes);
      let vlo: v128;
      let vhi: v128;
      if (valU8) {
        const bytes = i16x8.extend_low_i8x16_u(v128.load64_zero(value + p));
        vlo = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(bytes)), scales);
        vhi = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(bytes)), scales);
      } else {
        vlo = v128.load(value + (p << 2));
        vhi = v128.load(value + (p << 2) + 16);
      }
      v128.store(at, i32x4.shuffle(lo, vlo, 0, 4, 1, 5));
      v128.store(at + 16, i32x4.shuffle(lo, vlo, 2, 6, 3, 7));
      v128.store(at + 32, i32x4.shuffle(hi, vhi, 0, 4, 1, 5));
      v128.store(at + 48, i32x4.shuffle(hi, vhi, 2, 6, 3, 7));
      at += 64;
    }
  }
  for (; p < p1; p++) {
    store<u32>(at, <u32>(nzIndex(index, p, idx16) * ld));
    store<f32>(at + 4, nzValue(value, p, valU8, scale));
    at += 8;
  }
  return <i32>((at - decoded) >> 3);
}

/** Rows whose cache lines csrDense reads ahead at a time (a power of two). */
const TOUCH_ROWS = 8;

/**
 * Reads a byte of every cache line of `count` rows (row pointers, columns, values) before
 * any of them is decoded. The rows are a random sample of a large set, mostly outside
 * the caches; read here, their misses are all in flight at once, where decoding one row
 * after another waits for each in turn (the row pointer, then its columns, then its
 * values). WebAssembly has no prefetch: the bytes are added up and the sum stored at
 * `sink` (scratch the caller overwrites), so that no compiler drops the loads.
 */
function touchRows(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  examples: usize,
  count: i32,
  sink: usize,
): void {
  let sum: u32 = 0;
  const indexShift: usize = idx16 ? 1 : 2;
  const valueShift: usize = valU8 ? 0 : 2;
  for (let r = 0; r < count; r++) {
    const ex = <usize>load<i32>(examples + ((<usize>r) << 2));
    const p0 = <usize>load<i32>(rowPtr + (ex << 2));
    const p1 = <usize>load<i32>(rowPtr + ((ex + 1) << 2));
    if (p1 <= p0) continue;
    // Every 64 bytes from the first, and the last byte (its line may start past them).
    const i1 = index + (p1 << indexShift);
    for (let a = index + (p0 << indexShift); a < i1; a += 64) sum += load<u8>(a);
    sum += load<u8>(i1 - 1);
    const v1 = value + (p1 << valueShift);
    for (let a = value + (p0 << valueShift); a < v1; a += 64) sum += load<u8>(a);
    sum += load<u8>(v1 - 1);
  }
  store<u32>(sink, sum);
}

/**
 * Compresses `rows` rows of a feature matrix at `src` (`features` values per row, u8 when
 * `srcU8`, else f32; -0 counts as zero, NaN as nonzero): row firstRow + r's nonzeros go to
 * entries at, at + 1, … of `index` (u16 when idx16, else i32 columns) and `value` (the
 * bytes, or the f32 values), and rowPtr[firstRow + r] gets its first entry. Returns the
 * entry after the last written. Sixteen bytes (four floats) are tested at once and their
 * nonzeros found from the comparison's bit mask, so zero stretches cost almost nothing.
 */
export function compressRows(
  src: usize,
  rows: i32,
  features: i32,
  srcU8: bool,
  rowPtr: usize,
  firstRow: i32,
  index: usize,
  idx16: bool,
  value: usize,
  at: i32,
): i32 {
  let p = <usize>at;
  const width = <usize>features;
  const rowBytes = srcU8 ? width : width << 2;
  const lanes: usize = srcU8 ? 16 : 4;
  const whole = width & ~(lanes - 1);
  for (let r = 0; r < rows; r++) {
    store<i32>(rowPtr + ((<usize>(firstRow + r)) << 2), <i32>p);
    const base = src + <usize>r * rowBytes;
    for (let j: usize = 0; j < whole; j += lanes) {
      let mask = srcU8
        ? i8x16.bitmask(i8x16.ne(v128.load(base + j), i8x16.splat(0)))
        : i32x4.bitmask(f32x4.ne(v128.load(base + (j << 2)), f32x4.splat(0)));
      while (mask !== 0) {
        const c = j + <usize>ctz(mask);
        mask &= mask - 1;
        if (idx16) store<u16>(index + (p << 1), <u16>c);
        else store<i32>(index + (p << 2), <i32>c);
        if (srcU8) store<u8>(value + p, load<u8>(base + c));
        else store<f32>(value + (p << 2), load<f32>(base + (c << 2)));
        p++;
      }
    }
    for (let c = whole; c < width; c++) {
      const nonzero = srcU8 ? load<u8>(base + c) !== 0 : load<f32>(base + (c << 2)) !== 0;
      if (!nonzero) continue;
      if (idx16) store<u16>(index + (p << 1), <u16>c);
      else store<i32>(index + (p << 2), <i32>c);
      if (srcU8) store<u8>(value + p, load<u8>(base + c));
      else store<f32>(value + (p << 2), load<f32>(base + (c << 2)));
      p++;
    }
  }
  return <i32>p;
}

/** a · b + c, fused in the relaxed-SIMD build (as the GEMM tile does). */
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Applies an epilogue activation (linear, relu, relu6, leaky ReLU) to four lanes. */

function epilogue4(v: v128, act: i32, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  if (act === ACT_RELU) return f32x4.max(v, zero);
  if (act === ACT_RELU6) return f32x4.min(f32x4.max(v, zero), f32x4.splat(6));
  if (act === ACT_LEAKYRELU) {
    return v128.bitselect(f32x4.mul(v, f32x4.splat(alpha)), v, f32x4.lt(v, zero));
  }
  return v;
}

function epilogue1(x: f32, act: i32, alpha: f32): f32 {
  if (act === ACT_RELU) return x > 0 ? x : 0;
  if (act === ACT_RELU6) return x > 0 ? (x < 6 ? x : 6) : 0;
  if (act === ACT_LEAKYRELU) return x < 0 ? x * alpha : x;
  return x;
}

/**
 * out[r, :] = act(bias + Σ_nz value · W[index, :]) for each example r of the shard: the
 * first Dense layer on sparse rows, reading only the nonzeros. W is features×units
 * row-major; `bias` is 0 for none; `act` is an epilogue code (linear, relu, relu6, leaky).
 * Columns go in blocks of 16 held in registers while the row's nonzeros, decoded once
 * into `decoded` (8 bytes per feature of a row), stream by; the cache lines of each eight
 * rows are read ahead together (touchRows).
 */
export function csrDense(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  scaleAt: usize,
  examples: usize,
  count: i32,
  w: usize,
  bias: usize,
  out: usize,
  units: i32,
  act: i32,
  alpha: f32,
  decoded: usize,
): void {
  const ld = (<usize>units) << 2;
  const blocks = units & ~15;
  const quads = units & ~3;
  const hasBias = bias !== 0;
  const scale = load<f32>(scaleAt);
  for (let r = 0; r < count; r++) {
    if ((r & (TOUCH_ROWS - 1)) === 0) {
      const rest = count - r;
      const group = rest < TOUCH_ROWS ? rest : TOUCH_ROWS;
      touchRows(rowPtr, index, value, idx16, valU8, examples + ((<usize>r) << 2), group, decoded);
    }
    const ex = <usize>load<i32>(examples + ((<usize>r) << 2));
    const nz = <usize>(
      decodeRow(rowPtr, index, value, idx16, valU8, scale, ex, ld, decoded, 0, <usize>-1)
    );
    const end = decoded + (nz << 3);
    const row = out + <usize>r * ld;
    for (let j = 0; j < blocks; j += 16) {
      const o = (<usize>j) << 2;
      let a0 = hasBias ? v128.load(bias + o) : f32x4.splat(0);
      let a1 = hasBias ? v128.load(bias + o + 16) : f32x4.splat(0);
      let a2 = hasBias ? v128.load(bias + o + 32) : f32x4.splat(0);
      let a3 = hasBias ? v128.load(bias + o + 48) : f32x4.splat(0);
      const base = w + o;
      for (let d = decoded; d < end; d += 8) {
        const x = v128.load32_splat(d + 4);
        const src = base + <usize>load<u32>(d);
        a0 = madd(x, v128.load(src), a0);
        a1 = madd(x, v128.load(src + 16), a1);
        a2 = madd(x, v128.load(src + 32), a2);
        a3 = madd(x, v128.load(src + 48), a3);
      }
      v128.store(row + o, epilogue4(a0, act, alpha));
      v128.store(row + o + 16, epilogue4(a1, act, alpha));
      v128.store(row + o + 32, epilogue4(a2, act, alpha));
      v128.store(row + o + 48, epilogue4(a3, act, alpha));
    }
    for (let j = blocks; j < quads; j += 4) {
      const o = (<usize>j) << 2;
      let a = hasBias ? v128.load(bias + o) : f32x4.splat(0);
      for (let d = decoded; d < end; d += 8) {
        a = madd(v128.load32_splat(d + 4), v128.load(w + o + <usize>load<u32>(d)), a);
      }
      v128.store(row + o, epilogue4(a, act, alpha));
    }
    for (let j = quads; j < units; j++) {
      const o = (<usize>j) << 2;
      let a: f32 = hasBias ? load<f32>(bias + o) : 0;
      for (let d = decoded; d < end; d += 8)
        a += load<f32>(d + 4) * load<f32>(w + o + <usize>load<u32>(d));
      store<f32>(row + o, epilogue1(a, act, alpha));
    }
  }
}

/**
 * Rows [rowFrom, rowTo) of dW = Xᵀ·dZ over the examples' sparse rows: dW (features×units,
 * those rows overwritten, no other byte touched) gets value · dZ[r, :] added into row
 * `index` for every nonzero in range of every example r. `decoded` as for csrDense.
 */
export function csrDenseWeightGrad(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  scaleAt: usize,
  examples: usize,
  count: i32,
  dz: usize,
  units: i32,
  rowFrom: i32,
  rowTo: i32,
  dw: usize,
  decoded: usize,
): void {
  const ld = (<usize>units) << 2;
  const scale = load<f32>(scaleAt);
  memory.fill(dw + <usize>rowFrom * ld, 0, <usize>(rowTo - rowFrom) * ld);
  const blocks = units & ~31;
  const quads = units & ~3;
  for (let r = 0; r < count; r++) {
    const ex = <usize>load<i32>(examples + ((<usize>r) << 2));
    const nz = <usize>(
      decodeRow(rowPtr, index, value, idx16, valU8, scale, ex, ld, decoded, rowFrom, rowTo)
    );
    const end = decoded + (nz << 3);
    const g = dz + <usize>r * ld;
    for (let j = 0; j < blocks; j += 32) {
      const o = (<usize>j) << 2;
      const g0 = v128.load(g + o);
      const g1 = v128.load(g + o + 16);
      const g2 = v128.load(g + o + 32);
      const g3 = v128.load(g + o + 48);
      const g4 = v128.load(g + o + 64);
      const g5 = v128.load(g + o + 80);
      const g6 = v128.load(g + o + 96);
      const g7 = v128.load(g + o + 112);
      const base = dw + o;
      for (let e = decoded; e < end; e += 8) {
        const x = v128.load32_splat(e + 4);
        const d = base + <usize>load<u32>(e);
        v128.store(d, madd(x, g0, v128.load(d)));
        v128.store(d + 16, madd(x, g1, v128.load(d + 16)));
        v128.store(d + 32, madd(x, g2, v128.load(d + 32)));
        v128.store(d + 48, madd(x, g3, v128.load(d + 48)));
        v128.store(d + 64, madd(x, g4, v128.load(d + 64)));
        v128.store(d + 80, madd(x, g5, v128.load(d + 80)));
        v128.store(d + 96, madd(x, g6, v128.load(d + 96)));
        v128.store(d + 112, madd(x, g7, v128.load(d + 112)));
      }
    }
    for (let j = blocks; j < quads; j += 4) {
      const o = (<usize>j) << 2;
      const gv = v128.load(g + o);
      for (let e = decoded; e < end; e += 8) {
        const d = dw + o + <usize>load<u32>(e);
        v128.store(d, madd(v128.load32_splat(e + 4), gv, v128.load(d)));
      }
    }
    for (let j = quads; j < units; j++) {
      const o = (<usize>j) << 2;
      const gs = load<f32>(g + o);
      for (let e = decoded; e < end; e += 8) {
        const d = dw + o + <usize>load<u32>(e);
        store<f32>(d, load<f32>(d) + load<f32>(e + 4) * gs);
      }
    }
  }
}

/** dst (rows × (c1 − c0)) = columns [c0, c1) of src (rows × cols), both row-major. */
export function packColumns(src: usize, rows: i32, cols: i32, c0: i32, c1: i32, dst: usize): void {
  const width = (<usize>(c1 - c0)) << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + <usize>r * width, src + ((<usize>r * <usize>cols + <usize>c0) << 2), width);
  }
}

// ---- elementwise ------------------------------------------------------------------------

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

// ---- update -----------------------------------------------------------------------------

/**
 * dst[i] = g_0[i] + g_1[i] + … + g_{count-1}[i] for i in [0, n), in that order, in
 * float32: the gradient slots (each `strideBytes` after the previous) summed in fixed
 * worker order, whatever order the workers finished in. dst may be g_0.
 */
export function sumSlots(dst: usize, first: usize, strideBytes: usize, count: i32, n: i32): void {
  if (count === 1) {
    if (dst !== first) memory.copy(dst, first, (<usize>n) << 2);
    return;
  }
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    let acc = v128.load(first + o);
    for (let k = 1; k < count; k++)
      acc = f32x4.add(acc, v128.load(first + <usize>k * strideBytes + o));
    v128.store(dst + o, acc);
  }
  for (let i = quads; i < n; i++) {
    const o = (<usize>i) << 2;
    let acc = load<f32>(first + o);
    for (let k = 1; k < count; k++) acc += load<f32>(first + <usize>k * strideBytes + o);
    store<f32>(dst + o, acc);
  }
}

/**
 * Adam over n elements whose gradient is the sum of `count` slots (see sumSlots), in one
 * pass: each group of four gradients is summed in slot order, then m, v (and AMSGrad's
 * v̂ when vhat != 0) and the weights are updated, in float32 arithmetic as Keras and
 * PyTorch do (the tfjs path's `adam` computes in float64, so the two differ in the last
 * bit). With decay != 0, w ← w − w·decay first.
 *   m ← m + (g − m)·c1,  v ← v + (g² − v)·c2,  w ← w − m·alpha / (sqrt(v or v̂) + eps)
 */
export function adamSlots(
  p: usize,
  first: usize,
  strideBytes: usize,
  count: i32,
  m: usize,
  v: usize,
  vhat: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  // biome-ignore format: the kernel's argument list
  adamStep(p, p, first, strideBytes, count, m, m, v, v, vhat, vhat, n, alpha, c1, c2, eps, decay);
}

/**
 * Adam as adamSlots over one gradient (`g`), reading the weights and state at `pIn`,
 * `mIn`, `vIn` (`vhatIn`) and writing them at `pOut`, `mOut`, `vOut` (`vhatOut`): the
 * resident step's update from one copy of the training state to the other, so the copy
 * it read stays as it was until the step is complete. In and out may be the same.
 */
export function adamMoved(
  pIn: usize,
  pOut: usize,
  g: usize,
  mIn: usize,
  mOut: usize,
  vIn: usize,
  vOut: usize,
  vhatIn: usize,
  vhatOut: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  // biome-ignore format: the kernel's argument list
  adamStep(pIn, pOut, g, 0, 1, mIn, mOut, vIn, vOut, vhatIn, vhatOut, n, alpha, c1, c2, eps, decay);
}

function adamStep(
  pIn: usize,
  pOut: usize,
  first: usize,
  strideBytes: usize,
  count: i32,
  mIn: usize,
  mOut: usize,
  vIn: usize,
  vOut: usize,
  vhatIn: usize,
  vhatOut: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  const A = f32x4.splat(alpha);
  const C1 = f32x4.splat(c1);
  const C2 = f32x4.splat(c2);
  const E = f32x4.splat(eps);
  const D = f32x4.splat(decay);
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    let g = v128.load(first + o);
    for (let k = 1; k < count; k++) g = f32x4.add(g, v128.load(first + <usize>k * strideBytes + o));
    let w = v128.load(pIn + o);
    if (decay !== 0) w = f32x4.sub(w, f32x4.mul(w, D));
    const mi = v128.load(mIn + o);
    const vi = v128.load(vIn + o);
    const mNew = f32x4.add(mi, f32x4.mul(f32x4.sub(g, mi), C1));
    const vNew = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(g, g), vi), C2));
    let base = vNew;
    if (vhatIn !== 0) {
      base = f32x4.max(v128.load(vhatIn + o), vNew);
      v128.store(vhatOut + o, base);
    }
    v128.store(mOut + o, mNew);
    v128.store(vOut + o, vNew);
    v128.store(
      pOut + o,
      f32x4.sub(w, f32x4.div(f32x4.mul(mNew, A), f32x4.add(f32x4.sqrt(base), E))),
    );
  }
  for (let i = quads; i < n; i++) {
    const o = (<usize>i) << 2;
    let g = load<f32>(first + o);
    for (let k = 1; k < count; k++) g += load<f32>(first + <usize>k * strideBytes + o);
    let w = load<f32>(pIn + o);
    if (decay !== 0) w -= w * decay;
    const mi = load<f32>(mIn + o);
    const vi = load<f32>(vIn + o);
    const mNew = mi + (g - mi) * c1;
    const vNew = vi + (g * g - vi) * c2;
    let base = vNew;
    if (vhatIn !== 0) {
      base = Mathf.max(load<f32>(vhatIn + o), vNew);
      store<f32>(vhatOut + o, base);
    }
    store<f32>(mOut + o, mNew);
    store<f32>(vOut + o, vNew);
    store<f32>(pOut + o, w - (mNew * alpha) / (Mathf.sqrt(base) + eps));
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
