import { Rng, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { cosineDecay, exponentialDecay } from './schedules.js';
import { SGD } from './sgd.js';
import { createSlots } from './slots.js';

/** Every optimizer in every mode that changes its loop. */
function allOptimizers(): Array<[string, () => Optimizer]> {
  return [
    ['sgd', () => new SGD({ learningRate: 0.1 })],
    [
      'sgd momentum + decay',
      () => new SGD({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 }),
    ],
    ['sgd nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
    ['adam', () => new Adam({ learningRate: 0.01 })],
    ['adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true })],
    ['adamw', () => new AdamW({ learningRate: 0.01 })],
    ['rmsprop', () => new RMSprop({ learningRate: 0.01 })],
    [
      'rmsprop centered + momentum',
      () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
    ],
    ['adagrad', () => new Adagrad({ learningRate: 0.1 })],
    [
      'adam with a schedule',
      () =>
        new Adam({
          learningRate: exponentialDecay({
            initialLearningRate: 0.01,
            decaySteps: 2,
            decayRate: 0.5,
          }),
        }),
    ],
  ];
}

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function randomArray(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  const stream = rng.stream('values');
  for (let i = 0; i < n; i++) out[i] = stream.normal();
  return out;
}

describe('sharding: [0, n) equals [0, k) + [k, n) bitwise', () => {
  const n = 37;
  for (const [label, make] of allOptimizers()) {
    it(label, () => {
      const rng = new Rng(7);
      const initial = randomArray(rng, n);
      const gradSeq = [0, 1, 2, 3].map(() => randomArray(rng, n));
      const whole = make();
      const params = initial.slice();
      const slots = createSlots(whole, n);
      for (const k of [0, 1, 13, 36, 37]) {
        const sharded = make();
        const shardParams = initial.slice();
        // Shared memory, as the trainer uses.
        const shardSlots = sharded.slotNames.map(
          () => new Float32Array(new SharedArrayBuffer(4 * n)),
        );
        const referenceParams = initial.slice();
        const referenceSlots = createSlots(whole, n);
        gradSeq.forEach((grads, step) => {
          const iteration = step + 1;
          whole.applyUpdate({ params: referenceParams, grads, slots: referenceSlots, iteration });
          sharded.applyUpdate({
            params: shardParams,
            grads,
            slots: shardSlots,
            iteration,
            start: k,
            end: n,
          });
          sharded.applyUpdate({
            params: shardParams,
            grads,
            slots: shardSlots,
            iteration,
            start: 0,
            end: k,
          });
        });
        expect(bytes(shardParams)).toEqual(bytes(referenceParams));
        shardSlots.forEach((slot, i) => {
          expect(bytes(slot)).toEqual(bytes(referenceSlots[i]!));
        });
      }
      // And the update really moves the weights.
      whole.applyUpdate({ params, grads: gradSeq[0]!, slots, iteration: 1 });
      expect(bytes(params)).not.toEqual(bytes(initial));
    });
  }

  it('elements outside [start, end) are untouched', () => {
    const opt = new Adam({ learningRate: 0.1 });
    const params = Float32Array.from([1, 2, 3, 4]);
    const slots = createSlots(opt, 4);
    opt.applyUpdate({
      params,
      grads: Float32Array.from([1, 1, 1, 1]),
      slots,
      iteration: 1,
      start: 1,
      end: 3,
    });
    expect(params[0]).toBe(1);
    expect(params[3]).toBe(4);
    expect(params[1]).not.toBe(2);
    expect(slots[0]![0]).toBe(0);
    expect(slots[1]![3]).toBe(0);
  });
});

describe('minimising a quadratic reduces the loss with every optimizer', () => {
  // f(w) = ½ Σ a_i (w_i - c_i)², gradient a_i (w_i - c_i).
  const a = [1, 3, 0.5, 2, 1.5];
  const c = [1, -2, 0.5, 3, -1];
  const loss = (w: Float32Array): number =>
    a.reduce((s, ai, i) => s + 0.5 * ai * (w[i]! - c[i]!) ** 2, 0);
  const cases: Array<[string, () => Optimizer]> = [
    ['sgd', () => new SGD({ learningRate: 0.1 })],
    ['sgd nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['adam', () => new Adam({ learningRate: 0.1 })],
    ['adam amsgrad', () => new Adam({ learningRate: 0.1, amsgrad: true })],
    ['adamw', () => new AdamW({ learningRate: 0.1, weightDecay: 0.001 })],
    ['rmsprop', () => new RMSprop({ learningRate: 0.05 })],
    [
      'rmsprop centered momentum',
      () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.9 }),
    ],
    ['adagrad', () => new Adagrad({ learningRate: 0.5 })],
    [
      'sgd cosine schedule',
      () => new SGD({ learningRate: cosineDecay({ initialLearningRate: 0.2, decaySteps: 200 }) }),
    ],
  ];
  for (const [label, make] of cases) {
    it(label, () => {
      const opt = make();
      const w = new Float32Array(5);
      const slots = createSlots(opt, 5);
      const grads = new Float32Array(5);
      const start = loss(w);
      for (let t = 1; t <= 200; t++) {
        for (let i = 0; i < 5; i++) grads[i] = a[i]! * (w[i]! - c[i]!);
        opt.applyUpdate({ params: w, grads, slots, iteration: t });
      }
      expect(loss(w)).toBeLessThan(start * 0.01);
    });
  }
});

describe('applyUpdate arguments are checked with clear messages', () => {
  const opt = new Adam();
  const params = new Float32Array(4);
  const grads = new Float32Array(4);
  const slots = createSlots(opt, 4);

  it('slot count', () => {
    expect(() => opt.applyUpdate({ params, grads, slots: [slots[0]!], iteration: 1 })).toThrow(
      'Adam.applyUpdate: expected 2 slot arrays (m, v). Received: slots.length=1',
    );
    expect(() => new SGD().applyUpdate({ params, grads, slots, iteration: 1 })).toThrow(
      'SGD.applyUpdate: expected 0 slot arrays (none). Received: slots.length=2',
    );
  });

  it('lengths', () => {
    expect(() =>
      opt.applyUpdate({ params, grads: new Float32Array(3), slots, iteration: 1 }),
    ).toThrow('Adam.applyUpdate: grads must be as long as params (4). Received: grads.length=3');
    expect(() =>
      opt.applyUpdate({ params, grads, slots: [slots[0]!, new Float32Array(5)], iteration: 1 }),
    ).toThrow(/slot 'v' must be a Float32Array as long as params \(4\)/);
    expect(() => opt.applyUpdate({ params: [1, 2] as never, grads, slots, iteration: 1 })).toThrow(
      /params and grads must be Float32Arrays/,
    );
  });

  it('iteration and range', () => {
    expect(() => opt.applyUpdate({ params, grads, slots, iteration: 0 })).toThrow(
      'Adam.applyUpdate: iteration must be a positive integer (1-based). Received: iteration=0',
    );
    expect(() => opt.applyUpdate({ params, grads, slots, iteration: 1.5 })).toThrow(ValueError);
    expect(() => opt.applyUpdate({ params, grads, slots, iteration: 1, start: 3, end: 2 })).toThrow(
      'Adam.applyUpdate: expected integers 0 <= start <= end <= 4. Received: [start, end]=[3,2]',
    );
    expect(() => opt.applyUpdate({ params, grads, slots, iteration: 1, end: 5 })).toThrow(
      ValueError,
    );
  });

  it('an empty range changes nothing', () => {
    const p = Float32Array.from([1, 2, 3, 4]);
    opt.applyUpdate({
      params: p,
      grads: Float32Array.from([1, 1, 1, 1]),
      slots,
      iteration: 1,
      start: 2,
      end: 2,
    });
    expect(Array.from(p)).toEqual([1, 2, 3, 4]);
  });
});

describe('learningRate', () => {
  it('is settable (reduceLROnPlateau) and validated', () => {
    const opt = new SGD({ learningRate: 0.1 });
    opt.learningRate = 0.05;
    expect(opt.learningRate).toBe(0.05);
    expect(opt.learningRateAt(10)).toBe(0.05);
    expect(opt.getConfig()['learningRate']).toBe(0.05);
    expect(() => {
      opt.learningRate = -1;
    }).toThrow(
      'SGD: learningRate must be a positive finite number or a LearningRateSchedule. Received: learningRate=-1',
    );
    expect(opt.learningRate).toBe(0.05);
    const schedule = exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 });
    opt.learningRate = schedule;
    expect(opt.learningRateAt(3)).toBe(0.25);
  });
});

describe('createSlots', () => {
  it('one zero-filled array per slot name', () => {
    const slots = createSlots(new Adam({ amsgrad: true }), 6);
    expect(slots).toHaveLength(3);
    for (const slot of slots) expect(Array.from(slot)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(createSlots(new SGD(), 6)).toEqual([]);
    expect(() => createSlots(new SGD(), -1)).toThrow(
      'createSlots: length must be a non-negative integer. Received: length=-1',
    );
  });
});
