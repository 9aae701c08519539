/**
 * Which planned models the resident step can split by hidden units (unit-split-step.ts),
 * and that step's memory: a first Dense layer over compressed input rows, then a second
 * Dense layer reading its output, then only row-wise ops (softmax, activations) before the
 * loss, with a multiple of UNIT_BLOCK hidden units. The hidden units are cut into blocks of
 * UNIT_BLOCK; the output layer's pre-activation is the sum of one partial product per
 * block, added in block order, so that the bits do not depend on which worker computed
 * which block. The living description is docs/resident-step.md ("Split by hidden units").
 */
import { residentWorkspaceBytes } from '@tessera/core';
import type { ResidentPlan } from './plan-types.js';

/** Hidden units per block: a partial product of the output layer each. */
export const UNIT_BLOCK = 16;

/** The model's shape as the split step reads it. */
export interface UnitSplitShape {
  features: number;
  /** Units of the first (hidden) Dense layer. */
  hidden: number;
  /** Units of the output Dense layer. */
  outputs: number;
  /** Blocks of UNIT_BLOCK hidden units. */
  blocks: number;
}

/**
 * The shape of a plan the split step can train, or undefined. The caller checks the rest
 * (compressed input rows, a fused optimizer, the memory of the decoded rows).
 */
export function unitSplitShape(plan: ResidentPlan): UnitSplitShape | undefined {
  const [hidden, output, ...tail] = plan.ops;
  if (hidden?.kind !== 'dense' || hidden.from[0] !== -1) return undefined;
  if (output?.kind !== 'dense' || output.from.length !== 1 || output.from[0] !== 0) {
    return undefined;
  }
  if (hidden.units % UNIT_BLOCK !== 0) return undefined;
  const rowWise = tail.every(
    (op, i) => (op.kind === 'softmax' || op.kind === 'activation') && op.from[0] === i + 1,
  );
  if (!rowWise) return undefined;
  return {
    features: plan.features,
    hidden: hidden.units,
    outputs: output.units,
    blocks: hidden.units / UNIT_BLOCK,
  };
}

/**
 * Most bytes the split's decoded rows may take over all workers (8 bytes per feature of
 * each of a worker's rows, sized for rows that are all nonzeros): a model with wider
 * inputs trains on the row split.
 */
export const UNIT_SPLIT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

/**
 * Blocks [first, end) of worker q's own range among `workers` (contiguous, about equal):
 * the blocks it takes first in each phase, whose weights stay in its caches.
 */
export function unitRange(
  shape: UnitSplitShape,
  q: number,
  workers: number,
): { first: number; end: number } {
  return {
    first: Math.floor((q * shape.blocks) / workers),
    end: Math.floor(((q + 1) * shape.blocks) / workers),
  };
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Bytes of the partial products every worker reads: a block's rows × outputs floats each. */
export function unitPartialBytes(shape: UnitSplitShape, rows: number): number {
  return shape.blocks * unitPartialStride(shape, rows);
}

/** Bytes from one block's partial product to the next. */
export function unitPartialStride(shape: UnitSplitShape, rows: number): number {
  return align(rows * shape.outputs * 4);
}

/**
 * A worker's private scratch of the split step, byte offsets from `base`, for `rows` rows:
 *   constants  16 bytes: the input scale the compressed-row kernels read
 *   targets    rows × targetWidth floats (the whole batch's, gathered by the caller)
 *   g0, g1     rows × maxWidth floats each: the gradient through the row-wise ops
 *   dBlock     rows × UNIT_BLOCK floats: a block's dH, then its dZ
 *   kernel     features × UNIT_BLOCK floats: a block's kernel gradient
 *   bias       UNIT_BLOCK floats; outKernel UNIT_BLOCK × outputs floats; outBias outputs
 *   starts     rows + 1 int32: where each row's nonzeros start among the pairs
 *   pairs      8 bytes per feature of each row: the batch's rows, decoded once a step
 *   work       the largest GEMM workspace of the block products
 */
export function unitScratchLayout(
  shape: UnitSplitShape,
  plan: ResidentPlan,
  rows: number,
  base: number,
) {
  let at = base;
  const take = (floats: number): number => {
    const ptr = at;
    at += align(floats * 4);
    return ptr;
  };
  const { features, outputs } = shape;
  const constants = take(4);
  const targets = take(rows * plan.targetWidth);
  const g0 = take(rows * plan.maxWidth);
  const g1 = take(rows * plan.maxWidth);
  const dBlock = take(rows * UNIT_BLOCK);
  const kernel = take(features * UNIT_BLOCK);
  const bias = take(UNIT_BLOCK);
  const outKernel = take(UNIT_BLOCK * outputs);
  const outBias = take(outputs);
  const starts = take(rows + 1);
  const pairs = take(rows * features * 2);
  const workBytes = Math.max(
    64,
    residentWorkspaceBytes(rows, outputs, UNIT_BLOCK),
    residentWorkspaceBytes(rows, UNIT_BLOCK, outputs),
    residentWorkspaceBytes(UNIT_BLOCK, outputs, rows),
  );
  const work = take(workBytes / 4);
  // biome-ignore format: the layout's fields
  return { constants, targets, g0, g1, dBlock, kernel, bias, outKernel, outBias, starts, pairs, work, end: at - base };
}

/** The split step's private scratch layout. */
export type UnitScratchLayout = ReturnType<typeof unitScratchLayout>;
