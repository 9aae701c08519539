import { layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { irisMlp } from '../models/iris-mlp.js';
import { resolveSettings, taskDefaults } from './settings.js';

const plain = () => sequential([layers.dense({ units: 3, inputShape: [4] })]);

describe('resolveSettings', () => {
  it("uses a built-in model's defaults when no flag is given", () => {
    const s = resolveSettings({
      flags: { workers: 2 },
      defaults: irisMlp.training,
      model: plain(),
      builtin: true,
    });
    expect(s).toMatchObject({
      workers: 2,
      epochs: 60,
      batchSize: 16,
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      validationSplit: 0.2,
      normalize: 'standard',
    });
    expect(s.optimizer.className).toBe('Adam');
    expect(s.optimizer.learningRate).toBe(0.01);
    expect(s.learningRateSchedule).toBe('constant');
  });

  it('lets every flag win', () => {
    const s = resolveSettings({
      flags: {
        epochs: 3,
        batchSize: 7,
        optimizer: 'sgd',
        learningRate: 0.5,
        lrSchedule: 'cosine',
        loss: 'mse',
        validationSplit: 0,
        normalize: 'none',
      },
      defaults: irisMlp.training,
      model: plain(),
      builtin: true,
    });
    expect(s).toMatchObject({
      epochs: 3,
      batchSize: 7,
      loss: 'mean_squared_error',
      validationSplit: 0,
      normalize: 'none',
    });
    expect(s.optimizer.className).toBe('SGD');
    expect(s.optimizer.learningRate).toBe(0.5);
    expect(s.learningRateSchedule).toBe('cosine');
  });

  it("takes a module's compile settings over the task defaults, unless flags say otherwise", () => {
    const m = plain();
    m.compile({
      optimizer: 'rmsprop',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const compiledLr = m.compiled!.optimizer.learningRate;
    const s = resolveSettings({
      flags: {},
      defaults: taskDefaults('classification', 100),
      model: m,
      builtin: false,
    });
    expect(s.optimizer.className).toBe('RMSprop');
    expect(s.optimizer.learningRate).toBe(compiledLr);
    expect(s.loss).toBe('sparse_categorical_crossentropy');
    const overridden = resolveSettings({
      flags: { learningRate: 0.2 },
      defaults: taskDefaults('classification', 100),
      model: m,
      builtin: false,
    });
    expect(overridden.optimizer.learningRate).toBe(0.2);
  });

  it('chooses task defaults for models that bring none', () => {
    expect(taskDefaults('regression', 3)).toMatchObject({
      loss: 'mean_squared_error',
      metrics: ['mae'],
      validationSplit: 0,
    });
    expect(taskDefaults('classification', 50)).toMatchObject({
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      validationSplit: 0.1,
    });
  });

  it('names the flag of an unknown optimizer or loss', () => {
    const args = { defaults: irisMlp.training, model: plain(), builtin: true };
    expect(() => resolveSettings({ ...args, flags: { optimizer: 'ftrl' } })).toThrow(
      /^--optimizer: .*Received: optimizer="ftrl"/,
    );
    expect(() => resolveSettings({ ...args, flags: { loss: 'dice' } })).toThrow(
      /^--loss: .*Received: loss="dice"/,
    );
  });
});
