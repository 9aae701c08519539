// The resident training step's kernels for sparse input (src/resident/): the first Dense
// layer's forward pass and weight gradient over compressed rows (CSR), reading only each
// row's nonzeros, and the compression itself.
// No function here allocates or keeps state between calls; the caller owns every byte it
// points to.
import { ACT_LEAKYRELU, ACT_RELU, ACT_RELU6 } from './activation';

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
 * Reads a byte of every cache line of rows [first, first + TOUCH_ROWS) of the `count`
 * rows at `examples` (row pointers, columns, values; fewer at the end) before any of them
 * is decoded: the caller calls it at every TOUCH_ROWS-th row. The rows are a random
 * sample of a large set, mostly outside the caches; read here, their misses are all in
 * flight at once, where decoding one row after another waits for each in turn (the row
 * pointer, then its columns, then its values). WebAssembly has no prefetch: the bytes are
 * added up and the sum stored at `sink` (scratch the caller overwrites), so that no
 * compiler drops the loads.
 */
function touchRows(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  examples: usize,
  first: i32,
  count: i32,
  sink: usize,
): void {
  let sum: u32 = 0;
  const indexShift: usize = idx16 ? 1 : 2;
  const valueShift: usize = valU8 ? 0 : 2;
  const end = count - first < TOUCH_ROWS ? count : first + TOUCH_ROWS;
  for (let r = first; r < end; r++) {
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

/**
 * a · b + c, fused in the relaxed-SIMD build. This and epilogue4 are copies of tile.ts's
 * madd and activate4: a function with v128 in its signature cannot be exported to share it
 * without AssemblyScript's warning AS112, and build-wasm.mjs fails on any warning.
 */
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
  const scale = load<f32>(scaleAt);
  for (let r = 0; r < count; r++) {
    if ((r & (TOUCH_ROWS - 1)) === 0) {
      touchRows(rowPtr, index, value, idx16, valU8, examples, r, count, decoded);
    }
    const ex = <usize>load<i32>(examples + ((<usize>r) << 2));
    const nz = <usize>(
      decodeRow(rowPtr, index, value, idx16, valU8, scale, ex, ld, decoded, 0, <usize>-1)
    );
    const end = decoded + (nz << 3);
    denseRow(decoded, end, w, bias, out + <usize>r * ld, units, act, alpha);
  }
}

/**
 * One output row of csrDense from a row's decoded (W row offset, value) pairs in
 * [first, end): act(bias + Σ value · W[offset, :]). Columns go in blocks of 16 held in
 * registers while the pairs stream by, then fours, then one at a time.
 */
function denseRow(
  first: usize,
  end: usize,
  w: usize,
  bias: usize,
  row: usize,
  units: i32,
  act: i32,
  alpha: f32,
): void {
  const blocks = units & ~15;
  const quads = units & ~3;
  const hasBias = bias !== 0;
  for (let j = 0; j < blocks; j += 16) {
    const o = (<usize>j) << 2;
    let a0 = hasBias ? v128.load(bias + o) : f32x4.splat(0);
    let a1 = hasBias ? v128.load(bias + o + 16) : f32x4.splat(0);
    let a2 = hasBias ? v128.load(bias + o + 32) : f32x4.splat(0);
    let a3 = hasBias ? v128.load(bias + o + 48) : f32x4.splat(0);
    const base = w + o;
    for (let d = first; d < end; d += 8) {
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
    for (let d = first; d < end; d += 8) {
      a = madd(v128.load32_splat(d + 4), v128.load(w + o + <usize>load<u32>(d)), a);
    }
    v128.store(row + o, epilogue4(a, act, alpha));
  }
  for (let j = quads; j < units; j++) {
    const o = (<usize>j) << 2;
    let a: f32 = hasBias ? load<f32>(bias + o) : 0;
    for (let d = first; d < end; d += 8)
      a += load<f32>(d + 4) * load<f32>(w + o + <usize>load<u32>(d));
    store<f32>(row + o, epilogue1(a, act, alpha));
  }
}

/**
 * Rows [rowFrom, rowTo) of dW = Xᵀ·dZ over the examples' sparse rows: dW (features×units,
 * those rows overwritten, no other byte touched) gets value · dZ[r, :] added into row
 * `index` for every nonzero in range of every example r. `decoded` as for csrDense.
 * `readAhead`: read the cache lines of each eight rows together first (touchRows), for
 * rows this core did not just read itself — with several workers, most of the batch's
 * rows were decoded by the others in the gradient phase.
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
  readAhead: bool,
): void {
  const ld = (<usize>units) << 2;
  const scale = load<f32>(scaleAt);
  memory.fill(dw + <usize>rowFrom * ld, 0, <usize>(rowTo - rowFrom) * ld);
  const blocks = units & ~31;
  for (let r = 0; r < count; r++) {
    if (readAhead && (r & (TOUCH_ROWS - 1)) === 0) {
      touchRows(rowPtr, index, value, idx16, valU8, examples, r, count, decoded);
    }
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
    gradientTail(decoded, end, g, dw, blocks, units);
  }
}

/**
 * Decodes the `count` rows at `examples` once for several kernel calls (the hidden-unit
 * split's blocks): row r's nonzeros become (byte offset of W's row, with rows `ld` bytes
 * apart: u32, value: f32) pairs from pair starts[r] on, and starts[count] is the number of
 * pairs. The cache lines of each eight rows are read ahead together (touchRows).
 */
export function decodeRows(
  rowPtr: usize,
  index: usize,
  value: usize,
  idx16: bool,
  valU8: bool,
  scaleAt: usize,
  examples: usize,
  count: i32,
  ld: i32,
  starts: usize,
  pairs: usize,
): void {
  const scale = load<f32>(scaleAt);
  let at: i32 = 0;
  for (let r = 0; r < count; r++) {
    // The sum touchRows stores goes where starts[count] is written last.
    if ((r & (TOUCH_ROWS - 1)) === 0) {
      touchRows(
        rowPtr,
        index,
        value,
        idx16,
        valU8,
        examples,
        r,
        count,
        starts + ((<usize>count) << 2),
      );
    }
    store<i32>(starts + ((<usize>r) << 2), at);
    const ex = <usize>load<i32>(examples + ((<usize>r) << 2));
    const out = pairs + ((<usize>at) << 3);
    at += decodeRow(rowPtr, index, value, idx16, valU8, scale, ex, <usize>ld, out, 0, <usize>-1);
  }
  store<i32>(starts + ((<usize>count) << 2), at);
}

/**
 * csrDense over rows decoded by decodeRows (the W offsets in its pairs): out's rows are
 * `ldo` floats apart. Each output is computed as csrDense computes it, the nonzeros in the
 * same order (the same bits when `units` is a multiple of four).
 */
export function csrDenseDecoded(
  starts: usize,
  pairs: usize,
  count: i32,
  w: usize,
  bias: usize,
  out: usize,
  units: i32,
  ldo: i32,
  act: i32,
  alpha: f32,
): void {
  for (let r = 0; r < count; r++) {
    const first = pairs + ((<usize>load<i32>(starts + ((<usize>r) << 2))) << 3);
    const end = pairs + ((<usize>load<i32>(starts + ((<usize>(r + 1)) << 2))) << 3);
    denseRow(first, end, w, bias, out + <usize>r * ((<usize>ldo) << 2), units, act, alpha);
  }
}

/**
 * dW = Xᵀ·dZ over rows decoded by decodeRows: dW's `features` rows of `units` floats (the
 * W offsets in the pairs give its row stride) are overwritten, dZ's rows are `ldz` floats
 * apart. Each gradient as csrDenseWeightGrad computes it, the examples in the same order
 * (the same bits when `units` is a multiple of four).
 */
export function csrDenseWeightGradDecoded(
  starts: usize,
  pairs: usize,
  count: i32,
  dz: usize,
  units: i32,
  ldz: i32,
  dw: usize,
  dwBytes: i32,
): void {
  memory.fill(dw, 0, <usize>dwBytes);
  // Blocks of 16 columns (a hidden-unit block): four gradient vectors a nonzero.
  const blocks = units & ~15;
  for (let r = 0; r < count; r++) {
    const first = pairs + ((<usize>load<i32>(starts + ((<usize>r) << 2))) << 3);
    const end = pairs + ((<usize>load<i32>(starts + ((<usize>(r + 1)) << 2))) << 3);
    const g = dz + <usize>r * ((<usize>ldz) << 2);
    for (let j = 0; j < blocks; j += 16) {
      const o = (<usize>j) << 2;
      const g0 = v128.load(g + o);
      const g1 = v128.load(g + o + 16);
      const g2 = v128.load(g + o + 32);
      const g3 = v128.load(g + o + 48);
      const base = dw + o;
      for (let e = first; e < end; e += 8) {
        const x = v128.load32_splat(e + 4);
        const d = base + <usize>load<u32>(e);
        v128.store(d, madd(x, g0, v128.load(d)));
        v128.store(d + 16, madd(x, g1, v128.load(d + 16)));
        v128.store(d + 32, madd(x, g2, v128.load(d + 32)));
        v128.store(d + 48, madd(x, g3, v128.load(d + 48)));
      }
    }
    gradientTail(first, end, g, dw, blocks, units);
  }
}

/**
 * The columns [from, units) of one row's weight gradient after the caller's blocks: dW's
 * rows at the pairs' offsets get value · dZ's row added, four columns at a time, then one.
 */
function gradientTail(first: usize, end: usize, g: usize, dw: usize, from: i32, units: i32): void {
  const quads = units & ~3;
  for (let j = from; j < quads; j += 4) {
    const o = (<usize>j) << 2;
    const gv = v128.load(g + o);
    for (let e = first; e < end; e += 8) {
      const d = dw + o + <usize>load<u32>(e);
      v128.store(d, madd(v128.load32_splat(e + 4), gv, v128.load(d)));
    }
  }
  for (let j = quads; j < units; j++) {
    const o = (<usize>j) << 2;
    const gs = load<f32>(g + o);
    for (let e = first; e < end; e += 8) {
      const d = dw + o + <usize>load<u32>(e);
      store<f32>(d, load<f32>(d) + load<f32>(e + 4) * gs);
    }
  }
}
