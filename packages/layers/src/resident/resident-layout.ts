/**
 * The resident step's memory layout (resident-step.ts), as byte offsets into its
 * WebAssembly memory.
 *
 * Batch-wide buffers (`shared`, `sharedRows` rows, each 64-aligned), per op in plan order:
 *   the op's output (its activations; a dropout op also its mask), then for a Dense op its
 *   dZ; before them the input rows when the first Dense layer reads dense rows.
 * Private scratch (`scratch`), for `maxRows` rows:
 *   context     the GEMM instance's tile state (ResidentKernels.contextBytes())
 *   targets     maxRows × targetWidth floats (gathered by the caller)
 *   grads       per op, maxRows × its width: the gradient reaching its output
 *   temp        maxRows × maxWidth floats: a gradient added to one that arrived before
 *   work        the largest GEMM workspace of the plan
 *   decoded     8 bytes per input feature: one sparse row's nonzeros, decoded
 *   packed      sharedRows × maxWidth floats: a Dense layer's input columns packed for a
 *               slice's GEMM (a hidden layer may be wider than the model's input)
 *   sums        maxWidth floats: a bias gradient
 *   slice       sliceFloats floats plus a row of slack each side: a slice's gradient
 *   constants   16 bytes: the kernels' fractional arguments (the input scale)
 */
import { ResidentKernels, residentWorkspaceBytes } from '@tessera/core';
import type { PlannedOp, ResidentPlan } from './plan-types.js';

const ALIGN = 64;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** Values a row of the op's output holds. */
export function widthOf(op: PlannedOp): number {
  return op.kind === 'dense' ? op.units : op.width;
}

function workspace(plan: ResidentPlan, rows: number, sharedRows: number): number {
  let most = 64;
  for (const op of plan.ops) {
    if (op.kind !== 'dense') continue;
    most = Math.max(
      most,
      residentWorkspaceBytes(rows, op.units, op.inputs),
      residentWorkspaceBytes(op.inputs, op.units, sharedRows),
      residentWorkspaceBytes(rows, op.inputs, op.units),
    );
  }
  return most;
}

/** Batch-wide buffers: per op its output (and mask) and, for Dense, its dZ; byte offsets. */
export function sharedLayout(plan: ResidentPlan, rows: number, base: number) {
  let at = base;
  const take = (floats: number): number => {
    const ptr = at;
    at += align(floats * 4);
    return ptr;
  };
  const input = take(rows * plan.features);
  const ops = plan.ops.map((op) => {
    const w = rows * widthOf(op);
    return {
      mask: op.kind === 'dropout' ? take(w) : 0,
      output: take(w),
      dz: op.kind === 'dense' ? take(w) : 0,
    };
  });
  return { input, ops, end: at - base };
}

/** The slack each side of a slice's gradient: a whole kernel row may start before the slice. */
export function slackFloats(plan: ResidentPlan): number {
  return Math.ceil(Math.max(16, ...plan.ops.map(widthOf)) / 16) * 16;
}

/** The private scratch of one worker's step for `rows` rows; byte offsets from `base`. */
export function scratchLayout(
  plan: ResidentPlan,
  rows: number,
  sharedRows: number,
  sliceFloats: number,
  base: number,
) {
  let at = base + align(ResidentKernels.contextBytes());
  const take = (floats: number): number => {
    const ptr = at;
    at += align(floats * 4);
    return ptr;
  };
  const targets = take(rows * plan.targetWidth);
  const grads = plan.ops.map((op) => take(rows * widthOf(op)));
  const temp = take(rows * plan.maxWidth);
  const work = take(workspace(plan, rows, sharedRows) / 4);
  const decoded = take(plan.features * 2);
  const packed = take(sharedRows * plan.maxWidth);
  const sums = take(plan.maxWidth);
  const slice = take(sliceFloats + 2 * slackFloats(plan));
  const constants = take(4);
  return { targets, grads, temp, work, decoded, packed, sums, slice, constants, end: at - base };
}

/**
 * The float ranges of the parameter vector that none of the plan's weights covers, as
 * `[start, end)` pairs in order (the last ending at Infinity): the padding that aligns each
 * weight, whose gradient is 0.
 */
export function parameterGaps(
  plan: ResidentPlan,
  offsets: readonly { kernel: number; bias: number }[],
): Float64Array {
  const covered: [number, number][] = [];
  plan.ops.forEach((op, i) => {
    if (op.kind !== 'dense') return;
    const o = offsets[i]!;
    covered.push([o.kernel, o.kernel + op.inputs * op.units]);
    if (o.bias >= 0) covered.push([o.bias, o.bias + op.units]);
  });
  covered.sort((x, y) => x[0] - y[0]);
  const gaps: number[] = [];
  let at = 0;
  for (const [start, end] of covered) {
    if (start > at) gaps.push(at, start);
    at = Math.max(at, end);
  }
  gaps.push(at, Number.POSITIVE_INFINITY);
  return Float64Array.from(gaps);
}

/** The batch-wide buffers' layout (`sharedLayout`). */
export type SharedLayout = ReturnType<typeof sharedLayout>;

/** The private scratch's layout (`scratchLayout`). */
export type ScratchLayout = ReturnType<typeof scratchLayout>;
