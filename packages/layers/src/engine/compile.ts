/**
 * `model.compile({ optimizer, loss, metrics })`: resolves each identifier through its
 * registry once, so a bad name fails here — with the registry's message naming it —
 * rather than in the middle of `fit`.
 */
import { received, ValueError } from '@tessera/core';
import { type Loss, losses } from '../losses/index.js';
import { type Metric, metrics } from '../metrics/index.js';
import { type Optimizer, optimizers } from '../optimizers/index.js';
import { inContext } from './in-context.js';

/** Arguments of `model.compile`. */
export interface CompileArgs {
  /** A name ('adam', 'sgd', 'rmsprop', …), `{ className, config }`, or an Optimizer. */
  optimizer: Parameters<typeof optimizers.get>[0];
  /** A name ('categorical_crossentropy', 'mse', …), `{ className, config }`, a Loss, or a function. */
  loss: Parameters<typeof losses.get>[0];
  /** Reported by fit/evaluate: names ('accuracy', 'mae'), Metric objects or functions. */
  metrics?: Parameters<typeof metrics.get>[0][];
}

/** What `compile` resolved; `fit`, `evaluate` and the trainer read it. */
export interface CompiledState {
  /** Update rule; its state lives with the caller (`model.optimizerState`, the trainer). */
  optimizer: Optimizer;
  /** The loss (summed over outputs for multi-output models). */
  loss: Loss;
  /** Reported by fit/evaluate, in this order. */
  metrics: Metric[];
}

/** Resolves the compile arguments (errors name the bad argument and value). */
export function resolveCompile(args: CompileArgs): CompiledState {
  if (args === null || typeof args !== 'object') {
    throw new ValueError(received('compile: expected { optimizer, loss, metrics? }', 'args', args));
  }
  if (args.optimizer === undefined || args.optimizer === null) {
    throw new ValueError(received('compile: optimizer is required', 'optimizer', args.optimizer));
  }
  if (args.loss === undefined || args.loss === null) {
    throw new ValueError(received('compile: loss is required', 'loss', args.loss));
  }
  const optimizer = inContext('compile: optimizer', () => optimizers.get(args.optimizer));
  const loss = inContext('compile: loss', () => losses.get(args.loss));
  const list = args.metrics ?? [];
  if (!Array.isArray(list)) {
    throw new ValueError(received('compile: metrics must be an array', 'metrics', list));
  }
  const resolved = list.map((m, i) =>
    inContext(`compile: metrics[${i}]`, () => metrics.get(m, { loss: loss.name })),
  );
  return { optimizer, loss, metrics: resolved };
}
