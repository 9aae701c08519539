/**
 * Calls every callback's hook in list order, awaiting each (so an async hook finishes
 * before the next one and before training continues).
 */
import type { Model } from '../engine/model.js';
import type { Callback, FitParams, Logs } from './callback.js';
import { type CallbackLike, toCallback } from './plain-callback.js';

/** The callbacks of one run, called in order. */
export class CallbackList {
  readonly callbacks: Callback[];

  /**
   * `callbacks` are the user's (Callback instances or plain objects of hooks; a bad one is
   * reported by its index in that list); `builtIn` ones (History) run first.
   */
  constructor(callbacks: readonly CallbackLike[] = [], builtIn: readonly Callback[] = []) {
    const own = callbacks.map((c, i) => toCallback(c, `callbacks[${i}]`));
    this.callbacks = [...builtIn, ...own];
  }

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  setParams(params: FitParams): void {
    for (const c of this.callbacks) c.setParams(params);
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

  async onBatchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, { ...logs });
  }

  async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, { ...logs });
  }
}
