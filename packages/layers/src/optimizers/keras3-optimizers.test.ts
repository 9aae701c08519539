import { ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectClose, GRADS, P0, runSteps } from '../testing/optimizer-checks.js';
import { Adadelta } from './adadelta.js';
import { Adamax } from './adamax.js';
import { optimizers } from './index.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { createSlots } from './slots.js';

/** Runs a float64 per-element rule over P0 and GRADS; returns the parameters after each step. */
function reference(
  state: number,
  rule: (w: number, g: number, s: number[], t: number) => number,
): number[][] {
  const p = [...P0];
  const slots = P0.map(() => new Array<number>(state).fill(0));
  return GRADS.map((g, step) => {
    for (let i = 0; i < p.length; i++) p[i] = rule(p[i]!, g[i]!, slots[i]!, step + 1);
    return [...p];
  });
}

const adamax = (lr: number, b1: number, b2: number, eps: number) =>
  reference(2, (w, g, s, t) => {
    s[0] = s[0]! + (g - s[0]!) * (1 - b1);
    s[1] = Math.max(b2 * s[1]!, Math.abs(g));
    return w - (lr * s[0]!) / ((1 - b1 ** t) * (s[1]! + eps));
  });

function nadam(lr: number, b1: number, b2: number, eps: number): number[][] {
  const mu = (t: number): number => b1 * (1 - 0.5 * 0.96 ** t);
  const product = (t: number): number => {
    let v = 1;
    for (let k = 1; k <= t; k++) v *= mu(k);
    return v;
  };
  return reference(2, (w, g, s, t) => {
    s[0] = s[0]! + (g - s[0]!) * (1 - b1);
    s[1] = s[1]! + (g * g - s[1]!) * (1 - b2);
    const mHat = (mu(t + 1) * s[0]!) / (1 - product(t + 1)) + ((1 - mu(t)) * g) / (1 - product(t));
    return w - (lr * mHat) / (Math.sqrt(s[1]! / (1 - b2 ** t)) + eps);
  });
}

const adadelta = (lr: number, rho: number, eps: number) =>
  reference(2, (w, g, s) => {
    s[0] = rho * s[0]! + (1 - rho) * g * g;
    const delta = (-Math.sqrt(s[1]! + eps) / Math.sqrt(s[0]! + eps)) * g;
    s[1] = rho * s[1]! + (1 - rho) * delta * delta;
    return w + lr * delta;
  });

const lion = (lr: number, b1: number, b2: number) =>
  reference(1, (w, g, s) => {
    const next = w - lr * Math.sign(b1 * s[0]! + (1 - b1) * g);
    s[0] = b2 * s[0]! + (1 - b2) * g;
    return next;
  });

const CASES: Array<[string, () => Optimizer, number[][]]> = [
  ['Adamax', () => new Adamax({ learningRate: 0.1 }), adamax(0.1, 0.9, 0.999, 1e-7)],
  ['Nadam', () => new Nadam({ learningRate: 0.1 }), nadam(0.1, 0.9, 0.999, 1e-7)],
  ['Adadelta', () => new Adadelta({ learningRate: 1 }), adadelta(1, 0.95, 1e-7)],
  ['Lion', () => new Lion({ learningRate: 0.1 }), lion(0.1, 0.9, 0.99)],
];

describe('Adadelta, Adamax, Nadam, Lion', () => {
  for (const [name, make, want] of CASES) {
    it(`${name}: three steps match the float64 Keras 3 rule`, () => {
      const { history } = runSteps(make());
      history.forEach((p, step) => {
        expectClose(p, want[step]!);
      });
    });

    it(`${name}: slices [0,2) + [2,5) (2 workers) and one per element (5) equal one call bitwise`, () => {
      const whole = runSteps(make()).history.at(-1)!;
      for (const cuts of [
        [0, 2, 5],
        [0, 1, 2, 3, 4, 5],
      ]) {
        const opt = make();
        const params = Float32Array.from(P0);
        const slots = createSlots(opt, params.length);
        GRADS.forEach((g, step) => {
          for (let k = 0; k + 1 < cuts.length; k++) {
            const grads = Float32Array.from(g);
            opt.applyUpdate({
              params,
              grads,
              slots,
              iteration: step + 1,
              start: cuts[k],
              end: cuts[k + 1],
            });
          }
        });
        expect(Array.from(params)).toEqual(Array.from(whole));
      }
    });

    it(`${name}: config round-trips through the registry, by name too`, () => {
      const opt = make();
      const back = optimizers.deserialize(optimizers.serialize(opt));
      expect(back.className).toBe(name);
      expect(back.getConfig()).toEqual(opt.getConfig());
      expect(optimizers.get(name.toLowerCase()).className).toBe(name);
    });
  }

  it('rejects bad options in the Keras form', () => {
    expect(() => new Adamax({ beta1: 1 })).toThrow(
      'Adamax: beta1 must be a number in [0, 1). Received: beta1=1',
    );
    expect(() => new Lion({ beta2: 2 })).toThrow(ValueError);
    expect(() => new Adadelta({ rho: -0.1 })).toThrow('Adadelta: rho must be a number in [0, 1]');
    expect(() => new Nadam({ momentum: 0.9 } as never)).toThrow(/unknown argument/);
  });
});

describe('gradient clipping on every optimizer', () => {
  it('clipvalue clips each element; globalClipnorm scales by the whole gradient norm', () => {
    const g = GRADS[0]!;
    const clipped = runSteps(optimizers.sgd({ learningRate: 1, clipvalue: 0.5 }), [g]).history[0]!;
    expectClose(
      clipped,
      P0.map((w, i) => w - Math.min(0.5, Math.max(-0.5, g[i]!))),
    );
    const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
    const scaled = runSteps(optimizers.sgd({ learningRate: 1, globalClipnorm: 1 }), [g])
      .history[0]!;
    expectClose(
      scaled,
      P0.map((w, i) => w - g[i]! / norm),
    );
  });

  it('a slice-wise caller supplies the global norm; slices then equal one call', () => {
    const g = Float32Array.from(GRADS[0]!);
    const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
    const whole = Float32Array.from(P0);
    const opt = optimizers.adam({ globalClipnorm: 0.5 });
    opt.applyUpdate({ params: whole, grads: g, slots: createSlots(opt, 5), iteration: 1 });
    const sliced = Float32Array.from(P0);
    const slots = createSlots(opt, 5);
    // Each "worker" holds only its part of the gradient: zeros elsewhere, the norm supplied.
    for (const [start, end] of [
      [0, 3],
      [3, 5],
    ] as const) {
      const part = new Float32Array(5);
      part.set(g.subarray(start, end), start);
      opt.applyUpdate({
        params: sliced,
        grads: part,
        slots,
        iteration: 1,
        start,
        end,
        globalNorm: norm,
      });
    }
    expect(Array.from(sliced)).toEqual(Array.from(whole));
    expect(() =>
      opt.applyUpdate({ params: sliced, grads: g, slots, iteration: 2, globalNorm: -1 }),
    ).toThrow(/globalNorm must be a non-negative finite number/);
  });

  it('round-trips clipping options and rejects non-positive ones', () => {
    const opt = optimizers.rmsprop({ clipvalue: 2, globalClipnorm: 3 });
    expect(optimizers.deserialize(optimizers.serialize(opt)).getConfig()).toEqual(opt.getConfig());
    expect(() => optimizers.sgd({ clipvalue: 0 })).toThrow(
      'SGD: clipvalue must be a positive finite number. Received: clipvalue=0',
    );
  });
});
