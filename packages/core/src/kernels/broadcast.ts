/**
 * NumPy-style broadcasting reduced to what a loop needs: the output shape and, per output
 * dimension, how far each input moves (0 along a broadcast dimension). Adjacent
 * dimensions that both inputs walk contiguously are merged, so a same-shape op is one
 * flat loop and a row broadcast ([m, n] with [n]) is m loops of n.
 */

/** How to walk one binary broadcast. */
export interface BroadcastPlan {
  /** Shape of the result, as tfjs computes it. */
  outShape: number[];
  /** Elements in the result. */
  size: number;
  /** Merged output dimensions, outermost first (empty for a scalar result). */
  dims: number[];
  /** Per merged dimension, elements of `a` to step per output step (0 when broadcast). */
  aSteps: number[];
  /** Per merged dimension, elements of `b` to step per output step (0 when broadcast). */
  bSteps: number[];
}

/** The plan for `aShape` with `bShape`, or null when the shapes do not broadcast. */
export function planBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
): BroadcastPlan | null {
  const rank = Math.max(aShape.length, bShape.length);
  const outShape = new Array<number>(rank);
  const aFull = new Array<number>(rank);
  const bFull = new Array<number>(rank);
  let aStride = 1;
  let bStride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    const ad = aShape[d - (rank - aShape.length)] ?? 1;
    const bd = bShape[d - (rank - bShape.length)] ?? 1;
    if (ad !== bd && ad !== 1 && bd !== 1) return null;
    outShape[d] = ad === 1 ? bd : ad;
    aFull[d] = ad === 1 ? 0 : aStride;
    bFull[d] = bd === 1 ? 0 : bStride;
    aStride *= ad;
    bStride *= bd;
  }
  let size = 1;
  for (const d of outShape) size *= d;
  const dims: number[] = [];
  const aSteps: number[] = [];
  const bSteps: number[] = [];
  for (let d = 0; d < rank; d++) {
    const n = outShape[d]!;
    if (n === 1) continue;
    const last = dims.length - 1;
    // Merge into the previous dimension when one step there is n steps here for both inputs.
    if (last >= 0 && aSteps[last] === aFull[d]! * n && bSteps[last] === bFull[d]! * n) {
      dims[last] = dims[last]! * n;
      aSteps[last] = aFull[d]!;
      bSteps[last] = bFull[d]!;
    } else {
      dims.push(n);
      aSteps.push(aFull[d]!);
      bSteps.push(bFull[d]!);
    }
  }
  return { outShape, size, dims, aSteps, bSteps };
}

/**
 * One run of `n` output elements starting at `o`, reading `a` from `ai` in steps of
 * `as` and `b` from `bi` in steps of `bs`.
 */
export type RowLoop<A, B, O> = (
  out: O,
  o: number,
  a: A,
  ai: number,
  as: number,
  b: B,
  bi: number,
  bs: number,
  n: number,
) => void;

/** Runs `row` over the whole plan: one call per run of the innermost merged dimension. */
export function walkBroadcast<A, B, O>(
  plan: BroadcastPlan,
  row: RowLoop<A, B, O>,
  out: O,
  a: A,
  b: B,
): void {
  const { dims, aSteps, bSteps, size } = plan;
  if (size === 0) return;
  const r = dims.length;
  if (r === 0) {
    row(out, 0, a, 0, 0, b, 0, 0, 1);
    return;
  }
  const n = dims[r - 1]!;
  const as = aSteps[r - 1]!;
  const bs = bSteps[r - 1]!;
  if (r === 1) {
    row(out, 0, a, 0, as, b, 0, bs, n);
    return;
  }
  const index = new Array<number>(r - 1).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < size; o += n) {
    row(out, o, a, ai, as, b, bi, bs, n);
    for (let d = r - 2; d >= 0; d--) {
      ai += aSteps[d]!;
      bi += bSteps[d]!;
      if (++index[d]! < dims[d]!) break;
      ai -= aSteps[d]! * dims[d]!;
      bi -= bSteps[d]! * dims[d]!;
      index[d] = 0;
    }
  }
}
