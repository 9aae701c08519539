import { NotFoundError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import type { ActivationFn } from './index.js';
import { ACTIVATION_NAMES, activations } from './index.js';

const REGISTRY_KEYS = new Set(['get', 'serialize', 'deserialize', 'register', 'names']);

/** Every activation exposed on the object, under each of its keys (snake_case and camelCase). */
const EXPOSED = Object.entries(activations).filter(([key]) => !REGISTRY_KEYS.has(key)) as Array<
  [string, ActivationFn]
>;

function values(fn: ActivationFn, xs: number[]): number[] {
  return tf.tidy(() => Array.from(fn(tf.tensor1d(xs)).dataSync()));
}

describe('activations registry', () => {
  it('lists the 30 Keras activations', () => {
    expect([...ACTIVATION_NAMES].sort()).toEqual(
      [
        'celu',
        'elu',
        'exponential',
        'gelu',
        'glu',
        'hard_sigmoid',
        'hard_silu',
        'log_sigmoid',
        'sparse_plus',
        'squareplus',
        'leaky_relu',
        'linear',
        'log_softmax',
        'mish',
        'relu',
        'relu6',
        'selu',
        'sigmoid',
        'softmax',
        'softplus',
        'softsign',
        'swish',
        'tanh',
        'hard_tanh',
        'hard_shrink',
        'soft_shrink',
        'tanh_shrink',
        'threshold',
        'sparse_sigmoid',
        'sparsemax',
      ].sort(),
    );
  });

  it('resolves every key of the activations object, aliases included, to that same function', () => {
    expect(EXPOSED.length).toBe(44);
    for (const [key, fn] of EXPOSED) {
      expect(activations.get(key as never), key).toBe(fn);
    }
  });

  it('maps each alias to its Keras function', () => {
    expect(activations.get('silu')).toBe(activations.swish);
    expect(activations.get('logSoftmax')).toBe(activations.get('log_softmax'));
    expect(activations.get('hardSigmoid')).toBe(activations.get('hard_sigmoid'));
    expect(activations.get('leakyRelu')).toBe(activations.get('leaky_relu'));
  });

  it('round-trips every activation through serialize/deserialize under its Keras name', () => {
    for (const [key, fn] of EXPOSED) {
      const name = activations.serialize(fn);
      expect(ACTIVATION_NAMES, key).toContain(name);
      expect(activations.deserialize(name)).toBe(fn);
    }
    expect(activations.serialize(activations.silu)).toBe('swish');
    expect(activations.serialize(activations.leakyRelu)).toBe('leaky_relu');
  });

  it('gives linear for undefined and null', () => {
    expect(activations.get(undefined)).toBe(activations.linear);
    expect(activations.get(null)).toBe(activations.linear);
    expect(activations.serialize(activations.get(undefined))).toBe('linear');
  });

  it('returns a plain function unchanged', () => {
    const abs = (x: Tensor): Tensor => tf.abs(x);
    expect(activations.get(abs)).toBe(abs);
  });

  it('rejects an unknown name with a NotFoundError naming it and listing the known names', () => {
    expect(() => activations.get('relux' as never)).toThrow(NotFoundError);
    expect(() => activations.deserialize('relux')).toThrow(NotFoundError);
    let message = '';
    try {
      activations.get('relux' as never);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Received: activation="relux"/);
    for (const name of ACTIVATION_NAMES) expect(message).toContain(name);
  });

  it('rejects identifiers of the wrong type', () => {
    expect(() => activations.get(3 as never)).toThrow(ValueError);
    expect(() => activations.deserialize(3 as never)).toThrow(ValueError);
    expect(() => activations.serialize('relu' as never)).toThrow(ValueError);
  });

  it("registers the course's my_relu, uses it by name and serializes it", () => {
    const myRelu = (x: Tensor): Tensor => tf.maximum(x, 0);
    activations.register('my_relu', myRelu);
    expect(activations.get('my_relu')).toBe(myRelu);
    expect(activations.serialize(myRelu)).toBe('my_relu');
    expect(activations.deserialize('my_relu')).toBe(myRelu);
    expect(values(activations.get('my_relu'), [-2, 0, 3.5])).toEqual([0, 0, 3.5]);
    expect(activations.names()).toContain('my_relu');
  });

  it('tells the user to register an unregistered function before serializing it', () => {
    const cube = (x: Tensor): Tensor => tf.pow(x, 3);
    expect(() => activations.serialize(cube)).toThrow(ValueError);
    expect(() => activations.serialize(cube)).toThrow(/activations\.register\(/);
    expect(() => activations.serialize(cube)).toThrow(/Received: activation=function cube/);
  });

  it('refuses a taken name unless override is set', () => {
    const twice = (x: Tensor): Tensor => tf.mul(x, 2);
    const thrice = (x: Tensor): Tensor => tf.mul(x, 3);
    activations.register('scale_up', twice);
    expect(() => activations.register('scale_up', thrice)).toThrow(
      /already registered.*override: true/,
    );
    expect(() => activations.register('relu', thrice)).toThrow(ValueError);
    expect(activations.get('scale_up')).toBe(twice);
    activations.register('scale_up', thrice, { override: true });
    expect(activations.get('scale_up')).toBe(thrice);
    expect(activations.serialize(thrice)).toBe('scale_up');
    // The replaced function no longer has a name to be saved under.
    expect(() => activations.serialize(twice)).toThrow(ValueError);
  });

  it('rejects bad registrations', () => {
    const f = (x: Tensor): Tensor => tf.neg(x);
    expect(() => activations.register('', f)).toThrow(ValueError);
    expect(() => activations.register(' padded ', f)).toThrow(ValueError);
    expect(() => activations.register('not_a_fn', 'relu' as never)).toThrow(/expected a function/);
  });
});
