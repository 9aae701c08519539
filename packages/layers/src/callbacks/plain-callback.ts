/**
 * Callbacks given as plain objects of hooks (`{ onEpochEnd(epoch, logs) { … } }`), as tfjs
 * allows: wrapped in a Callback that forwards each hook it has.
 *
 * ```ts
 * await m.fit(x, y, { epochs: 3, callbacks: [{ onEpochEnd: (e, logs) => log(e, logs) }] });
 * ```
 */
import { received, ValueError } from '@tessera/core';
import type { Model } from '../engine/model.js';
import { isRecord } from '../registry/checks.js';
import { Callback, type FitParams, type Logs } from './callback.js';

/** The hooks a plain-object callback may define (any subset). */
export interface CallbackHooks {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/**
 * Hooks beyond Keras's, called by both fits through the one epoch loop (epoch-loop.ts):
 * `setTrainer` hands out the run's context (a RunContext in `model.fit`, the trainer's
 * `TrainerContext`, which adds checkpoints), `beforeUpdate` vetoes, `nextStop` ends the
 * trainer's runs of steps where a callback must see the state, `onNonFiniteLoss` turns on
 * the loss guard; `onInterrupt` is called when an AbortSignal stops the trainer.
 */
export interface TrainerHooks<Context = unknown> {
  setModel?(model: Model): void;
  setParams?(params: FitParams): void;
  /** Access to the run's shared state (weights, optimizer, checkpoints). */
  setTrainer?(context: Context): void;
  /** Called after the gradients of a step, before the update; false skips the update and stops training. */
  beforeUpdate?(iteration: number, logs: Logs): boolean;
  /** An AbortSignal is stopping the run between two steps. */
  onInterrupt?(): void | Promise<void>;
  /**
   * The next optimizer iteration after `iteration` at which this callback reads the run's
   * state in `onBatchEnd`, or undefined for none (runs of steps end there).
   */
  nextStop?(iteration: number): number | undefined;
  /**
   * Present: the update of a step whose loss is not finite is skipped (by the workers
   * themselves in the trainer) and training ends there; this is then called with that
   * step's iteration and logs.
   */
  onNonFiniteLoss?(iteration: number, logs: Logs): void;
  /**
   * True when this callback's batch hooks only look at what they are handed (the batch
   * index and logs, the run's parameters) and the state at the steps it names with
   * `nextStop`: elsewhere they read no weights, change nothing the steps use (no learning
   * rate, no weight) and never set `stopTraining`. A progress bar or a logger is such a
   * callback. When every callback with batch hooks says so, the trainer posts the next run
   * of steps before calling the hooks of the last one, and the workers go on while they run
   * (engine/epoch-loop.ts); the hooks of a run that ends at a `nextStop` step are still
   * called with no run in flight.
   */
  batchHooksReadLogsOnly?: boolean;
}

/** A Callback instance, or a plain object of hooks. */
export type CallbackLike<Context = unknown> = Callback | (CallbackHooks & TrainerHooks<Context>);

/** A callback as a CallbackList holds it: a Callback, with whichever trainer hooks it has. */
export type ListedCallback<Context = unknown> = Callback & TrainerHooks<Context>;

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
  'setModel',
  'setParams',
  'setTrainer',
  'beforeUpdate',
  'onInterrupt',
  'nextStop',
  'onNonFiniteLoss',
] as const;

/** Forwards the hooks of a plain object (its own setModel/setParams too, when it has them). */
class PlainCallback extends Callback {
  constructor(hooks: CallbackHooks & TrainerHooks) {
    super();
    for (const hook of HOOKS) {
      const fn = hooks[hook];
      if (fn !== undefined) Object.defineProperty(this, hook, { value: fn.bind(hooks) });
    }
    if (hooks.batchHooksReadLogsOnly === true) {
      Object.defineProperty(this, 'batchHooksReadLogsOnly', { value: true });
    }
  }
}

/**
 * `value` as a Callback: returned as is, or a plain object of hooks wrapped. `where` names
 * it in the error (`callbacks[0]`): an object with no known hook, or a hook that is not a
 * function, is rejected.
 */
export function toCallback<Context = unknown>(
  value: unknown,
  where: string,
): ListedCallback<Context> {
  if (value instanceof Callback) return value;
  const expected = `${where} must be a Callback or an object of hooks (${HOOKS.join(', ')})`;
  if (!isRecord(value) || !HOOKS.some((h) => value[h] !== undefined)) {
    throw new ValueError(received(expected, 'callback', value));
  }
  for (const hook of HOOKS) {
    if (value[hook] !== undefined && typeof value[hook] !== 'function') {
      throw new ValueError(received(`${where}.${hook} must be a function`, hook, value[hook]));
    }
  }
  const readsLogs = value['batchHooksReadLogsOnly'];
  if (readsLogs !== undefined && typeof readsLogs !== 'boolean') {
    throw new ValueError(
      received(
        `${where}.batchHooksReadLogsOnly must be a boolean`,
        'batchHooksReadLogsOnly',
        readsLogs,
      ),
    );
  }
  return new PlainCallback(value as CallbackHooks & TrainerHooks);
}
