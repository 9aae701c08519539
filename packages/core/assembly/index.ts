// Single-precision GEMM for tfjs's BatchMatMul and _FusedMatMul kernels:
//
//   C[m×n] = act(op(A)[m×k] · op(B)[k×n] + bias[n])
//
// where op(X) is X or its transpose. The caller (src/kernels/wasm-engine.ts) copies A, B
// and the bias into this module's memory, reserves `workspaceBytes(m, n, k)` bytes of
// scratch, calls `gemm`, and copies C out.
//
// Blocking: K is cut into blocks of at most KC_MAX; each k-block of op(B) is packed into
// 8-column panels that stay in L1 while the 4-row panels of op(A) stream from L2. op(A)
// is read in place (rows of A, or four adjacent floats of a transposed A per k) except
// when A is transposed and there are many B panels, where packing it pays off.
//
// Narrow outputs (n = 10 for a 10-class layer, n = 1 for a regression head) would waste
// most of an 8-column panel, so when that wastes more than 4-row panels would, the
// module computes Cᵀ = op(B)ᵀ·op(A)ᵀ instead and the tiles write their blocks transposed.
import { ACT_LINEAR, inEpilogue, postActivate } from './activation';
import { MR, NR, packATransposed, packB } from './pack';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { EDGE_BYTES, runTile, setEdge, staticTile, Tile } from './tile';

export * from './resident';
// The optimizer update rules share the module (and its build) with the GEMM.
export { adam } from './update';

/** Longest k-block: a packed 8×KC B panel (8 KiB) and a 4×KC A panel fit in L1 together. */
const KC_MAX: i32 = 256;
/** Rows of op(A) per block: an MC×KC block of A (256 KiB) stays in L2. */
const MC_MAX: i32 = 256;
/** A transposed A is packed only when more B panels than this reuse each A panel. */
const PACK_A_MIN_PANELS: i32 = 16;

let tile = staticTile();

/** Bytes of one context: the tile's state and its EDGE block (see `useContext`). */
export function contextBytes(): usize {
  return ((offsetof<Tile>() + 15) & ~15) + EDGE_BYTES;
}

/**
 * Moves this instance's mutable GEMM state (the tile and its EDGE block) to
 * `contextBytes()` bytes at `at` (16-byte aligned). Instances that import one shared
 * memory (one per worker thread) each call it with their own region; an instance with
 * its own memory may keep the static default.
 */
export function useContext(at: usize): void {
  tile = changetype<Tile>(at);
  setEdge(at + ((offsetof<Tile>() + 15) & ~15));
}

function roundUp(x: usize, multiple: usize): usize {
  return ((x + multiple - 1) / multiple) * multiple;
}

/** Fraction of the computed tile area that is real output when rows pad to 4 and columns to 8. */
function tileEfficiency(rows: i32, cols: i32): f64 {
  return (<f64>rows / <f64>roundUp(rows, MR)) * (<f64>cols / <f64>roundUp(cols, NR));
}

/** Whether computing Cᵀ wastes clearly less of the tiles than computing C. */
function computeTransposed(m: i32, n: i32): bool {
  return tileEfficiency(n, m) > 1.1 * tileEfficiency(m, n);
}

/** First free byte after this module's static data; the caller's buffers start there. */
export function heapBase(): usize {
  return __heap_base;
}

/** Scratch bytes `gemm` needs for an m×n×k problem (padded bias, packed B, packed A). */
export function workspaceBytes(m: i32, n: i32, k: i32): usize {
  const big = <usize>max(m, n);
  const np = roundUp(big, NR);
  const kc = <usize>min(k, KC_MAX);
  const mc = roundUp(<usize>min(big, MC_MAX), MR);
  return (np + np * kc + mc * kc) * 4 + 64;
}

/**
 * C = act(op(A) · op(B) + bias). A is m×k row-major (k×m when transA), B is k×n (n×k
 * when transB), C is m×n row-major. `bias` (0 for none) points to n floats added to every
 * row. `act` is an activation code from activation.ts; `alpha` is the leaky-ReLU slope;
 * `preluWeights` points to n per-column slopes for PReLU. `work` points to
 * workspaceBytes(m, n, k) bytes of scratch, 16-byte aligned. Needs m, n, k >= 1.
 */
export function gemm(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  transA: bool,
  transB: bool,
  bias: usize,
  act: i32,
  alpha: f32,
  preluWeights: usize,
  work: usize,
): void {
  const ldc = (<usize>n) << 2;
  // Bias padded with zeros so a tile may read a whole panel of it past the last column.
  const biasPadded = work;
  const biasLength = roundUp(<usize>n, NR);
  if (bias !== 0) {
    memory.fill(biasPadded, 0, biasLength << 2);
    memory.copy(biasPadded, bias, (<usize>n) << 2);
  }
  const bPack = work + (biasLength << 2);
  tile.transposed = computeTransposed(m, n);
  if (tile.transposed) {
    // Cᵀ (n×m) = op(B)ᵀ · op(A)ᵀ: B plays A (stored transposed when B is not), and A plays B.
    blocked(
      b,
      a,
      c,
      n,
      m,
      k,
      !transB,
      !transA,
      bias !== 0 ? biasPadded : 0,
      act,
      alpha,
      bPack,
      4,
      ldc,
    );
  } else {
    blocked(
      a,
      b,
      c,
      m,
      n,
      k,
      transA,
      transB,
      bias !== 0 ? biasPadded : 0,
      act,
      alpha,
      bPack,
      ldc,
      4,
    );
  }
  if (!inEpilogue(act)) postActivate(c, m, n, act, preluWeights);
}

/**
 * The blocked loop over one orientation. Tile (i, j) of this orientation starts at
 * c + i·rowStride + j·colStride bytes: (ldc, 4) for C itself, (4, ldc) for Cᵀ.
 */
function blocked(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  transA: bool,
  transB: bool,
  bias: usize,
  act: i32,
  alpha: f32,
  bPack: usize,
  rowStride: usize,
  colStride: usize,
): void {
  const blocks = (k + KC_MAX - 1) / KC_MAX;
  const kcNominal = (k + blocks - 1) / blocks;
  const panels = (n + NR - 1) / NR;
  const aPack = bPack + ((<usize>panels * NR * <usize>kcNominal) << 2);
  const packA = transA && panels > PACK_A_MIN_PANELS;
  // A row-major B of whole 8-column panels is read where it is: packing it copies all of B
  // at every call, which for a few rows of A (a row chunk's forward: 8 rows against a
  // 784×128 kernel) added about 40% to the products' time. The same products in the same
  // order either way, so the same bits.
  const inPlace = !transB && n % NR === 0;
  tile.bStep = inPlace ? (<usize>n) << 2 : NR << 2;
  tile.act = inEpilogue(act) ? act : ACT_LINEAR;
  tile.alpha = alpha;
  tile.ldc = tile.transposed ? colStride : rowStride;

  for (let k0 = 0; k0 < k; k0 += kcNominal) {
    const kc = min(kcNominal, k - k0);
    if (!inPlace) packB(b, n, k, transB, k0, kc, bPack);
    tile.kc = kc;
    tile.first = k0 === 0;
    tile.last = k0 + kc >= k;
    for (let i0 = 0; i0 < m; i0 += MC_MAX) {
      const mc = min(MC_MAX, m - i0);
      if (packA) packATransposed(a, m, k0, kc, i0, mc, aPack);
      for (let p = 0; p < panels; p++) {
        const j0 = p * NR;
        tile.b = inPlace
          ? b + ((<usize>k0 * <usize>n + <usize>j0) << 2)
          : bPack + ((<usize>p * <usize>kc * NR) << 2);
        tile.cols = min(NR, n - j0);
        for (let i = i0; i < i0 + mc; i += MR) {
          const rows = min(MR, m - i);
          tile.rows = rows;
          tile.c = c + <usize>i * rowStride + <usize>j0 * colStride;
          // One bias value per column of C: along the columns of a tile of C, along the rows
          // of a tile of Cᵀ.
          tile.bias = bias === 0 ? 0 : bias + ((<usize>(tile.transposed ? i : j0)) << 2);
          setRows(a, m, k, k0, kc, transA, packA, aPack, i, i0, rows);
          runTile(tile);
        }
      }
    }
  }
}

/** Points the tile at rows i..i+rows of op(A) for the k-block starting at k0. */
function setRows(
  a: usize,
  m: i32,
  k: i32,
  k0: i32,
  kc: i32,
  transA: bool,
  packA: bool,
  aPack: usize,
  i: i32,
  i0: i32,
  rows: i32,
): void {
  let start: usize;
  let rowBytes: usize;
  if (packA) {
    start = aPack + ((<usize>((i - i0) / MR) * <usize>kc * MR) << 2);
    rowBytes = 4;
    tile.aStep = MR << 2;
  } else if (transA) {
    // op(A)[i + r][kk] = a[kk·m + i + r]: four adjacent floats per k.
    start = a + (<usize>k0 * <usize>m + <usize>i) * 4;
    rowBytes = 4;
    tile.aStep = (<usize>m) << 2;
  } else {
    start = a + (<usize>i * <usize>k + <usize>k0) * 4;
    rowBytes = (<usize>k) << 2;
    tile.aStep = 4;
  }
  // Rows past the edge read row i again; their results are never stored.
  tile.a0 = start;
  tile.a1 = rows > 1 ? start + rowBytes : start;
  tile.a2 = rows > 2 ? start + 2 * rowBytes : start;
  tile.a3 = rows > 3 ? start + 3 * rowBytes : start;
}
