import { Model } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS, getBuiltinModel } from './builtins.js';

describe('built-in models', () => {
  // Parameter counts from the layer sizes, by hand.
  it.each([
    ['mnist-mlp', 784 * 128 + 128 + 128 * 10 + 10, [28, 28], 10],
    ['iris-mlp', 4 * 10 + 10 + 10 * 10 + 10 + 10 * 3 + 3, [4], 3],
    ['digits-mlp', 15 * 32 + 32 + 32 * 10 + 10, [15], 10],
    ['study-scores-mlp', 2 * 3 + 3 + 3 * 1 + 1, [2], 1],
  ] as const)('%s has %i parameters, input %j and %i outputs', (name, params, input, outputs) => {
    const m = getBuiltinModel(name).create({ seed: 1 });
    expect(m.countParams()).toBe(params);
    expect(m.inputs[0]!.shape.slice(1)).toEqual(input);
    expect(m.outputs[0]!.shape).toEqual([null, outputs]);
  });

  it('the mnist model is the course network: 101,770 parameters, relu then softmax', () => {
    const m = getBuiltinModel('mnist-mlp').create({});
    expect(m.countParams()).toBe(101_770);
    const layersConfig = (
      m.toJSON().config['layers'] as Array<{ className: string; config: Record<string, unknown> }>
    ).filter((l) => l.className !== 'InputLayer');
    expect(
      layersConfig.map((l) => [l.className, l.config['units'], l.config['activation']]),
    ).toEqual([
      ['Flatten', undefined, undefined],
      ['Dense', 128, 'relu'],
      ['Dense', 10, 'softmax'],
    ]);
    expect(getBuiltinModel('mnist-mlp').training).toMatchObject({
      optimizer: 'adam',
      learningRate: 3e-3,
      learningRateSchedule: 'cosine',
      batchSize: 128,
      loss: 'categorical_crossentropy',
    });
  });

  it('a seed fixes the initial weights; the config round-trips', () => {
    for (const builtin of BUILTIN_MODELS) {
      const a = builtin.create({ seed: 9 });
      const b = builtin.create({ seed: 9 });
      const [wa, wb] = [a.getWeights()[0]!.dataSync(), b.getWeights()[0]!.dataSync()];
      expect([...wa]).toEqual([...wb]);
      expect(Model.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))).countParams()).toBe(
        a.countParams(),
      );
    }
  });

  it('an unknown name lists the known ones', () => {
    expect(() => getBuiltinModel('vgg16')).toThrow(
      /expected one of mnist-mlp, iris-mlp, digits-mlp, study-scores-mlp\. Received: model="vgg16"/,
    );
  });
});
