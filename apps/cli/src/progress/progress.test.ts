import { describe, expect, it } from 'vitest';
import { TextSink } from '../io.js';
import { formatDuration, formatLogs } from './format.js';
import { TrainingProgress } from './progress.js';

/** Drives the callback through one epoch of 3 batches (10 examples, batch 4). */
function runEpoch(progress: TrainingProgress): void {
  progress.onEpochBegin(0);
  progress.onBatchEnd(0, { loss: 1, accuracy: 0.5 });
  progress.onBatchEnd(1, { loss: 0.5, accuracy: 0.75 });
  progress.onBatchEnd(2, { loss: 0.25, accuracy: 1 });
  progress.onEpochEnd(0, { loss: 0.65, accuracy: 0.7, val_loss: 0.9 });
  progress.onTrainEnd();
}

describe('TrainingProgress', () => {
  it('prints one summary line per epoch when the stream is not a terminal', () => {
    const sink = new TextSink();
    runEpoch(new TrainingProgress({ stream: sink, epochs: 2, examples: 10, batchSize: 4 }));
    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Epoch 1\/2 - \d+\.\ds - loss: 0\.6500 - accuracy: 0\.7000 - val_loss: 0\.9000 - [\d,]+ samples\/s$/,
    );
  });

  it('draws a bar with running means on a terminal, then the summary line', () => {
    const sink = new TextSink({ isTTY: true, columns: 160 });
    runEpoch(new TrainingProgress({ stream: sink, epochs: 2, examples: 10, batchSize: 4 }));
    // The bar is drawn at least at its start; its format shows the epoch and the batch count.
    expect(sink.text).toMatch(/Epoch 1\/2 \[[=-]+\] \d\/3/);
    expect(sink.text).toContain('\u001b[');
    expect(sink.text.trimEnd().split('\n').at(-1)).toMatch(
      /Epoch 1\/2 - .* - loss: 0\.6500 .* samples\/s$/,
    );
  });

  it('says an epoch a non-finite loss cut short was cut short, without a speed', () => {
    const sink = new TextSink();
    const progress = new TrainingProgress({ stream: sink, epochs: 5, examples: 24, batchSize: 4 });
    progress.onEpochBegin(2);
    progress.onBatchEnd(0, { loss: 1 });
    progress.onNonFiniteLoss(14);
    progress.onEpochEnd(2, { loss: 1, val_loss: Number.NaN });
    progress.onTrainEnd();
    expect(sink.text).toMatch(
      /^Epoch 3\/5 cut short after 1 of 6 steps \(the loss of step 14 was not finite\) - \d+\.\ds - loss: 1\.0000 - val_loss: NaN\n$/,
    );
  });

  it('weighs the running means by batch size (the last batch holds 2 of 10 examples)', () => {
    const progress = new TrainingProgress({
      stream: new TextSink(),
      epochs: 1,
      examples: 10,
      batchSize: 4,
    });
    progress.onEpochBegin(0);
    progress.onBatchEnd(0, { loss: 1, accuracy: 0 });
    progress.onBatchEnd(1, { loss: 0.5, accuracy: 1 });
    progress.onBatchEnd(2, { loss: 0.25, accuracy: 1 });
    // (4·1 + 4·0.5 + 2·0.25) / 10 = 0.65 and (4·0 + 4·1 + 2·1) / 10 = 0.6.
    expect(progress.currentMeans()['loss']).toBeCloseTo(0.65, 12);
    expect(progress.currentMeans()['accuracy']).toBeCloseTo(0.6, 12);
  });
});

describe('formats', () => {
  it('formats durations and logs', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatLogs({ loss: 0.123456, accuracy: 1 })).toBe('loss: 0.1235 - accuracy: 1.0000');
  });
});
