/**
 * What the workers need to run the resident step, laid out once in the main thread: the
 * compressed rows (the training set's, and the validation set's with them) written into the
 * shared memory by the resident WebAssembly build, the batch-wide buffers, the claim
 * words, each worker's scratch and the update phase's costs.
 */
import {
  type CompressedRowsShape,
  compressedBytes,
  ResidentKernels,
  StateError,
  writeCompressedRowsInMemory,
} from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import {
  type CompressedInput,
  type ResidentInput,
  type ResidentPlan,
  ResidentStep,
  ROW_CHUNKS,
  type UnitSplitShape,
  UnitSplitStep,
} from '@tessera/layers';
import { claimWordCount } from './claims.js';
import { rowChunkStateBytes } from './row-chunks.js';
import type { SharedTrainingState } from './shared-state.js';
import type { ResidentSetup } from './training-path.js';
import { UpdateBalance } from './update-balance.js';
import { nonzerosByFeature, updateBlockCosts } from './update-costs.js';

/** What the workers need to run the resident step (plain data, sent once). */
export interface ResidentSession {
  plan: ResidentPlan;
  /** Byte offsets in the shared memory. */
  input: ResidentInput;
  /**
   * The validation set's compressed rows (when the training set's are read) and the byte
   * offset of the row numbers 0 … maxRows − 1 (i32) an evaluation chunk reads them by.
   */
  validation?: { input: CompressedInput; examples: number };
  /** Most examples in one shard (and in one evaluation chunk). */
  maxRows: number;
  /** Rows of the batch-wide buffers: every worker's evaluation chunk side by side. */
  sharedRows: number;
  /** Most parameters in one worker's update slice. */
  sliceFloats: number;
  /** Byte offset of the batch-wide buffers. */
  shared: number;
  /**
   * Byte offset of the claim words (int32): the gradient phase's claim of row chunks, its
   * count of finished chunks, then one claim word per worker for the parameter chunks of
   * the update phase (update-balance.ts).
   */
  claim: number;
  /** Byte offset of the float64 loss and metric sums of each row chunk of a step. */
  chunkValues: number;
  /**
   * Byte offset of each row chunk's state (row-chunks.ts): the float64 time it was last
   * claimed, then the int32 word saying for which step it was finished.
   */
  chunkStates: number;
  /**
   * Whether the workers compute row chunks in private buffers and publish them (more than
   * one worker: any of them may finish a chunk another stopped in the middle of).
   */
  privateRows: boolean;
  /** Row chunks a batch is cut into (at most; fewer when the batch has fewer rows). */
  rowChunks: number;
  /** Floats of the trainable parameters (the update phase's chunks cover them). */
  trainableLength: number;
  /**
   * Cost of the update phase's work on the first b blocks of the trainable parameters
   * (update-costs.ts), b = 0 … blocks: the boundaries of the workers' chunks are placed on it.
   */
  cumulativeCosts: Float64Array;
  /** Byte offset of the update phase's balance words (update-balance.ts). */
  balance: number;
  /** Byte offset of each worker's scratch. */
  scratch: number[];
  /**
   * The hidden-unit split (layers' unit-split-step.ts), when the step is split by hidden
   * units: its shape, the byte offsets of the partial products, of each worker's scratch
   * of its own and of the main thread's scratch for the kernel's layout
   * (unit-split-layout.ts).
   */
  split?: { shape: UnitSplitShape; partials: number; scratch: number[]; temp: number };
}

/**
 * Row chunks of a batch in the gradient phase (layers' step-noise.ts, where the masks of
 * dropout are keyed by them too), claimed one at a time by the workers.
 */
export { ROW_CHUNKS };

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Byte offsets of one set's compressed rows. */
interface RowsOffsets {
  rowPtr: number;
  index: number;
  value: number;
}

/**
 * The resident part of the shared memory, from byte `base` on, in order: the training
 * set's compressed rows, the validation set's and the row numbers 0 … maxRows − 1 an
 * evaluation chunk reads them by, the batch-wide buffers, the claim words, the row chunks'
 * sums and states, each worker's scratch, the balance words, and with the split by hidden
 * units its partial products, each worker's scratch of it and the main thread's layout
 * scratch; `end` is the byte after them (with base 0, the bytes the setup reserves).
 */
export function residentLayout(
  base: number,
  parts: {
    plan: ResidentPlan;
    sizes: ResidentSetup['sizes'];
    workers: number;
    sparse: CompressedRowsShape | undefined;
    validationSparse: CompressedRowsShape | undefined;
    split: UnitSplitShape | undefined;
  },
) {
  let at = base;
  const take = (bytes: number): number => {
    const start = at;
    at += align(bytes);
    return start;
  };
  const rows = (shape: CompressedRowsShape): RowsOffsets => {
    const b = compressedBytes(shape);
    return { rowPtr: take(b.rowPtr), index: take(b.index), value: take(b.value) };
  };
  const { plan, sizes, workers } = parts;
  const train = parts.sparse === undefined ? undefined : rows(parts.sparse);
  const validation =
    parts.validationSparse === undefined ? undefined : rows(parts.validationSparse);
  const examples = validation === undefined ? 0 : take(sizes.maxRows * 4);
  const sharedBytes = ResidentStep.sharedBytes(plan, sizes.sharedRows);
  const shared = take(sharedBytes);
  const claim = take(claimWordCount(workers) * 4);
  const chunkValues = take(ROW_CHUNKS * (1 + plan.metrics.length) * 8);
  const chunkStates = take(rowChunkStateBytes(ROW_CHUNKS));
  const privateRows = workers > 1;
  const scratchBytes = ResidentStep.scratchBytes(plan, { ...sizes, privateRows });
  const scratch = Array.from({ length: workers }, () => take(scratchBytes));
  const balance = take(UpdateBalance.bytes(workers));
  const splitParts = (shape: UnitSplitShape) => {
    const partials = take(UnitSplitStep.partialBytes(shape, sizes.sharedRows));
    const bytes = UnitSplitStep.scratchBytes(plan, shape, sizes.sharedRows);
    const scratch = Array.from({ length: workers }, () => take(bytes));
    const temp = take(shape.features * shape.hidden * 4);
    return { shape, partials, scratch, temp };
  };
  const split = parts.split === undefined ? undefined : splitParts(parts.split);
  return {
    train,
    validation,
    examples,
    shared,
    sharedBytes,
    claim,
    chunkValues,
    chunkStates,
    privateRows,
    scratch,
    balance,
    split,
    end: at,
  };
}

/** The compressed rows of a set at `at`, as the step reads them. */
function compressedInput(
  data: Dataset,
  shape: CompressedRowsShape,
  at: RowsOffsets,
): CompressedInput {
  return {
    kind: 'sparse',
    ...at,
    idx16: shape.idx16,
    valU8: shape.valU8,
    scale: data.featureScale,
  };
}

/**
 * Lays out the shared memory's resident part, writes the compressed rows (the training
 * set's, and the validation set's with them) and the update phase's costs.
 */
export function residentSession(
  setup: ResidentSetup,
  state: SharedTrainingState,
  train: Dataset,
  validation?: Dataset,
): ResidentSession {
  const layout = residentLayout(state.layout.extra, { ...setup, workers: state.workers });
  const { examples, shared, sharedBytes, claim, chunkValues, chunkStates, privateRows } = layout;
  const { scratch, balance } = layout;
  const { maxRows } = setup.sizes;
  const place = (
    data: Dataset | undefined,
    shape: CompressedRowsShape | undefined,
    at: RowsOffsets | undefined,
  ) =>
    data === undefined || shape === undefined || at === undefined
      ? undefined
      : { data, shape, input: compressedInput(data, shape, at) };
  const trainRows = place(train, setup.sparse, layout.train);
  const validationRows = place(validation, setup.validationSparse, layout.validation);

  let sparseCounts: { nonzerosByFeature: Uint32Array; rows: number } | undefined;
  if (trainRows !== undefined) {
    const memory = state.wasmMemory;
    if (memory === undefined) {
      throw new StateError('resident session: the shared state has no WebAssembly memory');
    }
    // The workers have not started: the batch-wide buffers are the staging area of the
    // copy, and worker 0's scratch holds this thread's (unused) GEMM context.
    const kernels = new ResidentKernels(memory, scratch[0]!);
    const staging = { offset: shared, bytes: sharedBytes };
    for (const place of [trainRows, validationRows]) {
      if (place === undefined) continue;
      const { data, shape, input } = place;
      writeCompressedRowsInMemory(data.features, data.featureSize, shape, input, kernels, staging);
    }
    const { shape, input } = trainRows;
    const columns = shape.idx16
      ? new Uint16Array(state.buffer, input.index, shape.nonzeros)
      : new Int32Array(state.buffer, input.index, shape.nonzeros);
    const rowPtr = new Int32Array(state.buffer, input.rowPtr, shape.rows + 1);
    sparseCounts = nonzerosByFeature(columns, rowPtr, shape.features);
  }
  if (validationRows !== undefined) {
    const numbers = new Int32Array(state.buffer, examples, maxRows);
    for (let r = 0; r < maxRows; r++) numbers[r] = r;
  }
  const costs = updateBlockCosts({
    plan: setup.plan,
    offsetOf: (name) => state.store.entry(name).offset,
    trainableLength: setup.trainableLength,
    batchSize: setup.batchSize,
    ...(sparseCounts === undefined ? {} : { sparse: sparseCounts }),
  });
  const cumulativeCosts = UpdateBalance.cumulative(costs);
  // One chunk of about equal cost per worker until the workers have measured their speeds.
  new UpdateBalance(
    state.buffer,
    balance,
    state.workers,
    cumulativeCosts,
    setup.trainableLength,
  ).reset();
  const input: ResidentInput = trainRows?.input ?? { kind: 'dense' };
  return {
    plan: setup.plan,
    input,
    ...(validationRows === undefined
      ? {}
      : { validation: { input: validationRows.input, examples } }),
    ...setup.sizes,
    shared,
    claim,
    chunkValues,
    chunkStates,
    privateRows,
    rowChunks: ROW_CHUNKS,
    trainableLength: setup.trainableLength,
    cumulativeCosts,
    balance,
    scratch,
    ...(layout.split === undefined ? {} : { split: layout.split }),
  };
}
