/**
 * BatchNormalization's synchronised path (CallContext.exchange), in one thread: with an
 * exchange that adds nothing (one shard) it is the whole-batch layer, gradients checked
 * against finite differences; with an exchange that doubles every sum it is one of two
 * identical shards, and must give what the whole layer gives on both copies.
 */
import { checkGradients, type Tensor, tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchExchange, StateUpdate } from '../engine/call-context.js';
import { withWeightValues } from '../engine/layer-weight.js';
import { clearSession, layers } from '../index.js';

beforeEach(() => {
  clearSession();
});

const X = [
  [1, -2, 0.5],
  [3, 0, 1.5],
  [-1, 4, 2.5],
  [2, 2, -0.5],
  [0.5, 1, 1],
];
const PROBE = [[0.3, -1.2, 0.7]];

/** Counts its calls; `factor` times every sum (1: one shard; 2: two identical shards). */
function exchange(factor: number): BatchExchange & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    sum(values: Float64Array) {
      calls.push(values.length);
      for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor;
    },
  };
}

function bnLayer() {
  const bn = layers.batchNormalization({
    momentum: 0.7,
    epsilon: 0.05,
    gammaInitializer: 'glorotUniform',
    betaInitializer: 'glorotUniform',
  });
  bn.build([null, 3]);
  return bn;
}

/** Output, gradients (x, gamma, beta) of Σ probe·bn(x) and the moving statistics after one call. */
function run(
  bn: ReturnType<typeof bnLayer>,
  x: Tensor,
  ex: BatchExchange | undefined,
): { y: number[][]; grads: number[][]; moving: number[][] } {
  const updates: StateUpdate[] = [];
  const probe = tf.tensor(PROBE);
  const trainable = bn.trainableWeights;
  const params = trainable.map((w) => w.read());
  let y: number[][] = [];
  const grads = tf.grads((input: Tensor, ...values: Tensor[]) =>
    withWeightValues(trainable, values, () => {
      const out = bn.call(input, { training: true, updates, exchange: ex }) as Tensor;
      y = out.arraySync() as number[][];
      return tf.sum(tf.mul(out, probe));
    }),
  )([x, ...params]);
  const result = {
    y,
    grads: grads.map((g) => Array.from(g.dataSync())),
    moving: updates.map((u) => Array.from(u.value.dataSync())),
  };
  tf.dispose([probe, ...params, ...grads, ...updates.map((u) => u.value)]);
  return result;
}

function expectClose(a: number[], b: number[], digits = 5): void {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(b[i]!, digits);
  });
}

describe('BatchNormalization with a batch exchange', () => {
  it('one shard: the whole-batch layer (output, gradients, moving statistics), two exchanges each way', () => {
    const bn = bnLayer();
    const x = tf.tensor(X);
    const whole = run(bn, x, undefined);
    const ex = exchange(1);
    const synced = run(bn, x, ex);
    whole.y.forEach((row, r) => {
      expectClose(synced.y[r]!, row);
    });
    whole.grads.forEach((g, i) => {
      expectClose(synced.grads[i]!, g);
    });
    whole.moving.forEach((m, i) => {
      expectClose(synced.moving[i]!, m, 6);
    });
    // Forward: per-feature sums + count, then centred squares; backward: Σg and Σg·x̂.
    expect(ex.calls).toEqual([4, 3, 6]);
    x.dispose();
  });

  it('one shard: gradients match finite differences', () => {
    const bn = bnLayer();
    const trainable = bn.trainableWeights;
    const params = trainable.map((w) => w.read());
    const x = tf.tensor(X);
    const probe = tf.tensor(PROBE);
    const f = (input: Tensor, ...values: Tensor[]): Tensor =>
      withWeightValues(trainable, values, () => {
        const updates: StateUpdate[] = [];
        const out = bn.call(input, { training: true, updates, exchange: exchange(1) }) as Tensor;
        for (const u of updates) u.value.dispose();
        return tf.sum(tf.mul(out, probe));
      });
    const report = checkGradients(f, [x, ...params], { rtol: 2e-2 });
    expect(report.worst, JSON.stringify(report.worst)).toBeUndefined();
    tf.dispose([x, probe, ...params]);
  });

  it('one of two identical shards: the whole layer on both copies', () => {
    const bn = bnLayer();
    const x = tf.tensor(X);
    const both = tf.tensor([...X, ...X]);
    const whole = run(bn, both, undefined);
    const shard = run(bn, x, exchange(2));
    // The shard's rows are the first copy's; its x-gradient is theirs (the loss of the
    // other copy depends on them through the statistics, and the exchange accounts for it).
    X.forEach((_, r) => {
      expectClose(shard.y[r]!, whole.y[r]!);
    });
    expectClose(shard.grads[0]!, whole.grads[0]!.slice(0, X.length * 3));
    // gamma and beta: each shard holds half the whole batch's gradient (the trainer adds them).
    expectClose(
      shard.grads[1]!.map((g) => 2 * g),
      whole.grads[1]!,
    );
    expectClose(
      shard.grads[2]!.map((g) => 2 * g),
      whole.grads[2]!,
    );
    whole.moving.forEach((m, i) => {
      expectClose(shard.moving[i]!, m, 6);
    });
    tf.dispose([x, both]);
  });

  it('leaks no tensors', () => {
    const bn = bnLayer();
    const x = tf.tensor(X);
    const before = tf.memory().numTensors;
    run(bn, x, exchange(2));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
