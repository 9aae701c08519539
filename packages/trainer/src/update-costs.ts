/**
 * What the update phase of the resident step costs per parameter, so that its chunks
 * (update-balance.ts) take about equal time rather than hold equal numbers of parameters.
 * A chunk computes its parameters' gradient over the batch, then applies the optimizer:
 * a Dense kernel's weight (f, u) costs one multiply-add per row of the batch whose input
 * f is nonzero — every row for dense inputs, on compressed rows only those whose feature
 * f is nonzero — and every parameter one optimizer update. On MNIST the middle pixels are
 * nonzero in most images and the border ones in almost none, so equal numbers of
 * parameters differed several times in cost, and the worker with the costlier half of
 * the chunks kept the other waiting at the end of each step (≈ 40 µs of a 0.62 ms step).
 */
import { PARAMETER_ALIGNMENT } from '@tessera/core';
import type { ResidentPlan } from '@tessera/layers';

/**
 * One multiply-add of a weight's gradient relative to one optimizer update of a weight:
 * measured on the reference network (MNIST, batch 128, one worker), the sparse weight
 * gradient took 0.15 ns per multiply-add and Adam 1.1 ns per weight.
 */
export const MULTIPLY_ADD_COST = 0.14;

export interface UpdateCostArgs {
  plan: ResidentPlan;
  /** Float offset of a weight in the parameter vector, by store name. */
  offsetOf: (name: string) => number;
  /** Floats of the trainable parameters. */
  trainableLength: number;
  batchSize: number;
  /** With compressed input rows: how many rows have each feature nonzero, and the rows. */
  sparse?: { nonzerosByFeature: ArrayLike<number>; rows: number };
}

/** The cost of each PARAMETER_ALIGNMENT block of the trainable parameters (see update-balance.ts). */
export function updateBlockCosts(args: UpdateCostArgs): Float64Array {
  const { plan, offsetOf, trainableLength, batchSize } = args;
  const costs = new Float64Array(trainableLength);
  costs.fill(1);
  const add = (start: number, count: number, value: number) => {
    const end = Math.min(trainableLength, start + count);
    for (let i = Math.max(0, start); i < end; i++) costs[i] = costs[i]! + value;
  };
  for (const op of plan.ops) {
    if (op.kind !== 'dense') continue;
    const kernel = offsetOf(op.kernel);
    const sparse = op.from[0] === -1 ? args.sparse : undefined;
    for (let f = 0; f < op.inputs; f++) {
      const rows =
        sparse === undefined
          ? batchSize
          : (batchSize * (sparse.nonzerosByFeature[f] ?? 0)) / Math.max(1, sparse.rows);
      add(kernel + f * op.units, op.units, MULTIPLY_ADD_COST * rows);
    }
    if (op.bias !== null) add(offsetOf(op.bias), op.units, MULTIPLY_ADD_COST * batchSize);
  }
  const blocks = new Float64Array(Math.ceil(trainableLength / PARAMETER_ALIGNMENT));
  for (let i = 0; i < trainableLength; i++) {
    const b = Math.floor(i / PARAMETER_ALIGNMENT);
    blocks[b] = blocks[b]! + costs[i]!;
  }
  return blocks;
}

/** Rows whose column numbers `nonzerosByFeature` counts at most: the costs are estimates. */
export const COUNTED_ROWS = 4096;

/**
 * How many rows of a compressed matrix have each feature nonzero (from its column numbers
 * and row pointers), counted over at most `limit` rows spread evenly over the matrix —
 * `rows` says how many — since the costs only estimate a chunk's time (the balance then
 * follows the measured one). MNIST's 60,000 rows took 36 ms to count whole, one sixteenth
 * of that from 4,096 of them.
 */
export function nonzerosByFeature(
  index: ArrayLike<number>,
  rowPtr: ArrayLike<number>,
  features: number,
  limit = COUNTED_ROWS,
): { nonzerosByFeature: Uint32Array; rows: number } {
  const counts = new Uint32Array(features);
  const total = rowPtr.length - 1;
  const rows = Math.min(total, limit);
  for (let k = 0; k < rows; k++) {
    const r = Math.floor((k * total) / rows);
    const end = rowPtr[r + 1]!;
    for (let p = rowPtr[r]!; p < end; p++) counts[index[p]!]! += 1;
  }
  return { nonzerosByFeature: counts, rows };
}
