/**
 * Checkpoints (`*.tsr`): core's framed file (magic, version, length, CRC32, written
 * atomically) around everything needed to continue a run exactly: the model config, every
 * weight, the optimizer's config, state arrays and step, where in which epoch training
 * stood, the RNG state at the start of that epoch, and the history so far.
 */
import { statSync } from 'node:fs';
import {
  FormatError,
  frame,
  IOError,
  type RngState,
  readFramedFile,
  tf,
  writeFileAtomic,
  writeFramedFile,
} from '@tessera/core';
import { type EpochProgress, Model } from '@tessera/layers';
import { missingCheckpointMessage } from './checkpoint-layout.js';
import {
  validateCheckpointAgainstModel,
  validateCheckpointFields,
} from './checkpoint-validation.js';
import type { HistoryData } from './history.js';
import { estimateParameters } from './model-size.js';

export const CHECKPOINT_FORMAT = {
  magic: 'TSRCKPT',
  version: 1,
  kind: 'Tessera checkpoint',
} as const;

/**
 * Where in which epoch the run stood, with the running sums of that epoch, so a resumed
 * epoch logs what an uninterrupted one would (the epoch loop's progress, @tessera/layers).
 */
export type { EpochProgress };

/** Class id → weight, as `fit`'s `classWeight` (JSON keys are strings). */
export type ClassWeights = Record<number, number>;

export interface CheckpointData {
  format: 'tessera-checkpoint';
  /** The model's toJSON(). */
  model: unknown;
  /** Every weight by name, in the model's order. */
  weights: Record<string, Float32Array>;
  optimizer: {
    /** optimizers.serialize(...) of the optimizer, learning rate included. */
    config: unknown;
    /** Updates applied so far. */
    iteration: number;
    /** State arrays by slot name, each the length of the flat parameter vector. */
    slots: Record<string, Float32Array>;
  };
  compile: { loss: unknown; metrics: unknown[] };
  progress: EpochProgress;
  /**
   * Total epochs the run was asked for, batch size, shuffling, class weights and validation
   * split: resuming reuses them. `classWeight` is null for a run without; checkpoints written
   * before it (or the validation fields) was recorded lack the field (resuming one then takes
   * the caller's setting as given).
   */
  run: {
    epochs: number;
    batchSize: number;
    shuffle: boolean;
    seed: number;
    workers: number;
    classWeight?: ClassWeights | null;
    /** The fraction of the data held out for validation, not trained on (0: none). */
    validationSplit?: number;
    /** Whether the run validated on a separate `validationData` set (then no split: 0). */
    validationData?: boolean;
  };
  /** RNG state at the start of `progress.epoch`, before its permutation was drawn. */
  rng: RngState;
  history: HistoryData;
  /** Caller's extra data (the CLI keeps dataset name, normalizer and class names here). */
  extra: Record<string, unknown>;
  savedAt: string;
}

export async function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  await writeFramedFile(path, data, CHECKPOINT_FORMAT);
}

/** A checkpoint's file contents (the frame saveCheckpoint writes), encoded now. */
export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  return frame(data, CHECKPOINT_FORMAT);
}

/**
 * Writes one encoded checkpoint to several files (an epoch's, `latest.tsr`, `best.tsr`)
 * side by side, each atomically (see saveCheckpoint).
 */
export async function writeCheckpointFiles(
  paths: readonly string[],
  bytes: Uint8Array,
): Promise<void> {
  await Promise.all(paths.map((path) => writeFileAtomic(path, bytes)));
}

/** A missing path or a folder: nothing to read, so say what exists nearby instead. */
function missingOrFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return true;
  }
}

/**
 * Reads and verifies a checkpoint; any damage is a FormatError naming the file. A missing
 * file (or a folder) is an IOError that lists the checkpoints nearby.
 */
export async function loadCheckpoint(path: string): Promise<CheckpointData> {
  if (missingOrFolder(path)) throw new IOError(missingCheckpointMessage(path));
  const data = await readFramedFile<CheckpointData>(path, CHECKPOINT_FORMAT);
  if (data === null || typeof data !== 'object' || data.format !== 'tessera-checkpoint') {
    throw new FormatError(
      `${path}: not a Tessera checkpoint (the body has no 'tessera-checkpoint' format tag)`,
    );
  }
  validateCheckpointFields(data, path);
  return data;
}

/**
 * Rebuilds the model saved in a checkpoint, with its weights; `path` names the file in
 * errors. Every weight and optimizer state must match the rebuilt model.
 */
export function restoreModel(data: CheckpointData, path = 'checkpoint'): Model {
  // The config must not imply more parameters than the checkpoint holds (checked before
  // building, so a config with `units: 1e9` never allocates).
  const held = Object.values(data.weights).reduce((n, w) => n + w.length, 0);
  if (estimateParameters(data.model) > held) {
    throw new FormatError(
      `${path}: the model config implies about ${estimateParameters(data.model)} parameters but the checkpoint holds ${held} weight values; the checkpoint does not match its model config`,
    );
  }
  const model = Model.fromJSON(data.model);
  validateCheckpointAgainstModel(data, model, path);
  const tensors = model.weights.map((w) => tf.tensor(data.weights[w.name]!, w.shape, 'float32'));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return model;
}
