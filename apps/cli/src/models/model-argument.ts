/**
 * The model of `summary` and `plot`: `--model <builtin|file.json|module.js>` or
 * `--checkpoint FILE` (exactly one), built so shapes and parameter counts are known.
 */
import { ValueError } from '@tessera/core';
import type { Model } from '@tessera/layers';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import { importCustomObjects } from './custom-objects.js';
import { resolveModel } from './resolve-model.js';

/** The two ways to name a model. */
export interface ModelArgument {
  /** `--model <builtin|file.json|module.js>` */
  model?: string;
  /** `--checkpoint FILE` */
  checkpoint?: string;
  /** `--custom-objects FILE` (repeatable): modules to import first; their code runs. */
  customObjects?: string[];
}

/** Loads the model named by exactly one of `--model` and `--checkpoint`. */
export async function loadModelArgument(
  args: ModelArgument,
): Promise<{ model: Model; label: string }> {
  if (args.model !== undefined && args.checkpoint !== undefined) {
    throw new ValueError('give either --model or --checkpoint, not both');
  }
  if (args.checkpoint !== undefined) {
    const opened = await openCheckpoint(args.checkpoint, { customObjects: args.customObjects });
    return { model: opened.model, label: args.checkpoint };
  }
  if (args.model === undefined) {
    throw new ValueError(
      "required option '--model <builtin|file.json|module.js>' or '--checkpoint <FILE>' not specified",
    );
  }
  await importCustomObjects(args.customObjects);
  const { model } = await resolveModel(args.model);
  if (!model.built) {
    throw new ValueError(
      `${args.model}: the model has no input shape yet, so its shapes and parameter counts are unknown; give its first layer an inputShape (or start it with an input layer)`,
    );
  }
  return { model, label: args.model };
}
