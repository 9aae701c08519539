import { NotFoundError, RngStream, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { INITIALIZER_NAMES, type Initializer, initializers } from './index.js';

function valuesOf(t: Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** Keras snake_case name → class name, written out for the test. */
const CLASS_OF: Record<string, string> = {
  zeros: 'Zeros',
  ones: 'Ones',
  constant: 'Constant',
  random_normal: 'RandomNormal',
  random_uniform: 'RandomUniform',
  truncated_normal: 'TruncatedNormal',
  variance_scaling: 'VarianceScaling',
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  he_uniform: 'HeUniform',
  he_normal: 'HeNormal',
  lecun_uniform: 'LecunUniform',
  lecun_normal: 'LecunNormal',
  orthogonal: 'Orthogonal',
};

const camel = (snake: string): string =>
  snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('initializers registry', () => {
  it('lists the Keras initializers', () => {
    expect([...INITIALIZER_NAMES].sort()).toEqual(Object.keys(CLASS_OF).sort());
  });

  it('resolves snake_case, camelCase and class names to the same class', () => {
    for (const [snake, className] of Object.entries(CLASS_OF)) {
      expect(initializers.get(snake as never).className, snake).toBe(className);
      expect(initializers.get(camel(snake) as never).className, camel(snake)).toBe(className);
      expect(initializers.get(className as never).className, className).toBe(className);
    }
    expect(initializers.get('normal').className).toBe('RandomNormal');
    expect(initializers.get('uniform').className).toBe('RandomUniform');
  });

  it('has a factory for every initializer, giving the registered class', () => {
    for (const [snake, className] of Object.entries(CLASS_OF)) {
      const factory = (initializers as unknown as Record<string, () => Initializer>)[camel(snake)];
      expect(factory, camel(snake)).toBeTypeOf('function');
      expect(factory!().className).toBe(className);
    }
  });

  it('round-trips every built-in through JSON and regenerates the same values', () => {
    const configured: Initializer[] = [
      initializers.zeros(),
      initializers.ones(),
      initializers.constant({ value: 0.3 }),
      initializers.randomNormal({ mean: 1, stddev: 0.2, seed: 3 }),
      initializers.randomUniform({ minval: -1, maxval: 2 }),
      initializers.truncatedNormal({ stddev: 0.7 }),
      initializers.varianceScaling({ scale: 0.5, mode: 'fan_out', distribution: 'uniform' }),
      initializers.glorotUniform({ seed: 11 }),
      initializers.glorotNormal(),
      initializers.heUniform(),
      initializers.heNormal({ seed: 2 }),
      initializers.lecunUniform(),
      initializers.lecunNormal(),
      initializers.orthogonal({ gain: 3 }),
    ];
    for (const init of configured) {
      const json = JSON.parse(JSON.stringify(initializers.serialize(init)));
      expect(json.className).toBe(init.className);
      const back = initializers.deserialize(json);
      expect(back.className).toBe(init.className);
      expect(back.getConfig()).toEqual(init.getConfig());
      expect(valuesOf(back.generate([3, 4], RngStream.fromSeed(8)))).toEqual(
        valuesOf(init.generate([3, 4], RngStream.fromSeed(8))),
      );
    }
  });

  it('accepts { className, config } and a config without a config field', () => {
    const init = initializers.get({ className: 'RandomNormal', config: { stddev: 0.5 } });
    expect(init.getConfig()).toEqual({ mean: 0, stddev: 0.5, seed: null });
    expect(initializers.deserialize({ className: 'he_normal' } as never).className).toBe(
      'HeNormal',
    );
  });

  it('returns an instance unchanged', () => {
    const init = initializers.heUniform();
    expect(initializers.get(init)).toBe(init);
  });

  it('rejects an unknown name with a NotFoundError naming it and listing the known names', () => {
    expect(() => initializers.get('glorot_unifrom' as never)).toThrow(NotFoundError);
    let message = '';
    try {
      initializers.get({ className: 'Glorot', config: {} });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Received: initializer="Glorot"/);
    for (const name of INITIALIZER_NAMES) expect(message).toContain(name);
  });

  it('rejects unknown config keys and bad arguments with clear errors', () => {
    expect(() => initializers.get({ className: 'GlorotUniform', config: { scale: 2 } })).toThrow(
      'GlorotUniform: unknown argument; expected one of seed. Received: key="scale"',
    );
    expect(() => initializers.get({ className: 'Zeros', config: { value: 1 } })).toThrow(
      /takes no arguments/,
    );
    expect(() => initializers.get({ className: 'RandomNormal', config: { stddev: -2 } })).toThrow(
      'RandomNormal: stddev must be a non-negative finite number. Received: stddev=-2',
    );
    expect(() =>
      initializers.get({ className: 'VarianceScaling', config: { mode: 'fan' } }),
    ).toThrow(/mode must be one of fan_in, fan_out, fan_avg/);
    // tfjs's camelCase spelling is Keras's name in another case.
    expect(
      initializers.get({ className: 'VarianceScaling', config: { mode: 'fanIn' } }).getConfig()[
        'mode'
      ],
    ).toBe('fan_in');
    expect(() => initializers.get(42 as never)).toThrow(
      'An initializer must be a name, a { className, config } object or an initializer object. Received: initializer=42',
    );
    expect(() => initializers.deserialize({ className: 'Zeros', config: [] } as never)).toThrow(
      ValueError,
    );
  });

  it('registers, serializes and loads back a custom initializer', () => {
    class Halves implements Initializer {
      readonly className = 'Halves';
      readonly sign: number;
      constructor(config: Record<string, unknown> = {}) {
        this.sign = config['sign'] === -1 ? -1 : 1;
      }
      generate(shape: number[]): Tensor {
        return tf.fill(shape, 0.5 * this.sign);
      }
      getConfig(): Record<string, unknown> {
        return { sign: this.sign };
      }
    }
    const custom = new Halves({ sign: -1 });
    expect(() => initializers.serialize(custom)).toThrow(/initializers\.register\('Halves'/);
    initializers.register('Halves', (config) => new Halves(config));
    const json = initializers.serialize(custom);
    expect(json).toEqual({ className: 'Halves', config: { sign: -1 } });
    const back = initializers.deserialize(json);
    expect(valuesOf(back.generate([2], RngStream.fromSeed(1)))).toEqual([-0.5, -0.5]);
    expect(initializers.names()).toContain('Halves');
    expect(() => initializers.register('Halves', (config) => new Halves(config))).toThrow(
      /override/,
    );
    expect(() => initializers.register('glorot_uniform', (config) => new Halves(config))).toThrow(
      ValueError,
    );
    initializers.register('Halves', () => new Halves({ sign: 1 }), { override: true });
    expect(valuesOf(initializers.get('Halves').generate([1], RngStream.fromSeed(1)))).toEqual([
      0.5,
    ]);
  });

  it('rejects a factory that does not return an initializer', () => {
    initializers.register('broken_init', () => ({}) as never);
    expect(() => initializers.get('broken_init')).toThrow(
      /the factory registered as "broken_init" did not return an initializer/,
    );
    expect(() => initializers.register('x', 3 as never)).toThrow(/expected a factory/);
  });
});
