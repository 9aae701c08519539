/**
 * Which step a run trains on, decided once in the main thread: the resident step (a plan
 * of kernels over the shared memory, see @tessera/layers' resident/) when the model, loss
 * and metrics are ones it plans and the WebAssembly kernels are active, else the tfjs
 * autodiff path, with the reason. Also whether the first layer reads the training set's
 * compressed rows: decided from the data's measured density (the validation set is then
 * evaluated on compressed rows of its own).
 */
import {
  type CompressedRowsShape,
  compressedBytes,
  compressedShape,
  residentKernelsAvailable,
  SPARSE_DENSITY_LIMIT,
  writeCompressedRows,
} from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import {
  type CompressedInput,
  type Loss,
  type Metric,
  type Model,
  planResidentStep,
  type ResidentInput,
  type ResidentPlan,
  ResidentStep,
} from '@tessera/layers';
import { claimWordCount } from './claims.js';
import type { TargetEncoding } from './protocol.js';
import type { SharedTrainingState } from './shared-state.js';
import { UpdateBalance } from './update-balance.js';
import { nonzerosByFeature, updateBlockCosts } from './update-costs.js';

/** `fit`'s `trainingPath` option: let fit choose, or ask for one path. */
export type TrainingPathOption = 'auto' | 'resident' | 'tfjs';

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
}

/** The decision, as `history.trainingPath` and `--json` report it. */
export interface TrainingPathReport {
  path: 'resident' | 'tfjs';
  /** Why the tfjs path (undefined on the resident path). */
  reason?: string;
  /** Resident: whether the first layer reads compressed rows, and the density measured. */
  sparseInput?: boolean;
  density?: number;
}

/** A resident run being set up: the plan, the compressed rows' shape, the bytes it needs. */
export interface ResidentSetup {
  plan: ResidentPlan;
  /** Floats of the trainable parameters (the workers' slices split these). */
  trainableLength: number;
  batchSize: number;
  sparse: CompressedRowsShape | undefined;
  /** The validation set's compressed rows, when the training set's are read. */
  validationSparse: CompressedRowsShape | undefined;
  density: number;
  sizes: { maxRows: number; sharedRows: number; sliceFloats: number };
  extraBytes: number;
}

/**
 * Row chunks of a batch in the gradient phase, claimed one at a time by the workers: a
 * worker slowed down leaves its rows to the others, and the workers finish at most one
 * chunk apart: 16 rather than 8 measured 229,000 samples/s against 207,000 on two workers
 * (steady epochs, medians of 6 interleaved runs; one worker 158,000 and 160,000). The
 * same for every worker count, so the chunks (and their dropout masks) do not depend on it.
 */
const ROW_CHUNKS = 16;

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

function targetWidth(encoding: TargetEncoding, data: Dataset): number {
  if (encoding === 'one-hot') return data.numClasses ?? 1;
  if (encoding === 'regression') return data.targetSize;
  return 1;
}

/** Plans the resident step for this run, or returns the report of the tfjs path. */
export function chooseTrainingPath(options: {
  requested: TrainingPathOption;
  model: Model;
  loss: Loss;
  metrics: Metric[];
  encoding: TargetEncoding;
  train: Dataset;
  validation?: Dataset | undefined;
  workers: number;
  batchSize: number;
  /** Most parameters in one worker's update slice (the slice buffer's size). */
  sliceFloats: number;
  /** Floats of the parameter vector the optimizer updates (the trainable weights). */
  trainableLength: number;
  /** Whether rows are weighted (sampleWeight, classWeight), which the resident step does not plan. */
  weighted?: boolean;
  /** Whether the optimizer acts per variable (clipnorm, excludeFromWeightDecay), which the resident step does not plan. */
  perVariable?: boolean;
  /** Whether the optimizer clips by the global norm, which the resident step does not plan. */
  globalClipnorm?: boolean;
}):
  | { setup: ResidentSetup; report: TrainingPathReport }
  | { setup?: undefined; report: TrainingPathReport } {
  const { train } = options;
  const tfjs = (reason: string): { report: TrainingPathReport } => {
    if (options.requested === 'resident') {
      throw new Error(`fit: trainingPath 'resident' cannot train this model: ${reason}`);
    }
    return { report: { path: 'tfjs', reason } };
  };
  if (options.requested === 'tfjs') return tfjs("trainingPath: 'tfjs' was asked for");
  if (options.weighted === true)
    return tfjs(
      'sampleWeight or classWeight weighs each row, which the resident step does not plan',
    );
  if (options.perVariable === true)
    return tfjs(
      'the optimizer clips each variable by its norm or excludes variables from weight decay, which the resident step does not plan',
    );
  if (options.globalClipnorm === true)
    return tfjs('the optimizer clips by the global norm, which the resident step does not plan');
  if (!residentKernelsAvailable())
    return tfjs('the WebAssembly kernels are not active (TESSERA_KERNELS)');
  const outcome = planResidentStep(options.model, {
    loss: options.loss,
    metrics: options.metrics,
    targets: options.encoding,
    features: train.featureSize,
    targetWidth: targetWidth(options.encoding, train),
  });
  if (outcome.plan === undefined) return tfjs(outcome.reason);
  const plan = outcome.plan;
  // Evaluation chunks use the same buffers, so a chunk holds at least a shard; the
  // batch-wide buffers hold every worker's chunk side by side (and so a whole batch).
  const maxRows = Math.max(256, Math.ceil(options.batchSize / options.workers));
  const sizes = {
    maxRows,
    sharedRows: maxRows * options.workers,
    sliceFloats: options.sliceFloats,
  };
  const shape = compressedShape(train.features, train.featureSize);
  const density = shape.rows === 0 ? 1 : shape.nonzeros / (shape.rows * shape.features);
  const sparse =
    plan.ops[0]?.kind === 'dense' && density <= SPARSE_DENSITY_LIMIT ? shape : undefined;
  let extraBytes =
    options.workers * align(ResidentStep.scratchBytes(plan, sizes)) +
    align(ResidentStep.sharedBytes(plan, sizes.sharedRows));
  const validation = options.validation;
  const validationSparse =
    sparse !== undefined && validation !== undefined && validation.size > 0
      ? compressedShape(validation.features, validation.featureSize)
      : undefined;
  for (const shape of [sparse, validationSparse]) {
    if (shape === undefined) continue;
    const b = compressedBytes(shape);
    extraBytes += align(b.rowPtr) + align(b.index) + align(b.value);
  }
  if (validationSparse !== undefined) extraBytes += align(maxRows * 4);
  return {
    setup: {
      plan,
      trainableLength: options.trainableLength,
      batchSize: options.batchSize,
      sparse,
      validationSparse,
      density,
      sizes,
      extraBytes:
        extraBytes +
        claimBytes(options.workers) +
        align(UpdateBalance.bytes(options.workers)) +
        align(ROW_CHUNKS * (1 + options.metrics.length) * 8),
    },
    report: { path: 'resident', sparseInput: sparse !== undefined, density },
  };
}

/**
 * Writes `data`'s rows compressed (`shape`, from compressedShape) into the shared memory at
 * the offsets `take` hands out; returns where they are and a view of their column numbers.
 */
function writeRows(
  data: Dataset,
  shape: CompressedRowsShape,
  buffer: ArrayBufferLike,
  take: (bytes: number) => number,
): { input: CompressedInput; columns: Uint16Array | Int32Array } {
  const b = compressedBytes(shape);
  const rowPtr = take(b.rowPtr);
  const index = take(b.index);
  const value = take(b.value);
  const columns = shape.idx16
    ? new Uint16Array(buffer, index, shape.nonzeros)
    : new Int32Array(buffer, index, shape.nonzeros);
  writeCompressedRows(data.features, data.featureSize, {
    rowPtr: new Int32Array(buffer, rowPtr, shape.rows + 1),
    index: columns,
    value: shape.valU8
      ? new Uint8Array(buffer, value, shape.nonzeros)
      : new Float32Array(buffer, value, shape.nonzeros),
  });
  const input: CompressedInput = {
    kind: 'sparse',
    rowPtr,
    index,
    value,
    idx16: shape.idx16,
    valU8: shape.valU8,
    scale: data.featureScale,
  };
  return { input, columns };
}

/**
 * Writes the compressed rows (the training set's, and the validation set's with them) into
 * the shared memory and lays out the workers' scratch.
 */
export function residentSession(
  setup: ResidentSetup,
  state: SharedTrainingState,
  train: Dataset,
  validation?: Dataset,
): ResidentSession {
  let at = state.layout.extra;
  const take = (bytes: number): number => {
    const start = at;
    at += align(bytes);
    return start;
  };
  let input: ResidentInput = { kind: 'dense' };
  let sparseCounts: { nonzerosByFeature: Uint32Array; rows: number } | undefined;
  const shape = setup.sparse;
  if (shape !== undefined) {
    const written = writeRows(train, shape, state.buffer, take);
    sparseCounts = {
      nonzerosByFeature: nonzerosByFeature(written.columns, shape.features),
      rows: shape.rows,
    };
    input = written.input;
  }
  let validationRows: ResidentSession['validation'];
  if (setup.validationSparse !== undefined && validation !== undefined) {
    const written = writeRows(validation, setup.validationSparse, state.buffer, take);
    const { maxRows } = setup.sizes;
    const examples = take(maxRows * 4);
    const numbers = new Int32Array(state.buffer, examples, maxRows);
    for (let r = 0; r < maxRows; r++) numbers[r] = r;
    validationRows = { input: written.input, examples };
  }
  const shared = take(ResidentStep.sharedBytes(setup.plan, setup.sizes.sharedRows));
  const claim = take(claimBytes(state.workers));
  const chunkValues = take(ROW_CHUNKS * (1 + setup.plan.metrics.length) * 8);
  const scratchBytes = ResidentStep.scratchBytes(setup.plan, setup.sizes);
  const scratch = Array.from({ length: state.workers }, () => take(scratchBytes));
  const balance = take(UpdateBalance.bytes(state.workers));
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
  return {
    plan: setup.plan,
    input,
    ...(validationRows === undefined ? {} : { validation: validationRows }),
    ...setup.sizes,
    shared,
    claim,
    chunkValues,
    rowChunks: ROW_CHUNKS,
    trainableLength: setup.trainableLength,
    cumulativeCosts,
    balance,
    scratch,
  };
}

/** Bytes of the claim words (claims.ts `claimWordCount`). */
function claimBytes(workers: number): number {
  return align(claimWordCount(workers) * 4);
}
