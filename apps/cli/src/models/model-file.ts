/**
 * `--model file.json`: a model in Tessera's JSON format (`{ format: 'tessera-model',
 * version, className, config }`). Loading never runs code from the file; an unknown layer
 * class or activation name fails with the file's path in front of the message.
 */
import { readFile } from 'node:fs/promises';
import { FormatError, IOError } from '@tessera/core';
import { Model } from '@tessera/layers';
import { checkModelSize, MAX_CONFIG_DEPTH, nestingDepth } from '@tessera/trainer';
import { describeFileError, withContext } from '../errors.js';
import { requireRegularFile } from '../input-file.js';

/** Reads and parses the JSON text of a model file. */
export async function readModelJson(path: string, option = '--model'): Promise<unknown> {
  requireRegularFile(path, option);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const err = cause as NodeJS.ErrnoException;
    throw new IOError(
      `${option} ${typeof err.code === 'string' ? describeFileError(err) : `${path}: ${err.message}`}`,
      {
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (cause) {
    throw new FormatError(`${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const depth = nestingDepth(json);
  if (depth > MAX_CONFIG_DEPTH) {
    throw new FormatError(
      `${path}: the JSON is nested more than ${MAX_CONFIG_DEPTH} levels deep; a model config is far shallower. Received: depth>${MAX_CONFIG_DEPTH}`,
    );
  }
  return json;
}

/** Builds the model a JSON file describes. */
export async function loadModelFile(path: string): Promise<Model> {
  const json = await readModelJson(path);
  checkModelSize(json, path);
  try {
    return Model.fromJSON(json);
  } catch (err) {
    throw withContext(path, err);
  }
}
