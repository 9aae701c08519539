/**
 * The callbacks of one run, for both fits: the in-process `model.fit` and the data-parallel
 * trainer. Each hook is called on every callback in list order, awaiting each (so an async
 * hook finishes before the next one and before training continues), and every callback gets
 * its own copy of the logs (one callback's edits never reach the next). The hooks beyond
 * Keras's (`setTrainer`, `beforeUpdate`, `onInterrupt`, `nextStop`, `onNonFiniteLoss`) are
 * described in plain-callback.ts; the epoch loop (engine/epoch-loop.ts) calls them all.
 *
 * ```ts
 * const list = new CallbackList([callbacks.earlyStopping()], [history]);
 * list.setModel(model);
 * await list.onEpochEnd(0, { loss: 0.3 });
 * ```
 */
import type { Model } from '../engine/model.js';
import type { Callback, FitParams, Logs } from './callback.js';
import { type CallbackLike, type ListedCallback, toCallback } from './plain-callback.js';

/** The callbacks of one run, called in order. `Context` is what `setTrainer` hands them. */
export class CallbackList<Context = unknown> {
  readonly callbacks: ListedCallback<Context>[];

  /**
   * `callbacks` are the user's (Callback instances or plain objects of hooks; a bad one is
   * reported by its index in that list); `builtIn` ones (History) run first.
   */
  constructor(callbacks: readonly CallbackLike<Context>[] = [], builtIn: readonly Callback[] = []) {
    const own = callbacks.map((c, i) => toCallback<Context>(c, `callbacks[${i}]`));
    this.callbacks = [...builtIn, ...own];
  }

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  setParams(params: FitParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  /** Hands the trainer's context to the callbacks that ask for it. */
  setTrainer(context: Context): void {
    for (const c of this.callbacks) c.setTrainer?.(context);
  }

  async onTrainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.({ ...logs });
  }

  async onTrainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.({ ...logs });
  }

  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, { ...logs });
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, { ...logs });
  }

  /**
   * The batch hooks are called for every step: a hook that returns a promise is awaited
   * before the next one runs, but when none does nothing is awaited and undefined is
   * returned (the epoch loop then goes on without a turn of the microtask queue).
   */
  onBatchBegin(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.batchHook('onBatchBegin', 0, batch, logs);
  }

  onBatchEnd(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.batchHook('onBatchEnd', 0, batch, logs);
  }

  /** `hook` of the callbacks from index `from` on (see onBatchBegin). */
  private batchHook(
    hook: 'onBatchBegin' | 'onBatchEnd',
    from: number,
    batch: number,
    logs: Logs,
  ): Promise<void> | undefined {
    const list = this.callbacks;
    for (let i = from; i < list.length; i++) {
      const result: unknown = list[i]![hook]?.(batch, { ...logs });
      if (isThenable(result)) {
        return Promise.resolve(result).then(() => this.batchHook(hook, i + 1, batch, logs));
      }
    }
    return undefined;
  }

  /** True when every callback lets the update go ahead (asked in order; the first veto ends the asking). */
  beforeUpdate(iteration: number, logs: Logs): boolean {
    return this.callbacks.every((c) => c.beforeUpdate?.(iteration, { ...logs }) ?? true);
  }

  async onInterrupt(): Promise<void> {
    for (const c of this.callbacks) await c.onInterrupt?.();
  }

  /** Tells the guarding callbacks which step's loss was not finite. */
  onNonFiniteLoss(iteration: number, logs: Logs): void {
    for (const c of this.callbacks) c.onNonFiniteLoss?.(iteration, { ...logs });
  }

  /** The nearest iteration after `iteration` some callback must see the state of (Infinity for none). */
  nextStop(iteration: number): number {
    let stop = Number.POSITIVE_INFINITY;
    for (const c of this.callbacks) {
      const at = c.nextStop?.(iteration);
      if (at !== undefined && at > iteration) stop = Math.min(stop, at);
    }
    return stop;
  }

  /** True when some callback asks the workers to guard against a non-finite loss. */
  get guardsLoss(): boolean {
    return this.callbacks.some((c) => c.onNonFiniteLoss !== undefined);
  }

  /** True when some callback may veto an update (the workers then wait for its answer). */
  get wantsVeto(): boolean {
    return this.callbacks.some((c) => c.beforeUpdate !== undefined);
  }

  /** True when some callback has a batch hook (then per-batch logs are worth building). */
  get wantsBatches(): boolean {
    return this.callbacks.some(hasBatchHooks);
  }

  /**
   * True when every callback with batch hooks reads only their logs (`batchHooksReadLogsOnly`):
   * the next run of steps may then go on while they run.
   */
  get batchHooksReadLogsOnly(): boolean {
    return this.callbacks.every((c) => !hasBatchHooks(c) || c.batchHooksReadLogsOnly === true);
  }
}

function hasBatchHooks(c: ListedCallback<unknown>): boolean {
  return c.onBatchBegin !== undefined || c.onBatchEnd !== undefined || c.beforeUpdate !== undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
