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
  compressedShape,
  residentKernelsAvailable,
  SPARSE_DENSITY_LIMIT,
} from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import {
  type Loss,
  type Metric,
  type Model,
  planResidentStep,
  type ResidentPlan,
  UNIT_SPLIT_MAX_DECODED_BYTES,
  type UnitSplitShape,
  unitSplitShape,
} from '@tessera/layers';
import type { TargetEncoding } from './protocol.js';
import { residentLayout } from './resident-session.js';

/** `fit`'s `trainingPath` option: let fit choose, or ask for one path. */
export type TrainingPathOption = 'auto' | 'resident' | 'tfjs';

/** The decision, as `history.trainingPath` and `--json` report it. */
export interface TrainingPathReport {
  path: 'resident' | 'tfjs';
  /** Why the tfjs path (undefined on the resident path). */
  reason?: string;
  /** Resident: whether the first layer reads compressed rows, and the density measured. */
  sparseInput?: boolean;
  density?: number;
  /**
   * Resident: how the workers share a step — by the batch's rows (`'rows'`), or by the
   * hidden layer's units (`'units'`: a Dense layer on compressed rows, then the output
   * Dense layer, trained with Adam; docs/resident-step.md, "Split by hidden units").
   */
  parallel?: 'rows' | 'units';
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
  /** The hidden-unit split's shape when the step is split by hidden units, else undefined. */
  split: UnitSplitShape | undefined;
  sizes: { maxRows: number; sharedRows: number; sliceFloats: number };
  extraBytes: number;
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
  /** Whether the optimizer runs in Adam's fused kernel (the hidden-unit split needs it). */
  fusedAdam?: boolean;
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
  const rowsShape = compressedShape(train.features, train.featureSize);
  const { nonzeros, rows, features } = rowsShape;
  const density = rows === 0 ? 1 : nonzeros / (rows * features);
  const sparse =
    plan.ops[0]?.kind === 'dense' && density <= SPARSE_DENSITY_LIMIT ? rowsShape : undefined;
  const validation = options.validation;
  const validationSparse =
    sparse !== undefined && validation !== undefined && validation.size > 0
      ? compressedShape(validation.features, validation.featureSize)
      : undefined;
  const shape = unitSplitShape(plan);
  const decodedBytes = sizes.sharedRows * plan.features * 8 * options.workers;
  const split =
    sparse !== undefined &&
    options.fusedAdam === true &&
    decodedBytes <= UNIT_SPLIT_MAX_DECODED_BYTES
      ? shape
      : undefined;
  const layout = { plan, sizes, workers: options.workers, sparse, validationSparse, split };
  return {
    setup: {
      plan,
      trainableLength: options.trainableLength,
      batchSize: options.batchSize,
      sparse,
      validationSparse,
      density,
      split,
      sizes,
      extraBytes: residentLayout(0, layout).end,
    },
    report: {
      path: 'resident',
      sparseInput: sparse !== undefined,
      density,
      parallel: split === undefined ? 'rows' : 'units',
    },
  };
}
