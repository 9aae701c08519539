import { ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Callback, CallbackList, History, type Logs } from '../index.js';

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
});
