import { ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { layers } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

describe('Maxout', () => {
  it('passes the layer harness', async () => {
    await runLayerTest({
      layer: () => layers.maxout({ units: 3, pieces: 2, biasInitializer: 'random_normal' }),
      inputShape: [4, 5],
      expectedOutputShape: [4, 3],
      expectedWeightShapes: [[5, 6], [6]],
    });
  });

  it('gives max(w1·x + b1, w2·x + b2) on a hand-worked example', () => {
    const layer = layers.maxout({ units: 1, pieces: 2 });
    const x = tf.tensor([[1, 2]]);
    layer.apply(x).dispose();
    // piece 0: 1·1 + 2·0.5 + 0.5 = 2.5; piece 1: 1·(-1) + 2·2 - 2 = 1
    const kernel = tf.tensor([
      [1, -1],
      [0.5, 2],
    ]);
    const bias = tf.tensor([0.5, -2]);
    layer.setWeights([kernel, bias]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual([2.5]);
    tf.dispose([x, y, kernel, bias]);
    layer.dispose();
  });

  it('matches the formula in float64 for several units (column u·pieces + k is piece k of unit u)', () => {
    const units = 2;
    const pieces = 3;
    const layer = layers.maxout({ units, pieces, biasInitializer: 'random_uniform' });
    const xs = [0.3, -1.2, 0.8, 2.0, 0.1, -0.7];
    const x = tf.tensor(xs, [2, 3]);
    const y = layer.apply(x);
    const [k, b] = layer.getWeights().map((t) => {
      const v = Array.from(t.dataSync(), Number);
      t.dispose();
      return v;
    });
    const got = y.dataSync();
    for (let r = 0; r < 2; r++) {
      for (let u = 0; u < units; u++) {
        let best = Number.NEGATIVE_INFINITY;
        for (let p = 0; p < pieces; p++) {
          const col = u * pieces + p;
          let z = (b as number[])[col] as number;
          for (let i = 0; i < 3; i++)
            z += (xs[r * 3 + i] as number) * ((k as number[])[i * units * pieces + col] as number);
          best = Math.max(best, z);
        }
        expect(got[r * units + u]).toBeCloseTo(best, 5);
      }
    }
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => layers.maxout({ units: 0, pieces: 2 })).toThrow(
      'Maxout: units must be a positive integer. Received: units=0',
    );
    expect(() => layers.maxout({ units: 2, pieces: 0 })).toThrow(ValueError);
    expect(() => layers.maxout({ units: 2, pieces: 0 })).toThrow('Received: pieces=0');
    // The check Dense always had, now shared with Maxout.
    expect(() =>
      layers.maxout({ units: 2, pieces: 2, useBias: 'no' as unknown as boolean }),
    ).toThrow('Maxout: useBias must be a boolean. Received: useBias="no"');
    expect(layers.maxout({ units: 2, pieces: 2, useBias: false }).getConfig()).toMatchObject({
      units: 2,
      pieces: 2,
      useBias: false,
      kernelInitializer: { className: 'GlorotUniform' },
      biasConstraint: null,
    });
    const layer = layers.maxout({ units: 2, pieces: 2 });
    const x = tf.ones([1, 2, 3]);
    expect(() => layer.apply(x)).toThrow(ShapeError);
    x.dispose();
    layer.dispose();
  });
});
