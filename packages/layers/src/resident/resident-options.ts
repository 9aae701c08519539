/**
 * The types of the resident step's options and arguments (resident-step.ts): where its
 * input rows come from and what each call of a phase is given.
 */
import type { ResidentKernels, RngStream } from '@tessera/core';

/** Compressed rows in the same memory (byte offsets): see core's csrDense. */
export interface CompressedInput {
  kind: 'sparse';
  rowPtr: number;
  index: number;
  value: number;
  idx16: boolean;
  valU8: boolean;
  /** What a stored value is multiplied by (1/255 for pixels stored as bytes). */
  scale: number;
}

/** Where the first Dense layer's inputs come from. */
export type ResidentInput = CompressedInput | { kind: 'dense' };

/** Arguments of `evaluate`. */
export interface ResidentEvaluateArgs {
  rows: number;
  /** The rows' first row in the batch-wide buffers. */
  at: number;
  /** Byte offset of the parameter vector. */
  params: number;
  /**
   * The evaluated set's compressed rows, the byte offset of `rows` i32 row numbers and the
   * row they count from (row number i reads the set's row firstRow + i), read when the
   * first layer reads compressed rows (`sparseInput`); without them (or on dense input) the
   * caller writes dense rows into `inputRows(at, rows)`.
   */
  compressed?: { input: CompressedInput; examples: number; firstRow: number };
}

export interface ResidentStepOptions {
  kernels: ResidentKernels;
  /** Byte offset of this step's private scratch: `ResidentStep.scratchBytes(…)` bytes. */
  scratch: number;
  /** Byte offset of the batch-wide buffers: `ResidentStep.sharedBytes(…)` bytes. */
  shared: number;
  /** Rows the batch-wide buffers hold (at least a batch, and every worker's evaluation rows). */
  sharedRows: number;
  /** Most examples one `forwardBackward` or `evaluate` call gets. */
  maxRows: number;
  /** Most parameters one `sliceGradient` call covers. */
  sliceFloats: number;
  /** Element offset of a weight (by store name) in the parameter vector. */
  offsetOf: (weight: string) => number;
  input: ResidentInput;
  /**
   * Whether `sliceGradient` reads the cache lines of each eight compressed rows together
   * before decoding them (core's csrDenseWeightGrad): worth it when other workers ran the
   * gradient phase over part of the batch, so that its rows are not in this core's caches
   * (default false: one worker just read them all).
   */
  readRowsAhead?: boolean;
  /**
   * Give the step private row buffers for one `forwardBackward` call (maxRows rows, in its
   * scratch: `ResidentStep.scratchBytes` with `privateRows: true`): a call with `private`
   * set computes its rows there, and `publish` then copies what the update phase reads
   * into the batch-wide rows. A worker that computes a row chunk another worker may also
   * compute (because that one stopped in the middle of it) writes no shared byte before it
   * knows it is the first to finish (default false).
   */
  privateRows?: boolean;
}

/** Arguments of `forwardBackward` (one reusable object: a step allocates nothing). */
export interface ForwardBackwardArgs {
  /** Byte offset of the shard's i32 example numbers (read with compressed input). */
  examples: number;
  rows: number;
  /** The shard's first row in the batch-wide buffers. */
  at: number;
  /** Byte offset of the parameter vector. */
  params: number;
  /** The shard's share of the batch: rows / batch rows. */
  scale: number;
  /** Dropout's stream (training), or undefined. */
  rng: RngStream | undefined;
  /**
   * Compute into the private row buffers (options.privateRows) instead of the batch-wide
   * rows at `at`; `publish(at, rows)` copies them there. Dense input rows are then read
   * from `inputRows(0, rows, true)`.
   */
  private?: boolean;
}
