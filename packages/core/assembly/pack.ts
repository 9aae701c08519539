// Packing: copies a block of op(B) into 8-column panels and a block of op(A) into 4-row
// panels so that the tile loop reads both with unit stride. Transposes are absorbed here.
// All sizes are in elements; pointers are byte addresses in linear memory.

/** Columns of one packed B panel (two f32x4 registers). */
export const NR: i32 = 8;
/** Rows of one packed A panel. */
export const MR: i32 = 4;

/** Address of element `index` of an f32 array at `base`. */
function at(base: usize, index: usize): usize {
  return base + (index << 2);
}

/** Transposes the 4×4 block whose rows start at r0..r3 and stores its columns at dst + t*stride. */
function transpose4(r0: usize, r1: usize, r2: usize, r3: usize, dst: usize, stride: usize): void {
  const x0 = v128.load(r0);
  const x1 = v128.load(r1);
  const x2 = v128.load(r2);
  const x3 = v128.load(r3);
  const lo01 = f32x4.shuffle(x0, x1, 0, 4, 1, 5);
  const lo23 = f32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const hi01 = f32x4.shuffle(x0, x1, 2, 6, 3, 7);
  const hi23 = f32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(lo01, lo23, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(hi01, hi23, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(hi01, hi23, 2, 3, 6, 7));
}

/**
 * Packs columns j0..j0+width of rows k0..k0+kc of op(B) into one panel of kc rows × 8
 * floats, zero-padding columns past `width`.
 */
function packPanel(
  b: usize,
  n: i32,
  k: i32,
  transB: bool,
  k0: i32,
  kc: i32,
  j0: i32,
  width: i32,
  panel: usize,
): void {
  const rowBytes = (<usize>NR) << 2;
  let kk = 0;
  if (!transB && width === NR) {
    for (; kk < kc; kk++) {
      const src = at(b, <usize>(k0 + kk) * <usize>n + <usize>j0);
      const out = panel + <usize>kk * rowBytes;
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
    }
  } else if (transB && width === NR) {
    // op(B)[kk][j] = b[j*k + kk]: four rows of b transpose into four rows of the panel.
    const rs = (<usize>k) << 2;
    for (; kk + 4 <= kc; kk += 4) {
      const out = panel + <usize>kk * rowBytes;
      for (let half = 0; half < NR; half += 4) {
        const r0 = at(b, <usize>(j0 + half) * <usize>k + <usize>(k0 + kk));
        transpose4(r0, r0 + rs, r0 + 2 * rs, r0 + 3 * rs, out + ((<usize>half) << 2), rowBytes);
      }
    }
  }
  for (; kk < kc; kk++) {
    const out = panel + <usize>kk * rowBytes;
    for (let t = 0; t < NR; t++) {
      let value: f32 = 0;
      if (t < width) {
        const index = transB
          ? <usize>(j0 + t) * <usize>k + <usize>(k0 + kk)
          : <usize>(k0 + kk) * <usize>n + <usize>(j0 + t);
        value = load<f32>(at(b, index));
      }
      store<f32>(out + ((<usize>t) << 2), value);
    }
  }
}

/**
 * Packs rows k0..k0+kc of op(B) (k×n) into ceil(n/8) panels of kc×8 floats, zero-padding
 * the columns past n. B is k×n row-major, or n×k when transposed.
 */
export function packB(b: usize, n: i32, k: i32, transB: bool, k0: i32, kc: i32, dst: usize): void {
  const panels = (n + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const j0 = p * NR;
    const panel = dst + ((<usize>p * <usize>kc * NR) << 2);
    packPanel(b, n, k, transB, k0, kc, j0, min(NR, n - j0), panel);
  }
}

/**
 * Packs rows i0..i0+mc and columns k0..k0+kc of op(A) (m×k) into ceil(mc/4) panels of
 * kc×4 floats, zero-padding rows past m. Used when A is transposed (stored k×m), where
 * four consecutive rows of op(A) are one contiguous f32x4 in memory.
 */
export function packATransposed(
  a: usize,
  m: i32,
  k0: i32,
  kc: i32,
  i0: i32,
  mc: i32,
  dst: usize,
): void {
  const panels = (mc + MR - 1) / MR;
  for (let p = 0; p < panels; p++) {
    const i = i0 + p * MR;
    const height = min(MR, i0 + mc - i);
    const panel = dst + ((<usize>p * <usize>kc * MR) << 2);
    if (height === MR) {
      for (let kk = 0; kk < kc; kk++) {
        const src = at(a, <usize>(k0 + kk) * <usize>m + <usize>i);
        v128.store(panel + ((<usize>kk * MR) << 2), v128.load(src));
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const out = panel + ((<usize>kk * MR) << 2);
        for (let r = 0; r < MR; r++) {
          const value: f32 =
            r < height ? load<f32>(at(a, <usize>(k0 + kk) * <usize>m + <usize>(i + r))) : 0;
          store<f32>(out + ((<usize>r) << 2), value);
        }
      }
    }
  }
}
