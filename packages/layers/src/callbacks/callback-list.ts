/**
 * Calls every callback's hook in list order, awaiting each (so an async hook finishes
 * before the next one and before training continues).
 */
import { received, ValueError } from '@tessera/core';
import type { Model } from '../engine/model.js';
import { Callback, type FitParams, type Logs } from './callback.js';

/** The callbacks of one run, called in order. */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: readonly Callback[] = []) {
    callbacks.forEach((c, i) => {
      if (!(c instanceof Callback)) {
        throw new ValueError(
          received(`callbacks[${i}] must be a Callback (extend the Callback class)`, 'callback', c),
        );
      }
    });
    this.callbacks = [...callbacks];
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
