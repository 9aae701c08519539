/**
 * Callbacks given as plain objects of hooks (`{ onEpochEnd(epoch, logs) { … } }`), as tfjs
 * allows: wrapped in a Callback that forwards each hook it has.
 *
 * ```ts
 * await m.fit(x, y, { epochs: 3, callbacks: [{ onEpochEnd: (e, logs) => log(e, logs) }] });
 * ```
 */
import { received, ValueError } from '@tessera/core';
import { isRecord } from '../registry/checks.js';
import { Callback, type Logs } from './callback.js';

/** The hooks a plain-object callback may define (any subset). */
export interface CallbackHooks {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** A Callback instance, or a plain object of hooks. */
export type CallbackLike = Callback | CallbackHooks;

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
] as const;

/** Forwards the hooks of a plain object. */
class PlainCallback extends Callback {
  constructor(hooks: CallbackHooks) {
    super();
    for (const hook of HOOKS) {
      const fn = hooks[hook];
      if (fn !== undefined) Object.defineProperty(this, hook, { value: fn.bind(hooks) });
    }
  }
}

/**
 * `value` as a Callback: returned as is, or a plain object of hooks wrapped. `where` names
 * it in the error (`callbacks[0]`): an object with no known hook, or a hook that is not a
 * function, is rejected.
 */
export function toCallback(value: unknown, where: string): Callback {
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
  return new PlainCallback(value as CallbackHooks);
}
