import { type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  Callback,
  CallbackList,
  callbacks,
  History,
  type Logs,
  layers,
  losses,
  type RunContext,
  sequential,
} from '../index.js';

describe('History', () => {
  it('records one value per epoch under each log key', () => {
    const h = new History();
    h.onEpochEnd(0, { loss: 1, accuracy: 0.5 });
    h.onEpochEnd(1, { loss: 0.5, accuracy: 0.75, val_loss: 0.6 });
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history).toEqual({ loss: [1, 0.5], accuracy: [0.5, 0.75], val_loss: [0.6] });
  });
});

describe('CallbackList', () => {
  it('awaits each hook in order and hands every callback its own copy of the logs', async () => {
    const seen: string[] = [];
    class Slow extends Callback {
      override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
        await new Promise((r) => setTimeout(r, 5));
        logs['loss'] = -1;
        seen.push(`slow ${epoch}`);
      }
    }
    class Fast extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        seen.push(`fast ${epoch} ${logs['loss']}`);
      }
    }
    const list = new CallbackList([new Slow(), new Fast()]);
    await list.onEpochEnd(3, { loss: 2 });
    await list.onBatchEnd(0);
    expect(seen).toEqual(['slow 3', 'fast 3 2']);
  });

  it('batch hooks: awaited in order when one returns a promise, nothing to await when none does', async () => {
    const seen: string[] = [];
    const slow = {
      onBatchEnd: async (batch: number, logs: Logs) => {
        await new Promise((r) => setTimeout(r, 5));
        logs['loss'] = -1;
        seen.push(`slow ${batch}`);
      },
    };
    const fast = {
      onBatchEnd: (batch: number, logs: Logs) => void seen.push(`fast ${batch} ${logs['loss']}`),
    };
    const pending = new CallbackList([fast, slow, fast]).onBatchEnd(4, { loss: 2 });
    expect(seen).toEqual(['fast 4 2']);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(seen).toEqual(['fast 4 2', 'slow 4', 'fast 4 2']);
    const quick = new CallbackList([fast, { onBatchBegin: () => undefined }]);
    expect(quick.onBatchEnd(5)).toBeUndefined();
    expect(quick.onBatchBegin(5)).toBeUndefined();
    expect(seen.at(-1)).toBe('fast 5 undefined');
  });

  it('wraps plain objects of hooks and rejects what is neither', async () => {
    const seen: number[] = [];
    const list = new CallbackList([{ onEpochEnd: (epoch: number) => void seen.push(epoch) }]);
    await list.onEpochEnd(3, {});
    expect(seen).toEqual([3]);
    expect(() => new CallbackList([{} as unknown as Callback])).toThrow(
      'callbacks[0] must be a Callback or an object of hooks',
    );
    expect(() => new CallbackList([{ onEpochEnd: 1 } as unknown as Callback])).toThrow(ValueError);
  });
});

describe('CallbackList: the trainer hooks', () => {
  it('forwards a plain object’s trainer hooks and copies logs for each of them', async () => {
    const seen: string[] = [];
    const context = { name: 'ctx' };
    const vetoing = {
      setTrainer: (c: { name: string }) => void seen.push(`trainer ${c.name}`),
      beforeUpdate(iteration: number, logs: Logs): boolean {
        logs['loss'] = -1;
        seen.push(`veto ${iteration}`);
        return false;
      },
      nextStop: (iteration: number) => iteration + 5,
    };
    const watching = {
      beforeUpdate: (_: number, logs: Logs) => {
        seen.push(`never asked ${logs['loss']}`);
        return true;
      },
      onNonFiniteLoss: (iteration: number, logs: Logs) =>
        void seen.push(`nan ${iteration} ${logs['loss']}`),
      onInterrupt: () => void seen.push('interrupt'),
      nextStop: () => 3,
    };
    const list = new CallbackList<{ name: string }>([vetoing, watching]);
    list.setTrainer(context);
    const logs = { loss: 2 };
    expect(list.beforeUpdate(7, logs)).toBe(false);
    list.onNonFiniteLoss(8, logs);
    await list.onInterrupt();
    expect(logs).toEqual({ loss: 2 });
    expect(seen).toEqual(['trainer ctx', 'veto 7', 'nan 8 2', 'interrupt']);
    expect(list.nextStop(1)).toBe(3);
    expect(list.nextStop(3)).toBe(8);
    expect([list.wantsVeto, list.guardsLoss, list.wantsBatches]).toEqual([true, true, true]);
    const quiet = new CallbackList([{ onEpochEnd: () => undefined }]);
    expect([quiet.wantsVeto, quiet.guardsLoss, quiet.wantsBatches]).toEqual([false, false, false]);
    expect(quiet.nextStop(0)).toBe(Number.POSITIVE_INFINITY);
    expect(quiet.beforeUpdate(0, {})).toBe(true);
  });

  it('batchHooksReadLogsOnly: true only when every callback with batch hooks says so', () => {
    const reader = { batchHooksReadLogsOnly: true, onBatchEnd: () => undefined };
    const epochs = { onEpochEnd: () => undefined };
    expect(new CallbackList([reader, epochs]).batchHooksReadLogsOnly).toBe(true);
    expect(new CallbackList([]).batchHooksReadLogsOnly).toBe(true);
    const other = { onBatchBegin: () => undefined };
    expect(new CallbackList([reader, other]).batchHooksReadLogsOnly).toBe(false);
    const said = { batchHooksReadLogsOnly: false, onBatchEnd: () => undefined };
    expect(new CallbackList([said]).batchHooksReadLogsOnly).toBe(false);
    expect(
      () =>
        new CallbackList([
          { batchHooksReadLogsOnly: 'yes', onBatchEnd: () => {} } as unknown as Callback,
        ]),
    ).toThrow(
      /^callbacks\[0\]\.batchHooksReadLogsOnly must be a boolean\. Received: batchHooksReadLogsOnly="yes"/,
    );
  });
});

describe('TerminateOnNaN and the run context in model.fit', () => {
  it('stops before the update of the first step whose loss is not finite', async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })], { seed: 2 });
    let calls = 0;
    const exploding = {
      name: 'exploding',
      call: (yTrue: Tensor, yPred: Tensor) => {
        calls++;
        const loss = losses.get('mse').call(yTrue, yPred);
        return calls === 3 ? tf.mul(loss, Number.NaN) : loss;
      },
      getConfig: () => ({}),
    };
    m.compile({ optimizer: 'sgd', loss: exploding });
    const x = tf.ones([8, 3]);
    const y = tf.zeros([8, 2]);
    const guard = callbacks.terminateOnNaN();
    const steps: Record<string, Float32Array>[] = [];
    let context: RunContext | undefined;
    const recorder = {
      setTrainer: (c: RunContext) => {
        context = c;
      },
      onBatchEnd: () => {
        steps.push(context!.snapshotWeights());
      },
    };
    const h = await m.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [guard, recorder],
    });
    expect(guard.stoppedAt).toBe(3);
    expect(steps).toHaveLength(2);
    // The bad step changed nothing: the weights are those after step 2, all finite.
    const now = m.getWeights().map((t) => Array.from(t.dataSync()));
    expect(now.flat()).toEqual(Object.values(steps[1]!).flatMap((v) => Array.from(v)));
    expect(now.flat().every(Number.isFinite)).toBe(true);
    expect(m.optimizerState?.iteration).toBe(2);
    // As Keras, the stopped epoch still ends, with the logs of its two applied steps.
    expect(h.epoch).toEqual([0]);
    expect(Number.isFinite(h.history['loss']![0]!)).toBe(true);
    tf.dispose([x, y]);
    m.dispose();
  });
});
