import { StateError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  callbacks,
  EarlyStopping,
  input,
  layers,
  optimizers,
  ReduceLROnPlateau,
  sequential,
} from '../index.js';

function tinyModel() {
  const m = sequential([input({ shape: [2] }), layers.dense({ units: 1 })], { seed: 1 });
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

/** Feeds a sequence of monitored values; returns the epoch where training stopped (or -1). */
function runSequence(
  cb: EarlyStopping | ReduceLROnPlateau,
  values: number[],
  key = 'val_loss',
): number {
  const m = tinyModel();
  cb.setModel(m);
  cb.onTrainBegin();
  let stopped = -1;
  values.forEach((v, epoch) => {
    if (stopped >= 0) return;
    cb.onEpochEnd(epoch, { [key]: v });
    if (m.stopTraining) stopped = epoch;
  });
  m.dispose();
  return stopped;
}

describe('EarlyStopping', () => {
  it('stops once `patience` epochs pass without an improvement larger than minDelta', () => {
    expect(runSequence(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.95, 0.91, 0.8])).toBe(3);
    expect(
      runSequence(new EarlyStopping({ patience: 2, minDelta: 0.2 }), [1, 0.9, 0.85, 0.5]),
    ).toBe(2);
    expect(
      runSequence(
        callbacks.earlyStopping({ patience: 1, monitor: 'val_accuracy' }),
        [0.5, 0.6, 0.55],
        'val_accuracy',
      ),
    ).toBe(2);
    expect(runSequence(new EarlyStopping({ patience: 0 }), [1, 0.5, 0.25])).toBe(-1);
  });

  it('counts epochs that do not beat the baseline as without improvement', () => {
    expect(runSequence(new EarlyStopping({ patience: 2 }), [1, 1, 1, 1])).toBe(2);
    expect(runSequence(new EarlyStopping({ patience: 2, baseline: 0.1 }), [1, 1, 1, 1])).toBe(1);
  });

  it('restores the best weights inside fit', async () => {
    const m = tinyModel();
    const x = tf.tensor([
      [1, 2],
      [2, 1],
      [0, 1],
      [1, 0],
    ]);
    const y = tf.tensor([[3], [3], [1], [1]]);
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    // a learning rate large enough to diverge after the first epoch
    m.compile({ optimizer: optimizers.sgd({ learningRate: 1.5 }), loss: 'mse' });
    const h = await m.fit(x, y, {
      epochs: 20,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [stopper],
    });
    const lossCurve = h.history['loss'] as number[];
    expect(stopper.stoppedEpoch).toBeGreaterThan(0);
    expect(h.epoch.length).toBeLessThan(20);
    const result = m.evaluate(x, y, { batchSize: 4 });
    expect(result['loss']).toBeLessThanOrEqual(Math.max(...lossCurve));
    expect(stopper.bestEpoch).toBe(lossCurve.indexOf(Math.min(...lossCurve)));
    tf.dispose([x, y]);
    m.dispose();
  });

  it('names a monitored value that fit does not log, and bad arguments', () => {
    expect(() => runSequence(new EarlyStopping(), [1], 'loss')).toThrow(ValueError);
    expect(() => runSequence(new EarlyStopping(), [1], 'loss')).toThrow(
      'Received: monitor="val_loss"',
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow('Received: patience=-1');
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow('Received: mode="up"');
  });
});

describe('ReduceLROnPlateau', () => {
  it('multiplies the learning rate by factor after `patience` flat epochs, down to minLr', () => {
    const m = tinyModel();
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 2, minLr: 0.03 });
    cb.setModel(m);
    cb.onTrainBegin();
    const rates: number[] = [];
    [1, 1, 1, 1, 1, 1, 1, 1].forEach((v, epoch) => {
      cb.onEpochEnd(epoch, { val_loss: v });
      rates.push(m.compiled?.optimizer.learningRate as number);
    });
    expect(rates.map((r) => Number(r.toFixed(6)))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03,
    ]);
    m.dispose();
  });

  it('waits `cooldown` epochs after a reduction and rejects bad arguments', () => {
    const m = tinyModel();
    const cb = callbacks.reduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 });
    cb.setModel(m);
    cb.onTrainBegin();
    const rates: number[] = [];
    [1, 1, 1, 1, 1, 1].forEach((v, epoch) => {
      cb.onEpochEnd(epoch, { val_loss: v });
      rates.push(m.compiled?.optimizer.learningRate as number);
    });
    // reduce at 1; cooldown covers 2; waiting restarts at 3 and reduces; cooldown 4; reduce at 5
    expect(rates.map((r) => Number(r.toFixed(6)))).toEqual([0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow('Received: factor=1');
    const unCompiled = sequential([input({ shape: [1] }), layers.dense({ units: 1 })]);
    const lone = new ReduceLROnPlateau({ patience: 0 });
    lone.setModel(unCompiled);
    lone.onTrainBegin();
    lone.onEpochEnd(0, { val_loss: 1 });
    expect(() => lone.onEpochEnd(1, { val_loss: 1 })).toThrow(StateError);
    m.dispose();
    unCompiled.dispose();
  });
});
