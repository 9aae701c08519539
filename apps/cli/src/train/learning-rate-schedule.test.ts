import { join } from 'node:path';
import { optimizers } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../testing/expect-error.js';
import { trainOneEpoch } from '../testing/pytorch-runs.js';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { applySchedule, checkResumedRate, runSteps } from './learning-rate-schedule.js';
import { planRun } from './plan.js';

const tmp = tempFolder('tessera-schedule-');
afterAll(() => tmp.cleanup());

describe('runSteps', () => {
  it('counts every batch of every epoch of the rows left after the validation split', () => {
    // MNIST: 60,000 rows, 6,000 held out, 54,000 / 128 = 421.9 → 422 batches an epoch.
    expect(runSteps({ examples: 60_000, validationSplit: 0.1, batchSize: 128, epochs: 10 })).toBe(
      4220,
    );
    // Iris: 120 rows, 24 held out; 96 / 16 = 6 whole batches.
    expect(runSteps({ examples: 120, validationSplit: 0.2, batchSize: 16, epochs: 60 })).toBe(360);
    // 7 rows, none held out, batches of 3: 3 + 3 + 1.
    expect(runSteps({ examples: 7, validationSplit: 0, batchSize: 3, epochs: 2 })).toBe(6);
  });
});

describe('applySchedule', () => {
  it('leaves a constant rate alone', () => {
    const adam = optimizers.adam({ learningRate: 0.01 });
    applySchedule(adam, 'constant', 100);
    expect(adam.learningRate).toBe(0.01);
  });

  it('cosine: the rate starts at the optimizer’s, follows half a cosine, and is 0 after the last step', () => {
    const adam = optimizers.adam({ learningRate: 3e-3 });
    applySchedule(adam, 'cosine', 40);
    // learningRateAt(i) is the rate of the i-th step (step i − 1 counted from 0).
    const expected = (step: number) => 0.5 * 3e-3 * (1 + Math.cos((Math.PI * step) / 40));
    expect(adam.learningRateAt(1)).toBeCloseTo(3e-3, 12);
    expect(adam.learningRateAt(11)).toBeCloseTo(expected(10), 12); // a quarter: 0.85 of the start
    expect(adam.learningRateAt(21)).toBeCloseTo(1.5e-3, 12); // half way: half the start
    expect(adam.learningRateAt(40)).toBeCloseTo(expected(39), 12); // the last step, ~4.6e-6
    expect(adam.learningRateAt(40)).toBeGreaterThan(0);
    expect(adam.learningRateAt(41)).toBe(0);
    expect(adam.learningRateAt(500)).toBe(0);
    // The schedule is part of the optimizer's config, so checkpoints keep it.
    expect(adam.getConfig()['learningRate']).toEqual({
      className: 'CosineDecay',
      config: expect.objectContaining({ initialLearningRate: 3e-3, decaySteps: 40, alpha: 0 }),
    });
  });

  it('refuses an optimizer that already follows a schedule, and a run without steps', () => {
    const scheduled = optimizers.sgd({
      learningRate: optimizers.schedules.exponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 10,
        decayRate: 0.5,
      }),
    });
    expect(() => applySchedule(scheduled, 'cosine', 10)).toThrow(
      "--lr-schedule cosine: expected an optimizer with a constant learning rate to start from. Received: the model's optimizer already follows the schedule ExponentialDecay; drop --lr-schedule, or pass --learning-rate",
    );
    expect(() => applySchedule(optimizers.adam(), 'cosine', 0)).toThrow(
      '--lr-schedule cosine: expected a run of at least one step. Received: steps=0',
    );
  });
});

describe('planRun', () => {
  /** The optimizer's schedule config of a planned run. */
  const scheduleOf = async (options: Parameters<typeof planRun>[0]) =>
    (await planRun(options)).settings.optimizer.getConfig()['learningRate'];

  it("gives mnist-mlp its recipe's cosine over the run's 4,220 steps", async () => {
    expect(await scheduleOf({ model: 'mnist-mlp', seed: 1 })).toEqual({
      className: 'CosineDecay',
      config: expect.objectContaining({ initialLearningRate: 3e-3, decaySteps: 4220, alpha: 0 }),
    });
  }, 60_000);

  it('follows --epochs, --batch-size, --validation-split and --learning-rate; constant is a number', async () => {
    // Iris: 120 training rows; a tenth held out leaves 108, in batches of 10: 11 an epoch.
    expect(
      await scheduleOf({
        model: 'iris-mlp',
        seed: 1,
        lrSchedule: 'cosine',
        epochs: 3,
        batchSize: 10,
        validationSplit: 0.1,
        learningRate: 0.02,
      }),
    ).toEqual({
      className: 'CosineDecay',
      config: expect.objectContaining({ initialLearningRate: 0.02, decaySteps: 33, alpha: 0 }),
    });
    expect(await scheduleOf({ model: 'mnist-mlp', seed: 1, lrSchedule: 'constant' })).toBe(3e-3);
    expect(await scheduleOf({ model: 'iris-mlp', seed: 1 })).toBe(0.01);
  }, 60_000);
});

describe('checkResumedRate', () => {
  const saved = (
    learningRate: number | ReturnType<typeof optimizers.schedules.cosineDecay>,
    iteration: number,
  ) => {
    const adam = optimizers.adam({ learningRate });
    return { config: optimizers.serialize(adam), iteration, slots: {} };
  };
  const cosine = () =>
    optimizers.schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 12, alpha: 0 });

  it('lets a run resume while its rate is above 0, or when nothing is left to train', () => {
    expect(() => checkResumedRate(saved(0.01, 12), 24, 4)).not.toThrow();
    expect(() => checkResumedRate(saved(cosine(), 6), 12, 2)).not.toThrow();
    expect(() => checkResumedRate(saved(cosine(), 12), 12, 2)).not.toThrow();
  });

  it('refuses more epochs of a run whose cosine has come down to 0', () => {
    expect(() => checkResumedRate(saved(cosine(), 12), 24, 4)).toThrow(
      "--epochs 4: expected a learning rate above 0 for the steps left to train. Received: the resumed run's CosineDecay schedule has brought it to 0 by step 12, so steps 13–24 would change nothing; start a new run (--lr-schedule spans the epochs it starts with)",
    );
  });

  it('tessera train --resume: one error line, exit 2', async () => {
    const latest = await trainOneEpoch(join(tmp.dir, 'finished'), [
      '--model',
      'iris-mlp',
      '--lr-schedule',
      'cosine',
    ]);
    expectUsageError(
      await runInProcess(['train', '--resume', latest, '--epochs', '2']),
      /^error: --epochs 2: expected a learning rate above 0 for the steps left to train\. Received: the resumed run's CosineDecay schedule has brought it to 0 by step 6, so steps 7–12 would change nothing/,
    );
  }, 60_000);
});
