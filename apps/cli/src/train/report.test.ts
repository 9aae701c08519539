import type { HistoryData } from '@tessera/trainer';
import { describe, expect, it } from 'vitest';
import { epochsTrainedText } from './report.js';

/** A history of `n` epochs (only the epoch list matters here). */
const epochs = (n: number): HistoryData =>
  ({ epoch: Array.from({ length: n }, (_, i) => i), history: {} }) as unknown as HistoryData;

describe('epochsTrainedText', () => {
  it('counts every epoch of a fresh run', () => {
    expect(epochsTrainedText(epochs(10), undefined)).toBe('Trained 10 epoch(s)');
  });

  it('counts only the epochs of this session after a resume', () => {
    expect(epochsTrainedText(epochs(10), { epochs: 1, batch: 0 })).toBe(
      'Trained 9 epoch(s) (epochs 2–10, resumed from epoch 1)',
    );
    expect(epochsTrainedText(epochs(3), { epochs: 2, batch: 0 })).toBe(
      'Trained 1 epoch(s) (epoch 3, resumed from epoch 2)',
    );
  });

  it('counts an epoch the checkpoint stopped inside as run here, and says where it took up', () => {
    expect(epochsTrainedText(epochs(5), { epochs: 1, batch: 7 })).toBe(
      'Trained 4 epoch(s) (epochs 2–5, resumed inside epoch 2 at batch 7)',
    );
  });

  it('says so when the checkpoint had no epochs left to run', () => {
    expect(epochsTrainedText(epochs(4), { epochs: 4, batch: 0 })).toBe(
      'Trained 0 epoch(s) (none left to run, resumed from epoch 4)',
    );
  });
});
