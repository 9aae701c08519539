/**
 * Bad arguments, as the peers refuse them (Keras 3's `ValueError`s in each test file's
 * `test_invalid_*` / `test_errors`, tfjs-layers' `toThrowError` cases): Tessera raises too,
 * with its own message in the Keras form — what was expected, then `Received: name=value`
 * — and, for an unknown name, the closest known one.
 */
import { NotFoundError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  activations,
  callbacks,
  constraints,
  deserializeLayer,
  initializers,
  layers,
  losses,
  metrics,
  optimizers,
  regularizers,
  sequential,
} from '../../src/index.js';

/** Expects `run` to throw a ValueError (or subclass) whose message shows `received`. */
function refuses(run: () => unknown, received: RegExp | string): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a refusal showing ${received}`).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(received);
}

describe('layer arguments', () => {
  it('Dense: units must be a positive integer (zero, negative, fraction, string, missing)', () => {
    for (const [units, shown] of [
      [0, 'units=0'],
      [-3, 'units=-3'],
      [2.5, 'units=2.5'],
      ['64', 'units="64"'],
    ] as const) {
      refuses(() => layers.dense({ units: units as number }), `Received: ${shown}`);
    }
    expect(() => layers.dense({} as never)).toThrow(/units must be a positive integer/);
    expect(() => layers.dense(undefined as never)).toThrow(ValueError);
  });

  it('Dense: unknown activation, initializer, regularizer and constraint names say which', () => {
    refuses(
      () => layers.dense({ units: 2, activation: 'relu7' }),
      /Unknown activation "relu7" \(did you mean "relu6?"\?\)/,
    );
    refuses(
      () => layers.dense({ units: 2, kernelInitializer: 'glorot_unifrom' }),
      /did you mean "glorot_uniform"/,
    );
    refuses(() => layers.dense({ units: 2, kernelRegularizer: 'l3' }), /Unknown regularizer/);
    refuses(() => layers.dense({ units: 2, biasConstraint: 'non_negative' }), /Unknown constraint/);
    refuses(() => layers.dense({ units: 2, useBias: 'yes' as never }), 'Received: useBias="yes"');
  });

  it('Dropout, GaussianDropout, AlphaDropout: rate in [0, 1)', () => {
    for (const make of [layers.dropout, layers.gaussianDropout, layers.alphaDropout]) {
      refuses(() => make({ rate: -0.5 }), 'Received: rate=-0.5');
      refuses(() => make({ rate: 1 }), 'Received: rate=1');
      refuses(() => make({ rate: 1.5 }), /rate must be a number in \[0, 1\)/);
    }
    refuses(() => layers.dropout({ rate: 0.5, seed: -1 }), /seed/);
  });

  it('GaussianNoise stddev, ActivityRegularization factors, ReLU and LeakyReLU slopes', () => {
    refuses(() => layers.gaussianNoise({ stddev: -0.1 }), 'Received: stddev=-0.1');
    refuses(() => layers.activityRegularization({ l2: -1 }), /l2/);
    refuses(() => layers.relu({ maxValue: -1 }), 'Received: maxValue=-1');
    refuses(() => layers.relu({ negativeSlope: -1 }), 'Received: negativeSlope=-1');
    refuses(() => layers.relu({ threshold: -1 }), 'Received: threshold=-1');
    refuses(() => layers.leakyReLU({ negativeSlope: -0.1 }), 'Received: negativeSlope=-0.1');
    refuses(() => layers.elu({ alpha: -1 }), 'Received: alpha=-1');
  });

  it('normalization layers: momentum, epsilon, axis, statistics', () => {
    refuses(() => layers.batchNormalization({ momentum: 2 }), 'Received: momentum=2');
    refuses(() => layers.batchNormalization({ epsilon: -1 }), 'Received: epsilon=-1');
    refuses(() => layers.layerNormalization({ epsilon: 0 }), 'Received: epsilon=0');
    refuses(() => layers.layerNormalization({ axis: 'last' as never }), /axis must be an integer/);
    refuses(() => layers.normalization({ mean: 1 }), /both mean and variance/);
    refuses(() => layers.softmax({ axis: 0 }), /batch/);
  });

  it('an unknown layer class in a saved config names the known ones', () => {
    refuses(() => deserializeLayer({ className: 'Dens', config: {} }), /Dens/);
  });

  it('input shapes: a wrong feature count is reported with the shape received', () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [3] })]);
    const x = tf.ones([2, 4]);
    expect(() => m.predict(x)).toThrow(/\[2, ?4\]|4/);
    x.dispose();
  });
});

describe('registries: unknown names and bad options', () => {
  it('activations, losses, metrics, optimizers, initializers, regularizers, constraints', () => {
    for (const [get, name] of [
      [activations.get, 'sigmod'],
      [losses.get, 'mean_sqared_error'],
      [metrics.get, 'acuracy_top'],
      [optimizers.get, 'adamm'],
      [initializers.get, 'he_normall'],
      [regularizers.get, 'l22'],
      [constraints.get, 'max_normm'],
    ] as const) {
      expect(() => (get as (n: string) => unknown)(name), name).toThrow(NotFoundError);
      expect(() => (get as (n: string) => unknown)(name), name).toThrow(
        /did you mean|expected one of/,
      );
    }
  });

  it('optimizer hyperparameters', () => {
    refuses(() => optimizers.adam({ learningRate: -1 }), 'Received: learningRate=-1');
    refuses(() => optimizers.adam({ beta1: 1 }), 'Received: beta1=1');
    refuses(() => optimizers.adam({ epsilon: 0 }), 'Received: epsilon=0');
    refuses(() => optimizers.sgd({ momentum: 2 }), 'Received: momentum=2');
    refuses(() => optimizers.rmsprop({ rho: 1.5 }), /rho/);
    refuses(() => optimizers.adagrad({ initialAccumulatorValue: -1 }), /initialAccumulatorValue/);
    refuses(() => optimizers.adamw({ weightDecay: -1 }), 'Received: weightDecay=-1');
    refuses(() => optimizers.sgd({ clipnorm: 0 }), 'Received: clipnorm=0');
    refuses(
      () => optimizers.sgd({ learning_rate: 0.1 } as never),
      /unknown argument.*learning_rate/,
    );
  });

  it('loss, metric and initializer options', () => {
    refuses(
      () => losses.binaryCrossentropy({ labelSmoothing: 1.5 }),
      'Received: labelSmoothing=1.5',
    );
    refuses(() => losses.huber({ delta: -1 }), /delta/);
    refuses(
      () => losses.sparseCategoricalCrossentropy({ fromLogits: 'yes' as never }),
      /fromLogits/,
    );
    refuses(() => metrics.auc({ numThresholds: 1 }), /numThresholds/);
    refuses(() => metrics.topKCategoricalAccuracy({ k: 0 }), 'Received: k=0');
    // Any finite threshold is valid (0 for logits), as in Keras; a non-number is not.
    refuses(() => metrics.binaryAccuracy({ threshold: 'half' as never }), /threshold/);
    refuses(() => initializers.varianceScaling({ scale: 0 }), /scale/);
    refuses(() => initializers.varianceScaling({ mode: 'fan' as never }), /mode/);
    refuses(() => initializers.randomUniform({ minval: 1, maxval: 0 }), /maxval|minval/);
    refuses(() => regularizers.l2(-0.1), /l2/);
  });

  it('callback options', () => {
    refuses(() => callbacks.earlyStopping({ patience: -1 }), 'Received: patience=-1');
    refuses(() => callbacks.earlyStopping({ mode: 'up' as never }), 'Received: mode="up"');
    refuses(() => callbacks.reduceLROnPlateau({ factor: 1.5 }), 'Received: factor=1.5');
    refuses(() => callbacks.reduceLROnPlateau({ cooldown: -1 }), 'Received: cooldown=-1');
  });
});

describe('training calls', () => {
  it('fit, evaluate before compile; mismatched rows; bad fit options', async () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/compile/);
    expect(() => m.evaluate(x, y)).toThrow(/compile/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const y3 = tf.ones([3, 1]);
    await expect(m.fit(x, y3, { verbose: 0 })).rejects.toThrow(/rows|samples|4|3/);
    await expect(m.fit(x, y, { epochs: -1, verbose: 0 })).rejects.toThrow(/epochs/);
    await expect(m.fit(x, y, { validationSplit: -0.1, verbose: 0 })).rejects.toThrow(
      /validationSplit/,
    );
    await expect(m.fit(x, y, { classWeight: { 0: -1 }, verbose: 0 })).rejects.toThrow(ValueError);
    tf.dispose([x, y, y3]);
  });
});
