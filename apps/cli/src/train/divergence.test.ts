import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CheckpointData,
  type HistoryData,
  loadCheckpoint,
  saveCheckpoint,
} from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { DivergenceGuard, divergenceError, finishedHistory } from './divergence.js';

const tmp = tempFolder('tessera-divergence-');
afterAll(() => tmp.cleanup());

/** A history of `n` epochs whose losses are 1, 2, …. */
function history(n: number): HistoryData {
  const epochs = Array.from({ length: n }, (_, i) => i);
  return {
    epoch: epochs,
    history: { loss: epochs.map((i) => i + 1), val_loss: epochs.map((i) => i + 1.5) },
    samplesPerSecond: epochs.map(() => 1000),
    timing: epochs.map(() => ({ computeMs: 1, reduceUpdateMs: 1, waitingMs: 0, otherMs: 0 })),
    seed: 1,
    workers: 1,
    workerTensors: epochs.map(() => [0]),
  };
}

describe('DivergenceGuard', () => {
  it('remembers the epoch that ended after its stop, and only that one', () => {
    const guard = new DivergenceGuard();
    guard.onTrainBegin();
    guard.onEpochEnd(0);
    expect(guard.cutShortEpoch).toBeUndefined();
    guard.onNonFiniteLoss(7, {});
    guard.onEpochEnd(1);
    expect([guard.stoppedAt, guard.cutShortEpoch]).toEqual([7, 1]);
    guard.onTrainBegin();
    expect(guard.cutShortEpoch).toBeUndefined();
  });

  it('knows no cut-short epoch when the stop came at an epoch’s first step (no epoch end)', () => {
    const guard = new DivergenceGuard();
    guard.onTrainBegin();
    guard.onEpochEnd(0);
    guard.onNonFiniteLoss(4, {});
    expect([guard.stoppedAt, guard.cutShortEpoch]).toEqual([4, undefined]);
  });
});

describe('finishedHistory', () => {
  it('drops the epoch a stop cut short, and nothing else', () => {
    const cut = finishedHistory(history(3), 2);
    expect(cut.epoch).toEqual([0, 1]);
    expect(cut.history).toEqual({ loss: [1, 2], val_loss: [1.5, 2.5] });
    expect(cut.samplesPerSecond).toHaveLength(2);
    expect(cut.timing).toHaveLength(2);
    expect(cut.workerTensors).toHaveLength(2);
    expect(finishedHistory(history(3), undefined).epoch).toEqual([0, 1, 2]);
    // A stop at an epoch's first step recorded nothing for it.
    expect(finishedHistory(history(3), 3).epoch).toEqual([0, 1, 2]);
  });
});

describe('divergenceError', () => {
  it('writes the finished epochs’ history and says what is there', async () => {
    const out = join(tmp.dir, 'run');
    const guard = new DivergenceGuard();
    guard.onTrainBegin();
    guard.onNonFiniteLoss(11, {});
    guard.onEpochEnd(2);
    const err = await divergenceError({ out, history: history(3), guard, title: 't' });
    expect(err.message).toBe(
      `training diverged: the loss became NaN or infinite at step 11, in epoch 3, so training stopped; 2 epoch(s) finished before it: their history is in ${join(out, 'history.json')}, no checkpoint was saved; try a lower --learning-rate, or check the data for extreme values`,
    );
    const written = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as HistoryData;
    expect(written.epoch).toEqual([0, 1]);
    expect(readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(out, 'learning-curves.svg'))).toBe(true);
  });

  it('names no file when no epoch finished and nothing was saved', async () => {
    const out = join(tmp.dir, 'nothing');
    const guard = new DivergenceGuard();
    guard.onTrainBegin();
    guard.onNonFiniteLoss(2, {});
    guard.onEpochEnd(0);
    const err = await divergenceError({ out, history: history(1), guard, title: 't' });
    expect(err.message).toBe(
      'training diverged: the loss became NaN or infinite at step 2, in epoch 1, so training stopped; no epoch finished and no checkpoint was saved; try a lower --learning-rate, or check the data for extreme values',
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('the last checkpoint, as divergenceError names it', () => {
  let trained: CheckpointData;
  beforeAll(async () => {
    const out = join(tmp.dir, 'trained');
    const result = await runInProcess([
      'train',
      '--model',
      'iris-mlp',
      '--epochs',
      '2',
      '--workers',
      '1',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    trained = await loadCheckpoint(join(out, 'checkpoints', 'latest.tsr'));
  }, 60_000);

  /** The error for a stop at `step` after `finished` epochs, with `saved` as latest.tsr. */
  async function lineWith(saved: CheckpointData, finished: number, step: number): Promise<string> {
    const out = join(tmp.dir, `saved-${finished}-${step}-${saved.progress.batch}`);
    mkdirSync(join(out, 'checkpoints'), { recursive: true });
    await saveCheckpoint(join(out, 'checkpoints', 'latest.tsr'), saved);
    const guard = new DivergenceGuard();
    guard.onTrainBegin();
    guard.onNonFiniteLoss(step, {});
    const err = await divergenceError({ out, history: history(finished), guard, title: 't' });
    return err.message.replace(join(out, 'checkpoints', 'latest.tsr'), 'LATEST');
  }

  it('says after which epoch, or at which step, its weights are', async () => {
    expect(trained.history.epoch).toHaveLength(2);
    expect(trained.optimizer.iteration).toBe(12);
    expect(await lineWith(trained, 2, 14)).toContain(
      ', LATEST holds the weights after epoch 2; try',
    );
    // An epoch cut short with finite logs was checkpointed as the trainer's epoch 2.
    expect(await lineWith(trained, 1, 13)).toContain(
      ', LATEST holds the weights after step 12, in epoch 2, which the stop cut short; try',
    );
    // An earlier session's Ctrl-C checkpoint, inside epoch 3.
    const inside = { ...trained, progress: { ...trained.progress, epoch: 2, batch: 3 } };
    inside.optimizer = { ...trained.optimizer, iteration: 15 };
    expect(await lineWith(inside, 2, 17)).toContain(
      ', LATEST holds the weights after step 15, inside epoch 3; try',
    );
  });
});
