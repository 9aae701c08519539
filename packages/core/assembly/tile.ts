// The 4×8 register tile: eight f32x4 accumulators hold a 4-row × 8-column block of C
// while the loop walks one k-block of a 4-row A panel and an 8-column B panel. Larger
// tiles spill registers in V8's code generator and run slower. A tile can also write its
// block transposed, for a GEMM computed as Cᵀ = op(B)ᵀ·op(A)ᵀ (see index.ts).
import { ACT_LEAKYRELU, ACT_RELU, ACT_RELU6 } from './activation';

/**
 * Scratch 4×8 block for tiles that are not written straight into C. A global (one per
 * instance), so that instances sharing one memory each point it into their own context
 * (see `useContext` in index.ts).
 */
let EDGE: usize = memory.data(4 * 8 * 4, 16);

/** Bytes of the EDGE block. */
export const EDGE_BYTES: usize = 4 * 8 * 4;

/** Points EDGE at `at` (16-byte aligned, EDGE_BYTES long). */
export function setEdge(at: usize): void {
  EDGE = at;
}

/** Applies a vector activation to one register of four lanes. */
function activate4(v: v128, act: i32, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  if (act === ACT_RELU) return f32x4.max(v, zero);
  if (act === ACT_RELU6) return f32x4.min(f32x4.max(v, zero), f32x4.splat(6));
  if (act === ACT_LEAKYRELU) {
    return v128.bitselect(f32x4.mul(v, f32x4.splat(alpha)), v, f32x4.lt(v, zero));
  }
  return v;
}

/** a * b + c, fused where the relaxed-SIMD build and the CPU allow it. */
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Loads the tile's rows×cols block of C into EDGE (zero elsewhere). Transposed, EDGE
 * row r, column j is C[j][r].
 */
function edgeIn(c: usize, ldc: usize, rows: i32, cols: i32, transposed: bool): void {
  memory.fill(EDGE, 0, 4 * 8 * 4);
  for (let r = 0; r < rows; r++) {
    if (transposed) {
      for (let j = 0; j < cols; j++) {
        store<f32>(EDGE + <usize>(r * 8 + j) * 4, load<f32>(c + <usize>j * ldc + <usize>r * 4));
      }
    } else {
      memory.copy(EDGE + <usize>r * 32, c + <usize>r * ldc, (<usize>cols) << 2);
    }
  }
}

/** Writes the rows×cols block of EDGE back into C (transposed like edgeIn). */
function edgeOut(c: usize, ldc: usize, rows: i32, cols: i32, transposed: bool): void {
  for (let r = 0; r < rows; r++) {
    if (transposed) {
      for (let j = 0; j < cols; j++) {
        store<f32>(c + <usize>j * ldc + <usize>r * 4, load<f32>(EDGE + <usize>(r * 8 + j) * 4));
      }
    } else {
      memory.copy(c + <usize>r * ldc, EDGE + <usize>r * 32, (<usize>cols) << 2);
    }
  }
}

/**
 * Where one tile reads A, B and writes C, and what it does at the start and end of K.
 * Unmanaged and placed in static memory (see `staticTile`): nothing is allocated on the
 * heap, which belongs to the caller from `__heap_base` on.
 */
@unmanaged
export class Tile {
  /** Addresses of op(A)[row r][k0] for r = 0..3 (rows past the edge repeat row 0). */
  a0: usize = 0;
  a1: usize = 0;
  a2: usize = 0;
  a3: usize = 0;
  /** Bytes between op(A)[r][k] and op(A)[r][k+1]. */
  aStep: usize = 0;
  /** This k-block's 8 columns of B: a packed panel, or B itself (see bStep). */
  b: usize = 0;
  /** Bytes between B's rows k and k+1 at `b`: 32 in a packed panel, B's row bytes in place. */
  bStep: usize = 32;
  /** Length of the k-block. */
  kc: i32 = 0;
  /** Address of the tile's first element in C and the row stride of C in bytes. */
  c: usize = 0;
  ldc: usize = 0;
  /** Valid rows (1..4) and columns (1..8) of the block. */
  rows: i32 = 0;
  cols: i32 = 0;
  /** The block's row r, column j goes to C[j][r] instead of C[r][j]. */
  transposed: bool = false;
  /**
   * Bias for the first k-block, 0 for none: 8 values, one per column, or (transposed) 4
   * values, one per row.
   */
  bias: usize = 0;
  /** First k-block starts from the bias (or zero); later ones accumulate onto C. */
  first: bool = true;
  /** Last k-block applies the activation. */
  last: bool = true;
  act: i32 = 0;
  alpha: f32 = 0;
}

/** A Tile in static memory; its fields are set by the caller before each use. */
export function staticTile(): Tile {
  return changetype<Tile>(memory.data(offsetof<Tile>(), 16));
}

/** Computes one tile: C[4×8] (+)= A[4×kc] · B[kc×8], then bias / activation as configured. */
export function runTile(t: Tile): void {
  let c00: v128;
  let c01: v128;
  let c10: v128;
  let c11: v128;
  let c20: v128;
  let c21: v128;
  let c30: v128;
  let c31: v128;
  // Full, untransposed blocks go straight to C; the rest pass through EDGE.
  const direct = t.rows === 4 && t.cols === 8 && !t.transposed;
  if (t.first) {
    if (t.bias === 0) {
      c00 = f32x4.splat(0);
      c01 = c00;
      c10 = c00;
      c11 = c00;
      c20 = c00;
      c21 = c00;
      c30 = c00;
      c31 = c00;
    } else if (t.transposed) {
      c00 = v128.load32_splat(t.bias);
      c01 = c00;
      c10 = v128.load32_splat(t.bias, 4);
      c11 = c10;
      c20 = v128.load32_splat(t.bias, 8);
      c21 = c20;
      c30 = v128.load32_splat(t.bias, 12);
      c31 = c30;
    } else {
      c00 = v128.load(t.bias);
      c01 = v128.load(t.bias, 16);
      c10 = c00;
      c11 = c01;
      c20 = c00;
      c21 = c01;
      c30 = c00;
      c31 = c01;
    }
  } else {
    let src = t.c;
    let ld = t.ldc;
    if (!direct) {
      edgeIn(t.c, t.ldc, t.rows, t.cols, t.transposed);
      src = EDGE;
      ld = 32;
    }
    c00 = v128.load(src);
    c01 = v128.load(src, 16);
    c10 = v128.load(src + ld);
    c11 = v128.load(src + ld, 16);
    c20 = v128.load(src + 2 * ld);
    c21 = v128.load(src + 2 * ld, 16);
    c30 = v128.load(src + 3 * ld);
    c31 = v128.load(src + 3 * ld, 16);
  }

  let a0 = t.a0;
  let a1 = t.a1;
  let a2 = t.a2;
  let a3 = t.a3;
  let b = t.b;
  const step = t.aStep;
  const bStep = t.bStep;
  for (let kk = t.kc; kk > 0; kk--) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a0 += step;
    a1 += step;
    a2 += step;
    a3 += step;
    b += bStep;
  }

  if (t.last) {
    const act = t.act;
    const alpha = t.alpha;
    c00 = activate4(c00, act, alpha);
    c01 = activate4(c01, act, alpha);
    c10 = activate4(c10, act, alpha);
    c11 = activate4(c11, act, alpha);
    c20 = activate4(c20, act, alpha);
    c21 = activate4(c21, act, alpha);
    c30 = activate4(c30, act, alpha);
    c31 = activate4(c31, act, alpha);
  }

  const dst = direct ? t.c : EDGE;
  const ld = direct ? t.ldc : 32;
  v128.store(dst, c00);
  v128.store(dst, c01, 16);
  v128.store(dst + ld, c10);
  v128.store(dst + ld, c11, 16);
  v128.store(dst + 2 * ld, c20);
  v128.store(dst + 2 * ld, c21, 16);
  v128.store(dst + 3 * ld, c30);
  v128.store(dst + 3 * ld, c31, 16);
  if (!direct) edgeOut(t.c, t.ldc, t.rows, t.cols, t.transposed);
}
