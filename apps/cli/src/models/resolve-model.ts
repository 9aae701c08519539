/**
 * `--model <builtin|file.json|module.js>`: which model, and what it brings along — the
 * built-in's training defaults, the module that workers must import, the compile
 * settings a module's model came with.
 */
import { extname, resolve } from 'node:path';
import { ValueError } from '@tessera/core';
import type { Model } from '@tessera/layers';
import type { BuiltinModel } from './builtin-model.js';
import { BUILTIN_MODELS, findBuiltinModel } from './builtins.js';
import { loadModelFile } from './model-file.js';
import { loadModelModule } from './model-module.js';

/** Where the model came from (saved in checkpoints). */
export interface ModelSource {
  /** A built-in name, a JSON file or a JS module. */
  kind: 'builtin' | 'json' | 'module';
  /** The built-in's name, or the file's absolute path. */
  ref: string;
}

/** A model ready to train, and what came with it. */
export interface ResolvedModel {
  model: Model;
  source: ModelSource;
  /** The built-in definition, for its defaults and dataset. */
  builtin: BuiltinModel | undefined;
  /** Modules every worker (and later every loader) must import first. */
  customObjects: string[];
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/** What kind of `--model` argument this is, without loading anything. */
export function modelKind(spec: string): ModelSource['kind'] {
  if (findBuiltinModel(spec) !== undefined) return 'builtin';
  const ext = extname(spec).toLowerCase();
  if (ext === '.json') return 'json';
  if (MODULE_EXTENSIONS.has(ext)) return 'module';
  throw new ValueError(
    `--model "${spec}": not a built-in model (${BUILTIN_MODELS.map((m) => m.name).join(', ')}), a model .json file or a .js module exporting createModel()`,
  );
}

/** Loads the model `--model` names. `seed` fixes a built-in's initial weights. */
export async function resolveModel(
  spec: string,
  options: { seed?: number } = {},
): Promise<ResolvedModel> {
  const kind = modelKind(spec);
  if (kind === 'builtin') {
    const builtin = findBuiltinModel(spec)!;
    return {
      model: builtin.create(options.seed === undefined ? {} : { seed: options.seed }),
      source: { kind, ref: builtin.name },
      builtin,
      customObjects: [],
    };
  }
  const path = resolve(spec);
  if (kind === 'json') {
    return {
      model: await loadModelFile(spec),
      source: { kind, ref: path },
      builtin: undefined,
      customObjects: [],
    };
  }
  return {
    model: await loadModelModule(spec),
    source: { kind, ref: path },
    builtin: undefined,
    customObjects: [path],
  };
}
