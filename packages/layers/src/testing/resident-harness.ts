/**
 * A resident step over one model, for tests: a shared memory holding the model's weights
 * (bound zero-copy), one gradient slot, the compressed rows of a feature matrix when asked
 * (and of a second one, an evaluation set), the shard's example numbers and the step's
 * scratch — the same layout the trainer makes, for one worker.
 */
import {
  compressedBytes,
  compressedShape,
  createResidentMemory,
  type FeatureMatrix,
  ParameterStore,
  planLayout,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  type RngStream,
  writeCompressedRows,
} from '@tessera/core';
import type { Model } from '../engine/model.js';
import { bindWeights, parameterSpecs } from '../engine/parameters.js';
import { type Loss, losses } from '../losses/index.js';
import { type Metric, metrics } from '../metrics/index.js';
import { planResidentStep } from '../resident/plan.js';
import type { TargetKind } from '../resident/plan-types.js';
import type { CompressedInput, ResidentInput } from '../resident/resident-options.js';
import { ResidentStep } from '../resident/resident-step.js';
import { mnistLike } from './resident-data.js';

export interface ResidentHarness {
  step: ResidentStep;
  store: ParameterStore;
  kernels: ResidentKernels;
  /** Byte offsets of the parameters and of the batch's example numbers. */
  params: number;
  examplesAt: number;
  /** The batch's example numbers (write them before a sparse call). */
  examples: Int32Array;
  /** The compressed rows of `options.evaluation` (when given). */
  evaluation: CompressedInput | undefined;
  /** Both phases over the whole batch (one worker); the gradient, parameter layout. */
  gradients(rows: number, scale: number, rng?: RngStream): Float32Array;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/**
 * Writes a feature matrix's compressed rows at offsets `take` hands out, once the memory
 * exists (`write(buffer)`).
 */
function compressedRows(
  features: FeatureMatrix,
  featureSize: number,
  scale: number,
  take: (bytes: number) => number,
) {
  const shape = compressedShape(features, featureSize);
  const sizes = compressedBytes(shape);
  const rowPtr = take(sizes.rowPtr);
  const index = take(sizes.index);
  const value = take(sizes.value);
  const input: CompressedInput = {
    kind: 'sparse',
    rowPtr,
    index,
    value,
    idx16: shape.idx16,
    valU8: shape.valU8,
    scale,
  };
  const write = (buffer: SharedArrayBuffer): CompressedInput => {
    writeCompressedRows(features, featureSize, {
      rowPtr: new Int32Array(buffer, rowPtr, shape.rows + 1),
      index: shape.idx16
        ? new Uint16Array(buffer, index, shape.nonzeros)
        : new Int32Array(buffer, index, shape.nonzeros),
      value: shape.valU8
        ? new Uint8Array(buffer, value, shape.nonzeros)
        : new Float32Array(buffer, value, shape.nonzeros),
    });
    return input;
  };
  return { write };
}

/**
 * Builds the harness; with `sparse`, the first Dense layer reads the compressed `features`.
 * `evaluation`'s rows are written compressed too (for `evaluate`).
 */
export function residentHarness(
  model: Model,
  options: {
    loss: Loss;
    metrics: Metric[];
    targets: TargetKind;
    targetWidth: number;
    features: FeatureMatrix;
    featureSize: number;
    featureScale?: number;
    maxRows: number;
    sparse: boolean;
    evaluation?: { features: FeatureMatrix; scale: number };
    readRowsAhead?: boolean;
    /** Rows of the batch-wide buffers (default maxRows: one call covers the batch). */
    sharedRows?: number;
    /** Give the step private row buffers (ResidentStepOptions.privateRows). */
    privateRows?: boolean;
  },
): ResidentHarness {
  const outcome = planResidentStep(model, {
    loss: options.loss,
    metrics: options.metrics,
    targets: options.targets,
    features: options.featureSize,
    targetWidth: options.targetWidth,
  });
  if (outcome.plan === undefined) throw new Error(`not planned: ${outcome.reason}`);
  const specs = parameterSpecs(model);
  const length = planLayout(specs).length;
  let at = RESIDENT_STATIC_BYTES;
  const take = (bytes: number): number => {
    const ptr = at;
    at += align(Math.max(bytes, 4));
    return ptr;
  };
  const params = take(length * 4);
  const csr = options.sparse
    ? compressedRows(options.features, options.featureSize, options.featureScale ?? 1, take)
    : undefined;
  const evaluation =
    options.evaluation === undefined
      ? undefined
      : compressedRows(
          options.evaluation.features,
          options.featureSize,
          options.evaluation.scale,
          take,
        );
  const sharedRows = options.sharedRows ?? options.maxRows;
  const examplesAt = take(sharedRows * 4);
  const stepSizes = { maxRows: options.maxRows, sharedRows, sliceFloats: length };
  const privateRows = options.privateRows === true;
  const shared = take(ResidentStep.sharedBytes(outcome.plan, sharedRows));
  const scratch = take(ResidentStep.scratchBytes(outcome.plan, { ...stepSizes, privateRows }));
  const memory = createResidentMemory(at);
  const buffer = memory.buffer as unknown as SharedArrayBuffer;
  const store = ParameterStore.create(specs, { memory: buffer, byteOffset: params });
  bindWeights(model, store, { copy: true });
  const input: ResidentInput = csr === undefined ? { kind: 'dense' } : csr.write(buffer);
  const kernels = new ResidentKernels(memory, scratch);
  const step = new ResidentStep(outcome.plan, {
    kernels,
    scratch,
    shared,
    ...stepSizes,
    offsetOf: (name) => store.entry(name).offset,
    input,
    readRowsAhead: options.readRowsAhead === true,
    privateRows,
  });
  const args = {
    examples: examplesAt,
    rows: 0,
    at: 0,
    params,
    scale: 1,
    rng: undefined as RngStream | undefined,
  };
  return {
    step,
    store,
    kernels,
    params,
    examplesAt,
    examples: new Int32Array(buffer, examplesAt, sharedRows),
    evaluation: evaluation?.write(buffer),
    gradients(rows, scale, rng) {
      args.rows = rows;
      args.scale = scale;
      args.rng = rng;
      step.forwardBackward(args);
      const g = step.sliceGradient({ examples: examplesAt, rows, start: 0, end: length });
      return new Float32Array(buffer, g, length);
    },
  };
}

/**
 * The harness over `mnistLike('relu')` on 8×8 inputs (64 features), categorical
 * crossentropy and accuracy on one-hot targets of 10 classes; uint8 `features` are scaled
 * by 1/255 as MNIST's are.
 */
export function mnistLikeHarness(
  features: Uint8Array | Float32Array,
  options: { maxRows: number; sparse: boolean; readRowsAhead?: boolean },
): ResidentHarness {
  const model = mnistLike('relu');
  model.build([null, 8, 8]);
  const loss = losses.get('categorical_crossentropy');
  return residentHarness(model, {
    loss,
    metrics: [metrics.get('accuracy', { loss: loss.name })],
    targets: 'one-hot',
    targetWidth: 10,
    features,
    featureSize: 64,
    ...(features instanceof Uint8Array ? { featureScale: 1 / 255 } : {}),
    ...options,
  });
}
