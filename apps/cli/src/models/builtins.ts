/** The built-in models `--model` accepts by name. */
import { NotFoundError, received } from '@tessera/core';
import type { BuiltinModel } from './builtin-model.js';
import { digitsMlp } from './digits-mlp.js';
import { irisMlp } from './iris-mlp.js';
import { mnistMlp } from './mnist-mlp.js';
import { studyScoresMlp } from './study-scores-mlp.js';

/** Every built-in model, in listing order. */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  mnistMlp,
  irisMlp,
  digitsMlp,
  studyScoresMlp,
];

/** The built-in model with this name, or undefined. */
export function findBuiltinModel(name: string): BuiltinModel | undefined {
  return BUILTIN_MODELS.find((m) => m.name === name);
}

/** The built-in model with this name; NotFoundError listing the known names otherwise. */
export function getBuiltinModel(name: string): BuiltinModel {
  const found = findBuiltinModel(name);
  if (found === undefined) {
    throw new NotFoundError(
      received(
        `Unknown built-in model; expected one of ${BUILTIN_MODELS.map((m) => m.name).join(', ')}`,
        'model',
        name,
      ),
    );
  }
  return found;
}
