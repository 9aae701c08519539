/**
 * `--checkpoint FILE`: reads and verifies a checkpoint (a truncated or altered file fails
 * with its path), imports the modules its model needs, and rebuilds the trained model.
 */
import type { Model } from '@tessera/layers';
import { type CheckpointData, loadCheckpoint, restoreModel } from '@tessera/trainer';
import { withContext } from '../errors.js';
import { importModule } from '../models/model-module.js';
import { type CliCheckpointExtra, readCliExtra } from './cli-extra.js';

/** A loaded checkpoint and its model. */
export interface OpenCheckpoint {
  /** The file. */
  path: string;
  data: CheckpointData;
  extra: CliCheckpointExtra;
  /** The model with the checkpoint's weights. */
  model: Model;
}

/** Loads `path` and rebuilds its model; every failure names the file. */
export async function openCheckpoint(path: string): Promise<OpenCheckpoint> {
  let data: CheckpointData;
  try {
    data = await loadCheckpoint(path);
  } catch (err) {
    throw withContext('--checkpoint', err);
  }
  const extra = readCliExtra(data.extra, path);
  for (const module of extra.customObjects) await importModule(module, `${path}: model module`);
  let model: Model;
  try {
    model = restoreModel(data);
  } catch (err) {
    throw withContext(path, err);
  }
  return { path, data, extra, model };
}
