/**
 * `--checkpoint FILE` (or `train --resume FILE`): reads and verifies a checkpoint (a truncated, altered or
 * inconsistent file fails with its path), imports the modules the user named with
 * `--custom-objects` — never anything the checkpoint names — checks the custom objects
 * the model needs are registered, and rebuilds the trained model.
 */
import { NotFoundError } from '@tessera/core';
import type { Model } from '@tessera/layers';
import { type CheckpointData, loadCheckpoint, restoreModel } from '@tessera/trainer';
import { withContext } from '../errors.js';
import { requireRegularFile } from '../input-file.js';
import { importCustomObjects, requireRegistered } from '../models/custom-objects.js';
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

/** Options of openCheckpoint. */
export interface OpenCheckpointOptions {
  /** `--custom-objects` paths: the only modules imported (their code runs). */
  customObjects?: readonly string[];
  /** The option that named the file, for errors (default `--checkpoint`). */
  option?: string;
}

/** Loads `path` and rebuilds its model; every failure names the file. */
export async function openCheckpoint(
  path: string,
  options: OpenCheckpointOptions = {},
): Promise<OpenCheckpoint> {
  const option = options.option ?? '--checkpoint';
  requireRegularFile(path, option);
  let data: CheckpointData;
  try {
    data = await loadCheckpoint(path);
  } catch (err) {
    throw withContext(option, err);
  }
  const extra = readCliExtra(data.extra, path);
  await importCustomObjects(options.customObjects);
  requireRegistered(extra.customObjectNames, path);
  let model: Model;
  try {
    model = restoreModel(data, path);
  } catch (err) {
    if (err instanceof NotFoundError) {
      // An unregistered name the checkpoint did not list (e.g. a version-1 record).
      throw withContext(
        `${path} (custom activations and layers come only from --custom-objects FILE)`,
        err,
      );
    }
    throw withContext(path, err);
  }
  return { path, data, extra, model };
}
