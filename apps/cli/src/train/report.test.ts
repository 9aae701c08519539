import type { HistoryData } from '@tessera/trainer';
import { describe, expect, it } from 'vitest';
import {
  epochsTrainedText,
  nothingTrained,
  nothingTrainedText,
  type TrainReportArgs,
  trainingPathText,
  trainJson,
  trainText,
} from './report.js';

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
});

describe('a resume with no epochs left to run', () => {
  const report = (history: HistoryData, resumedFrom: TrainReportArgs['resumedFrom']) => ({
    model: 'iris-mlp',
    dataset: 'iris',
    workers: 2,
    batchSize: 16,
    seed: 1,
    history,
    samplesPerSecond: 8018, // the old run's, from its history
    train: { loss: 0.8 },
    validation: undefined,
    test: { loss: 0.65 },
    testExamples: 30,
    testDescription: 'the iris test split',
    checkpoint: null,
    bestCheckpoint: null,
    out: 'runs/a',
    trainingSeconds: 0.8,
    epochs: 1,
    resumedFrom,
  });

  it('says plainly that nothing was trained, and gives no speed', () => {
    const args = report(epochs(2), { path: 'runs/a/checkpoints/latest.tsr', epochs: 2, batch: 0 });
    expect(nothingTrained(args)).toBe(true);
    expect(trainText(args)).toEqual([
      'Nothing trained: the checkpoint had finished 2 epoch(s) and the run ends at epoch 1; pass --epochs 3 or more to train on',
      'Test on the iris test split (30 examples): loss 0.6500',
      'Checkpoint: none written (the model is the one in runs/a/checkpoints/latest.tsr)',
      'Run folder: runs/a (history, learning curves, summary, model plot)',
    ]);
    expect(trainJson(args)['samples_per_second']).toBeNull();
  });

  it('says where a checkpoint taken inside an epoch stood', () => {
    expect(nothingTrainedText({ path: 'x.tsr', epochs: 1, batch: 3 }, 1)).toBe(
      'Nothing trained: the checkpoint had stopped inside epoch 2 at batch 3 and the run ends at epoch 1; pass --epochs 2 or more to train on',
    );
  });

  it('keeps the speed of a resume that trained', () => {
    const args = report(epochs(3), { path: 'x.tsr', epochs: 2, batch: 0 });
    expect(nothingTrained(args)).toBe(false);
    expect(trainText(args)[0]).toMatch(/^Trained 1 epoch\(s\) \(epoch 3, .*: 8,018 samples\/s$/);
    expect(trainJson(args)['samples_per_second']).toBe(8018);
  });
});

describe('the training path', () => {
  const withPath = (trainingPath: HistoryData['trainingPath']): HistoryData =>
    ({ ...epochs(1), trainingPath }) as HistoryData;

  it('says when the workers split the hidden units, in the text and in --json', () => {
    const units = withPath({
      path: 'resident',
      sparseInput: true,
      density: 0.19,
      parallel: 'units',
    });
    expect(trainingPathText(units)).toBe(
      'Training path: resident step (compressed input rows, 19% nonzero, workers split the hidden units)',
    );
    const rows = withPath({ path: 'resident', sparseInput: false, density: 0.5, parallel: 'rows' });
    expect(trainingPathText(rows)).toBe('Training path: resident step (dense input rows)');
    const json = (history: HistoryData) =>
      trainJson({
        model: 'mnist-mlp',
        dataset: 'mnist',
        workers: 2,
        batchSize: 128,
        seed: 1,
        history,
        samplesPerSecond: 1,
        train: { loss: 1 },
        validation: undefined,
        test: { loss: 1 },
        testExamples: 0,
        testDescription: '',
        checkpoint: null,
        bestCheckpoint: null,
        out: 'runs/a',
        trainingSeconds: 1,
        epochs: 1,
      })['training_path'];
    expect(json(units)).toEqual({
      path: 'resident',
      sparse_input: true,
      density: 0.19,
      parallel: 'units',
    });
    expect(json(rows)).toMatchObject({ parallel: 'rows' });
  });
});
