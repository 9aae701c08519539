import { RngStream, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Constant, Ones, Zeros } from './constant.js';

const rng = RngStream.fromSeed(1);

describe('zeros, ones, constant', () => {
  it('fill the requested shape', () => {
    const z = new Zeros().generate([2, 3]);
    const o = new Ones().generate([4]);
    const c = new Constant({ value: -0.25 }).generate([2, 1, 2]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe('float32');
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(o.dataSync())).toEqual([1, 1, 1, 1]);
    expect(c.shape).toEqual([2, 1, 2]);
    expect(Array.from(c.dataSync())).toEqual([-0.25, -0.25, -0.25, -0.25]);
    tf.dispose([z, o, c]);
  });

  it('accept a scalar shape and an empty dimension', () => {
    const s = new Constant({ value: 3 }).generate([]);
    const e = new Ones().generate([0, 5]);
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(3);
    expect(e.size).toBe(0);
    tf.dispose([s, e]);
  });

  it('ignore the stream they are given', () => {
    const before = rng.getState();
    new Constant({ value: 2 }).generate([3], rng).dispose();
    expect(rng.getState()).toEqual(before);
  });

  it('round-trip their configs', () => {
    expect(new Zeros().getConfig()).toEqual({});
    expect(new Ones().getConfig()).toEqual({});
    const c = new Constant({ value: 0.1 });
    expect(c.getConfig()).toEqual({ value: 0.1 });
    expect(new Constant(c.getConfig()).value).toBe(0.1);
    expect(new Constant().value).toBe(0);
  });

  it('reject a bad value or shape', () => {
    expect(() => new Constant({ value: Number.NaN })).toThrow(ValueError);
    expect(() => new Constant({ value: '1' as unknown as number })).toThrow(
      /Constant: value must be a finite number. Received: value="1"/,
    );
    expect(() => new Zeros().generate([2, -1])).toThrow(
      /shape must be an array of non-negative integers/,
    );
    expect(() => new Ones().generate([1.5])).toThrow(ValueError);
  });

  it('do not leak tensors', () => {
    const before = tf.memory().numTensors;
    for (const init of [new Zeros(), new Ones(), new Constant({ value: 7 })]) {
      init.generate([3, 3]).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
