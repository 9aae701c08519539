/**
 * Callbacks of @tessera/layers, translated from the peers' suites: Keras 3
 * `keras/src/callbacks/{early_stopping,reduce_lr_on_plateau,learning_rate_scheduler,
 * lambda_callback}_test.py` and tfjs-layers `src/callbacks_test.ts` (EarlyStopping).
 * The trainer's callbacks (CSV logger, checkpoints, terminate on NaN) are translated in
 * packages/trainer/test/parity/callbacks.test.ts.
 */
import { StateError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Callback,
  callbacks,
  clearSession,
  EarlyStopping,
  type Logs,
  layers,
  type Model,
  optimizers,
  type ReduceLROnPlateau,
  sequential,
} from '../../src/index.js';

beforeEach(() => {
  clearSession();
});

/** A one-weight model compiled with SGD (tfjs's createDummyModel). */
function dummyModel(): Model {
  const m = sequential([layers.dense({ units: 1, inputShape: [1], useBias: false })]);
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  return m;
}

/** Drives `cb` through `onTrainBegin` and one `onEpochEnd` per log; the stop epoch or -1. */
async function drive(stopper: EarlyStopping | ReduceLROnPlateau, model: Model, logs: Logs[]) {
  const cb: Callback = stopper;
  cb.setModel(model);
  model.stopTraining = false;
  await cb.onTrainBegin?.({});
  for (const [epoch, l] of logs.entries()) {
    await cb.onEpochBegin?.(epoch, {});
    await cb.onEpochEnd?.(epoch, l);
    if (model.stopTraining) return epoch;
  }
  return -1;
}

/** A small regression problem: y = x·[1, -1, 0.5] + noise-free. */
function data(n = 10) {
  const x = tf.tensor2d(
    Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.3)),
    [n, 3],
  );
  const y = tf.tidy(() => tf.matMul(x, tf.tensor2d([[1], [-1], [0.5]])));
  return { x, y };
}

describe('Keras early_stopping_test.py', () => {
  // EarlyStoppingTest.test_early_stopping: 'auto' picks the direction from the name
  it('test_early_stopping: auto mode resolves from the monitored name', () => {
    const cases: [string, 'auto' | 'min' | 'max', 'min' | 'max'][] = [
      ['val_mse', 'max', 'max'],
      ['val_loss', 'min', 'min'],
      ['val_mse', 'auto', 'min'],
      ['loss', 'auto', 'min'],
      ['acc', 'auto', 'max'],
      ['val_accuracy', 'auto', 'max'],
      ['hinge', 'auto', 'min'],
      ['val_auc', 'auto', 'max'],
      ['precision', 'auto', 'max'],
      ['val_r2_score', 'auto', 'max'],
    ];
    for (const [monitor, mode, expected] of cases) {
      expect(new EarlyStopping({ monitor, mode }).mode, monitor).toBe(expected);
    }
  });

  it('test_early_stopping: fit with an unknown monitor raises', async () => {
    const m = dummyModel();
    const { x, y } = data();
    await expect(
      m.fit(x.slice([0, 0], [10, 1]), y, {
        epochs: 2,
        verbose: 0,
        callbacks: [callbacks.earlyStopping({ monitor: 'unknown' })],
      }),
    ).rejects.toThrow(ValueError);
    tf.dispose([x, y]);
  });

  // test_early_stopping_patience
  it('test_early_stopping_patience: stops at max(patience, 1) + 2', async () => {
    const losses = [10, 9, 8, 9, 8.9, 8.8, 8.7, 8.6, 8.5];
    for (const patience of [0, 1, 2, 3]) {
      const stopper = new EarlyStopping({ monitor: 'loss', patience });
      await drive(
        stopper,
        dummyModel(),
        losses.map((loss) => ({ loss })),
      );
      expect(stopper.stoppedEpoch).toBe(Math.max(patience, 1) + 2);
    }
  });

  // test_early_stopping_reuse, test_state_reset_across_fit_calls
  it('test_state_reset_across_fit_calls: a reused stopper starts afresh', async () => {
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 1 });
    const model = dummyModel();
    expect(await drive(stopper, model, [{ loss: 0.1 }, { loss: 0.2 }])).toBe(1);
    expect(stopper.stoppedEpoch).toBe(1);
    // A second run whose losses are all worse than the first run's best does not stop at once.
    expect(await drive(stopper, model, [{ loss: 5 }, { loss: 4 }, { loss: 3 }])).toBe(-1);
    expect(stopper.stoppedEpoch).toBe(0);
    expect(stopper.bestEpoch).toBe(2);
  });

  // test_early_stopping_reuse / with_baseline / with_start_from_epoch inside fit
  it('test_early_stopping_reuse, with_baseline, with_start_from_epoch: at least patience (+ start) epochs', async () => {
    const { x, y } = data(20);
    const m = sequential([layers.dense({ units: 1, inputShape: [3] })], { seed: 2 });
    m.compile({ optimizer: 'sgd', loss: 'mae', metrics: ['mse'] });
    const stopper = callbacks.earlyStopping({ monitor: 'mse', patience: 3 });
    for (let run = 0; run < 2; run++) {
      const h = await m.fit(x, y, { epochs: 20, verbose: 0, callbacks: [stopper] });
      expect(h.epoch.length).toBeGreaterThanOrEqual(3);
    }
    const base = callbacks.earlyStopping({ monitor: 'mse', patience: 3, baseline: 0.6 });
    expect(
      (await m.fit(x, y, { epochs: 20, verbose: 0, callbacks: [base] })).epoch.length,
    ).toBeGreaterThanOrEqual(3);
    for (const patience of [3, 0]) {
      const late = callbacks.earlyStopping({ monitor: 'mse', patience, startFromEpoch: 2 });
      const h = await m.fit(x, y, { epochs: 20, verbose: 0, callbacks: [late] });
      expect(h.epoch.length).toBeGreaterThanOrEqual(patience + 2);
    }
    tf.dispose([x, y]);
  });

  // test_early_stopping_final_weights_when_restoring_model_weights (three cases)
  it('test_early_stopping_final_weights_when_restoring_model_weights', async () => {
    const model = dummyModel();
    /** Runs losses with the weight set to the epoch number; returns epochs trained. */
    const run = async (stopper: EarlyStopping, losses: number[], stopAt?: number) => {
      stopper.setModel(model);
      model.stopTraining = false;
      await stopper.onTrainBegin();
      let trained = 0;
      for (const [epoch, loss] of losses.entries()) {
        trained += 1;
        const w = tf.fill([1, 1], epoch);
        model.setWeights([w]);
        w.dispose();
        await stopper.onEpochEnd(epoch, { val_loss: loss });
        if (epoch === stopAt) model.stopTraining = true;
        if (model.stopTraining) break;
      }
      await stopper.onTrainEnd();
      return trained;
    };
    const weight = () => (model.getWeights()[0] as tf.Tensor).dataSync()[0];
    // The best epoch is 2; patience 2 stops at epoch 4 and restores epoch 2's weights.
    await run(
      new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true }),
      [0.2, 0.15, 0.1, 0.11, 0.12],
    );
    expect(weight()).toBe(2);
    // No epoch beats the baseline: five epochs, then epoch 2's weights.
    const noBaseline = new EarlyStopping({
      monitor: 'val_loss',
      patience: 5,
      baseline: 0.5,
      restoreBestWeights: true,
    });
    expect(await run(noBaseline, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73])).toBe(5);
    expect(weight()).toBe(2);
    // Another callback stops at epoch 3: the best weights are still restored.
    const other = new EarlyStopping({
      monitor: 'val_loss',
      patience: 5,
      baseline: 0.5,
      restoreBestWeights: true,
    });
    expect(await run(other, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], 3)).toBe(4);
    expect(weight()).toBe(2);
  });
});

describe('tfjs callbacks_test.ts: EarlyStopping', () => {
  const stops = async (args: ConstructorParameters<typeof EarlyStopping>[0], logs: Logs[]) =>
    drive(new EarlyStopping(args), dummyModel(), logs);

  it('Default monitor, default mode: increasing and holding val_loss stop at epoch 2', async () => {
    expect(await stops({}, [{ val_loss: 10 }, { val_loss: 9 }, { val_loss: 9.5 }])).toBe(2);
    expect(await stops({}, [{ val_loss: 10 }, { val_loss: 9 }, { val_loss: 9 }])).toBe(2);
  });

  it('custom minDelta (and a negative one, taken as its magnitude)', async () => {
    expect(
      await stops({ minDelta: 1 }, [{ val_loss: 10 }, { val_loss: 8 }, { val_loss: 7.5 }]),
    ).toBe(2);
    const m = [{ aux_metric: 100 }, { aux_metric: 120 }, { aux_metric: 122 }];
    expect(await stops({ monitor: 'aux_metric', mode: 'max', minDelta: 5 }, m)).toBe(2);
    expect(await stops({ monitor: 'aux_metric', mode: 'max', minDelta: -5 }, m)).toBe(2);
  });

  // tfjs stops at once when the first value misses the baseline; Keras 3 (and Tessera) count
  // patience from the first epoch: see README, "Where Tessera differs".
  it('custom baseline (Keras 3 rule): a value missing the baseline counts as no improvement', async () => {
    expect(await stops({ baseline: 5 }, [{ val_loss: 6 }, { val_loss: 6 }])).toBe(1);
    expect(await stops({ baseline: 5 }, [{ val_loss: 4 }, { val_loss: 4.5 }])).toBe(1);
  });

  it('custom monitor: default mode increasing, max mode, patience 2', async () => {
    expect(await stops({ monitor: 'aux_loss' }, [{ aux_loss: 100 }, { aux_loss: 120 }])).toBe(1);
    expect(
      await stops({ monitor: 'aux_metric', mode: 'max' }, [
        { aux_metric: 100 },
        { aux_metric: 120 },
        { aux_metric: 110 },
      ]),
    ).toBe(2);
    expect(
      await stops({ patience: 2 }, [
        { val_loss: 10 },
        { val_loss: 9 },
        { val_loss: 9.5 },
        { val_loss: 9.6 },
      ]),
    ).toBe(3);
  });

  // tfjs warns on a missing monitor; Tessera raises, naming the keys fit logged.
  it('Missing monitor: a clear error naming the logged keys', async () => {
    await expect(stops({}, [{ loss: 100 }])).rejects.toThrow(
      /"val_loss" is not in the epoch logs \(available: loss\)/,
    );
  });

  // 'EarlyStopping LayersModel.fit() integration': monitor loss with minDelta
  it('fit integration: a huge minDelta stops after patience + 1 epochs', async () => {
    const m = dummyModel();
    const x = tf.ones([8, 1]);
    const y = tf.ones([8, 1]);
    const h = await m.fit(x, y, {
      epochs: 10,
      verbose: 0,
      callbacks: [callbacks.earlyStopping({ monitor: 'loss', minDelta: 1e9, patience: 1 })],
    });
    // Epoch 0 improves on +∞; epoch 1 does not (patience 1): stop there.
    expect(h.history['loss']).toHaveLength(2);
    tf.dispose([x, y]);
  });
});

describe('Keras reduce_lr_on_plateau_test.py', () => {
  const fitWith = async (cb: ReduceLROnPlateau, epochs: number) => {
    const m = sequential([layers.dense({ units: 5, inputShape: [3] }), layers.dense({ units: 2 })]);
    m.compile({ loss: 'mse', optimizer: optimizers.adam({ learningRate: 0.1 }) });
    const x = tf.tensor2d(
      Array.from({ length: 30 }, (_, i) => Math.cos(i)),
      [10, 3],
    );
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1, 1, 0], 'int32'), 2);
    await m.fit(x, y, { epochs, verbose: 0, validationData: [x, y], callbacks: [cb] });
    tf.dispose([x, y]);
    return m.compiled!.optimizer.learningRate as number;
  };

  it('test_reduces_lr_with_model_fit: 0.1 → 0.01 after one flat epoch', async () => {
    const cb = callbacks.reduceLROnPlateau({
      patience: 1,
      factor: 0.1,
      monitor: 'val_loss',
      minDelta: 100,
    });
    expect(await fitWith(cb, 2)).toBeCloseTo(0.01, 9);
  });

  it('test_honors_min_lr: never below minLr', async () => {
    const cb = callbacks.reduceLROnPlateau({
      patience: 1,
      factor: 0.1,
      monitor: 'val_loss',
      minDelta: 10,
      minLr: 0.005,
    });
    expect(await fitWith(cb, 4)).toBeCloseTo(0.005, 9);
  });

  it('test_cooldown: two reductions in four epochs with cooldown 2', async () => {
    const cb = callbacks.reduceLROnPlateau({
      patience: 1,
      factor: 0.1,
      monitor: 'val_loss',
      minDelta: 100,
      cooldown: 2,
    });
    expect(await fitWith(cb, 4)).toBeCloseTo(0.001, 9);
  });

  it('test_throws_when_optimizer_has_schedule', async () => {
    const m = dummyModel();
    m.compile({
      loss: 'mse',
      optimizer: optimizers.adam({
        learningRate: optimizers.schedules.exponentialDecay({
          initialLearningRate: 0.1,
          decaySteps: 10,
          decayRate: 0.9,
        }),
      }),
    });
    const cb = callbacks.reduceLROnPlateau({ patience: 1, monitor: 'loss', minDelta: 100 });
    const x = tf.ones([4, 1]);
    await expect(m.fit(x, x, { epochs: 3, verbose: 0, callbacks: [cb] })).rejects.toThrow(
      StateError,
    );
    x.dispose();
  });

  it('test_state_reset_across_fit_calls: wait and cooldown restart', async () => {
    const model = dummyModel();
    const cb = callbacks.reduceLROnPlateau({
      patience: 1,
      factor: 0.1,
      monitor: 'loss',
      minDelta: 0,
      cooldown: 2,
    });
    await drive(cb, model, [{ loss: 1 }, { loss: 2 }]);
    const lr = model.compiled!.optimizer.learningRate as number;
    expect(lr).toBeCloseTo(0.001, 9);
    // A new run: its first epoch is compared with +∞ again, and the cooldown is gone.
    await drive(cb, model, [{ loss: 5 }, { loss: 6 }]);
    expect(model.compiled!.optimizer.learningRate).toBeCloseTo(0.0001, 9);
  });

  it('bad arguments raise', () => {
    expect(() => callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(/factor/);
    expect(() => callbacks.reduceLROnPlateau({ patience: -1 })).toThrow(/patience/);
  });
});

describe('Keras learning_rate_scheduler_test.py', () => {
  const fitWith = async (
    optimizer: 'sgd' | ReturnType<typeof optimizers.adam>,
    cb: ReturnType<typeof callbacks.learningRateScheduler>,
    epochs: number,
  ) => {
    const m = sequential([layers.dense({ units: 5, inputShape: [3] }), layers.dense({ units: 2 })]);
    m.compile({ loss: 'mse', optimizer });
    const x = tf.ones([10, 3]);
    const y = tf.zeros([10, 2]);
    await m.fit(x, y, { epochs, verbose: 0, callbacks: [cb] });
    tf.dispose([x, y]);
    return m;
  };

  it('test_updates_learning_rate: 1 / (2 + epoch) → 0.5 after one epoch', async () => {
    const m = await fitWith(
      'sgd',
      callbacks.learningRateScheduler({ schedule: (e) => 1 / (2 + e) }),
      1,
    );
    expect(m.compiled!.optimizer.learningRate).toBe(0.5);
  });

  it('test_verbose_logging: "LearningRateScheduler setting learning rate to 1"', async () => {
    const lines: string[] = [];
    await fitWith(
      'sgd',
      callbacks.learningRateScheduler({
        schedule: (e) => 1 / (1 + e),
        verbose: 1,
        printFn: (l) => lines.push(l),
      }),
      1,
    );
    expect(lines.some((l) => l.includes('LearningRateScheduler setting learning rate to 1'))).toBe(
      true,
    );
  });

  it('test_schedule_dependent_on_previous_learning_rate: halved twice', async () => {
    const m = await fitWith(
      optimizers.adam({ learningRate: 0.03 }),
      callbacks.learningRateScheduler({ schedule: (_e, lr) => lr / 2 }),
      2,
    );
    expect(m.compiled!.optimizer.learningRate).toBeCloseTo(0.03 / 4, 12);
  });

  it('test_throws_when_optimizer_has_schedule; a bad schedule is refused', async () => {
    const schedule = optimizers.schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.9,
    });
    await expect(
      fitWith(
        optimizers.adam({ learningRate: schedule }),
        callbacks.learningRateScheduler({ schedule: (_e, lr) => lr / 2 }),
        1,
      ),
    ).rejects.toThrow(/LearningRateSchedule/);
    await expect(
      fitWith('sgd', callbacks.learningRateScheduler({ schedule: () => Number.NaN }), 1),
    ).rejects.toThrow(/positive finite number/);
    expect(() =>
      callbacks.learningRateScheduler({ schedule: 3 as unknown as () => number }),
    ).toThrow(ValueError);
  });
});

describe('Keras lambda_callback_test.py: callbacks as plain objects of hooks', () => {
  it('test_lambda_callback: every hook is called, in order', async () => {
    const calls: string[] = [];
    const m = dummyModel();
    const x = tf.ones([4, 1]);
    await m.fit(x, x, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => {
            calls.push('train_begin');
          },
          onEpochBegin: (e) => {
            calls.push(`epoch_begin ${e}`);
          },
          onBatchEnd: (b) => {
            calls.push(`batch_end ${b}`);
          },
          onEpochEnd: (e) => {
            calls.push(`epoch_end ${e}`);
          },
          onTrainEnd: () => {
            calls.push('train_end');
          },
        },
      ],
    });
    expect(calls).toEqual([
      'train_begin',
      'epoch_begin 0',
      'batch_end 0',
      'batch_end 1',
      'epoch_end 0',
      'epoch_begin 1',
      'batch_end 0',
      'batch_end 1',
      'epoch_end 1',
      'train_end',
    ]);
    x.dispose();
  });

  it('test_lambda_callback_with_model_stop: a hook can stop training', async () => {
    const m = dummyModel();
    const x = tf.ones([4, 1]);
    const h = await m.fit(x, x, {
      epochs: 5,
      verbose: 0,
      callbacks: [
        {
          onEpochEnd: (e) => {
            if (e === 1) m.stopTraining = true;
          },
        },
      ],
    });
    expect(h.epoch).toEqual([0, 1]);
    x.dispose();
  });
});
