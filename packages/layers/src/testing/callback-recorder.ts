/**
 * A callback that records every Keras hook call of a fit — which hook, its epoch or batch,
 * a copy of its logs and the optimizer iteration it saw — so a test can run the same
 * scenario through `model.fit` and the data-parallel trainer and compare the two records.
 * It is a plain object of hooks (both fits take those) and asks for nothing that would
 * change how a fit runs (no veto, no `nextStop`, no loss guard).
 *
 * ```ts
 * const rec = callbackRecorder();
 * await m.fit(x, y, { epochs: 2, callbacks: [rec] });
 * rec.sequence(); // ['trainBegin', 'epochBegin 0', 'batchBegin 0', 'batchEnd 0', …]
 * ```
 */
import type { Logs, RunContext } from '../callbacks/callback.js';

/** One hook call. */
export interface RecordedCall {
  hook: 'trainBegin' | 'epochBegin' | 'batchBegin' | 'batchEnd' | 'epochEnd' | 'trainEnd';
  /** The epoch or batch index (absent for trainBegin / trainEnd). */
  index?: number;
  /** A copy of the logs the hook received. */
  logs: Logs;
  /** Optimizer updates applied when the hook ran. */
  iteration: number | undefined;
}

export interface CallbackRecorder {
  readonly calls: RecordedCall[];
  /** The calls as `'<hook> <index>'` strings, in order. */
  sequence(): string[];
  setTrainer(context: RunContext): void;
  onTrainBegin(logs?: Logs): void;
  onEpochBegin(epoch: number, logs?: Logs): void;
  onBatchBegin(batch: number, logs?: Logs): void;
  onBatchEnd(batch: number, logs?: Logs): void;
  onEpochEnd(epoch: number, logs?: Logs): void;
  onTrainEnd(logs?: Logs): void;
}

export function callbackRecorder(): CallbackRecorder {
  const calls: RecordedCall[] = [];
  let context: RunContext | undefined;
  const add = (hook: RecordedCall['hook'], index: number | undefined, logs: Logs | undefined) => {
    calls.push({
      hook,
      ...(index === undefined ? {} : { index }),
      logs: { ...logs },
      iteration: context?.iteration,
    });
  };
  return {
    calls,
    sequence: () => calls.map((c) => (c.index === undefined ? c.hook : `${c.hook} ${c.index}`)),
    setTrainer(c) {
      context = c;
    },
    onTrainBegin: (logs) => add('trainBegin', undefined, logs),
    onEpochBegin: (epoch, logs) => add('epochBegin', epoch, logs),
    onBatchBegin: (batch, logs) => add('batchBegin', batch, logs),
    onBatchEnd: (batch, logs) => add('batchEnd', batch, logs),
    onEpochEnd: (epoch, logs) => add('epochEnd', epoch, logs),
    onTrainEnd: (logs) => add('trainEnd', undefined, logs),
  };
}
