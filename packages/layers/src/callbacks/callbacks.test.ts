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
