import type { HistoryData } from '@tessera/trainer';
import { describe, expect, it } from 'vitest';
import {
  historyCsv,
  historyJson,
  historyOfEpochs,
  overallSamplesPerSecond,
} from './history-files.js';

const history = {
  epoch: [0, 1],
  history: { loss: [0.9, 0.4], accuracy: [0.6, 0.85], val_loss: [1, 0.5] },
  samplesPerSecond: [1000, 4000],
  timing: [
    { computeMs: 1, reduceUpdateMs: 1, waitingMs: 0, otherMs: 0 },
    { computeMs: 1, reduceUpdateMs: 1, waitingMs: 0, otherMs: 0 },
  ],
  seed: 7,
  workers: 2,
};

describe('history files', () => {
  it('writes a CSV row per epoch, 1-based, with every logged series', () => {
    expect(historyCsv(history)).toBe(
      'epoch,loss,accuracy,val_loss,samples_per_second\n1,0.9,0.6,1,1000\n2,0.4,0.85,0.5,4000\n',
    );
  });

  it('writes JSON that parses back to the same history', () => {
    expect(JSON.parse(historyJson(history as unknown as HistoryData))).toEqual(history);
  });

  it('averages throughput over time, not over epochs', () => {
    // 1000 examples per epoch: 1 s + 0.25 s for 2000 examples = 1600 examples/s.
    expect(overallSamplesPerSecond(history, 1000)).toBeCloseTo(1600, 9);
    expect(overallSamplesPerSecond({ ...history, samplesPerSecond: [] }, 1000)).toBe(0);
  });

  it('cuts every per-epoch series to the first epochs', () => {
    const full = { ...history, workerTensors: [[1], [2]] } as unknown as HistoryData;
    const first = historyOfEpochs(full, 1);
    expect(first).toEqual({
      ...full,
      epoch: [0],
      history: { loss: [0.9], accuracy: [0.6], val_loss: [1] },
      samplesPerSecond: [1000],
      timing: [history.timing[0]],
      workerTensors: [[1]],
    });
    expect(full.epoch).toEqual([0, 1]);
  });
});
