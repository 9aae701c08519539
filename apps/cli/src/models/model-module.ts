/**
 * `--model file.js`: a JavaScript module exporting `createModel()` (sync or async) that
 * returns a Tessera model, compiled or not. The module may register custom activations or
 * Lambda functions when it is imported; training passes its path to the trainer's
 * `customObjects`, so every worker thread imports it too. Checkpoints record only the
 * names it registered: `evaluate`, `predict` and `export` need `--custom-objects` for them.
 *
 * ```js
 * import { activations, layers, sequential } from '@tessera/layers';
 * activations.register('my_relu', (x) => tf.maximum(x, 0));
 * export function createModel() { return sequential([...]); }
 * ```
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IOError, TesseraError, ValueError } from '@tessera/core';
import { Model } from '@tessera/layers';
import { withContext } from '../errors.js';
import { requireRegularFile } from '../input-file.js';

/** Imports a module by path (for its side effects: registrations); errors name the file. */
export async function importModule(
  path: string,
  option = '--model',
): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  if (!existsSync(absolute))
    throw new IOError(`${option} ${path}: no such file or folder (ENOENT)`);
  requireRegularFile(absolute, option);
  try {
    return (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof TesseraError) throw withContext(`${path}`, cause);
    throw new ValueError(
      `${path}: the module failed to load: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
}

/** Imports the module and calls its `createModel()`. */
export async function loadModelModule(path: string): Promise<Model> {
  const exports = await importModule(path);
  const create =
    exports['createModel'] ??
    (exports['default'] as Record<string, unknown> | undefined)?.['createModel'];
  if (typeof create !== 'function') {
    const names = Object.keys(exports);
    throw new ValueError(
      `${path}: expected a module exporting a function createModel(). Received: exports=${names.length === 0 ? '(none)' : names.join(', ')}`,
    );
  }
  let model: unknown;
  try {
    model = await (create as () => unknown)();
  } catch (cause) {
    if (cause instanceof TesseraError) throw withContext(`${path}: createModel()`, cause);
    throw new ValueError(
      `${path}: createModel() threw: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
  if (!(model instanceof Model)) {
    throw new ValueError(
      `${path}: createModel() must return a Tessera model (sequential(...) or model(...) from @tessera/layers). Received: ${model === null ? 'null' : typeof model}`,
    );
  }
  return model;
}
