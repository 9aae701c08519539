/**
 * Optimizers, translated from the peers' suites: Keras 3 `keras/src/optimizers/
 * {adam,adamw,adadelta,adamax,nadam,lion,sgd,rmsprop,adagrad,optimizer}_test.py` and
 * tfjs-layers `src/optimizers_test.ts`. Keras's `apply_gradients(zip(grads, vars))` is
 * Tessera's `applyUpdate` over a flat parameter vector with caller-held slots; Keras's
 * variable names (for `exclude_from_weight_decay`) are the `variables` ranges.
 */
import { NotFoundError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  createSlots,
  Lion,
  layers,
  Nadam,
  type Optimizer,
  optimizers,
  RMSprop,
  SGD,
  sequential,
} from '../../src/index.js';
import { expectValues } from './helpers.js';

/** One optimizer with its slots over a flat vector; `step(grads)` is one apply_gradients. */
function stepper(opt: Optimizer, start: number[]) {
  const params = Float32Array.from(start);
  const slots = createSlots(opt, params.length);
  let iteration = 0;
  return {
    params,
    step(
      grads: number[],
      extra: { variables?: { name: string; start: number; end: number }[] } = {},
    ) {
      iteration += 1;
      opt.applyUpdate({ params, grads: Float32Array.from(grads), slots, iteration, ...extra });
    },
  };
}

const GRADS = [1, 6, 7, 2];
const VARS = [1, 2, 3, 4];

// test_single_step of each optimizer file (learning_rate 0.5, one step)
const SINGLE_STEP: [string, () => Optimizer, number[]][] = [
  ['adam_test.py', () => new Adam({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
  ['adamw_test.py', () => new AdamW({ learningRate: 0.5 }), [0.498, 1.496, 2.494, 3.492]],
  ['adadelta_test.py', () => new Adadelta({ learningRate: 0.5 }), [0.9993, 1.9993, 2.9993, 3.9993]],
  ['adamax_test.py', () => new Adamax({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
  ['nadam_test.py', () => new Nadam({ learningRate: 0.5 }), [0.4686, 1.4686, 2.4686, 3.4686]],
  ['lion_test.py', () => new Lion({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]],
  ['sgd_test.py', () => new SGD({ learningRate: 0.5 }), [0.5, -1, -0.5, 3]],
  ['rmsprop_test.py', () => new RMSprop({ learningRate: 0.5 }), [-0.5811, 0.4189, 1.4189, 2.4189]],
  ['adagrad_test.py', () => new Adagrad({ learningRate: 0.5 }), [0.5233, 1.5007, 2.5005, 3.5061]],
];

// test_correctness_with_golden: one step of 0.01 everywhere, then five of [0.1 … 1.0].
const tile = (column: number[]) => column.map((v) => new Array(10).fill(v) as number[]);
const GOLDEN: [string, () => Optimizer, number[][]][] = [
  [
    'adam_test.py (amsgrad)',
    () => new Adam({ amsgrad: true }),
    tile([0.999, 0.9982, 0.9974, 0.9965, 0.9955]),
  ],
  [
    'adamw_test.py',
    () => new AdamW({ learningRate: 1, weightDecay: 0.5, epsilon: 2 }),
    [
      new Array(10).fill(0.4998),
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ],
  ],
  [
    'adadelta_test.py',
    () => new Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-6 }),
    tile([0.9978, 0.9947, 0.9915, 0.9882, 0.9849]),
  ],
  [
    'adamax_test.py',
    () => new Adamax({ learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6 }),
    [
      new Array(10).fill(0.8),
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ],
  ],
  [
    'nadam_test.py',
    () => new Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 }),
    [
      new Array(10).fill(0.4281),
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ],
  ],
  ['lion_test.py', () => new Lion(), tile([0.999, 0.998, 0.997, 0.996, 0.995])],
  [
    'sgd_test.py (nesterov)',
    () => new SGD({ nesterov: true }),
    [
      new Array(10).fill(0.9999),
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ],
  ],
  [
    'rmsprop_test.py (centered)',
    () => new RMSprop({ centered: true }),
    tile([0.9967, 0.9933, 0.9908, 0.9885, 0.9864]),
  ],
  [
    'adagrad_test.py',
    () => new Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6 }),
    [
      new Array(10).fill(0.9963),
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ],
  ],
];

// test_config of each file: the arguments Keras round-trips.
const CONFIGS: [string, () => Optimizer][] = [
  [
    'Adam',
    () => new Adam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5, amsgrad: true }),
  ],
  [
    'AdamW',
    () =>
      new AdamW({
        learningRate: 0.5,
        weightDecay: 0.008,
        beta1: 0.5,
        beta2: 0.67,
        epsilon: 1e-5,
        amsgrad: true,
      }),
  ],
  ['Adadelta', () => new Adadelta({ learningRate: 0.5, rho: 0.9, epsilon: 1e-5 })],
  ['Adamax', () => new Adamax({ learningRate: 0.5, beta1: 0.8, beta2: 0.95, epsilon: 1e-5 })],
  ['Nadam', () => new Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 })],
  ['Lion', () => new Lion({ learningRate: 0.5, beta1: 0.5, beta2: 0.67 })],
  ['SGD', () => new SGD({ learningRate: 0.5, momentum: 0.06, nesterov: true, weightDecay: 0.004 })],
  [
    'RMSprop',
    () =>
      new RMSprop({ learningRate: 0.5, rho: 0.8, momentum: 0.05, epsilon: 1e-6, centered: true }),
  ],
  [
    'Adagrad',
    () => new Adagrad({ learningRate: 0.5, initialAccumulatorValue: 0.2, epsilon: 1e-5 }),
  ],
];

describe('Keras optimizer tests: test_single_step', () => {
  for (const [file, make, expected] of SINGLE_STEP) {
    it(`${file} test_single_step`, () => {
      const s = stepper(make(), VARS);
      s.step(GRADS);
      expectValues(s.params, expected, { atol: 1e-4, rtol: 1e-4 });
    });
  }
});

describe('Keras optimizer tests: test_correctness_with_golden', () => {
  for (const [file, make, golden] of GOLDEN) {
    it(`${file} test_correctness_with_golden`, () => {
      const s = stepper(make(), new Array(10).fill(1));
      s.step(new Array(10).fill(0.01));
      const grads = Array.from({ length: 10 }, (_, i) => (i + 1) / 10);
      for (const row of golden) {
        expectValues(s.params, row, { atol: 5e-4, rtol: 5e-4 });
        s.step(grads);
      }
    });
  }
});

describe('Keras optimizer tests: test_weight_decay (decay 0.004, lr 1, zero gradients)', () => {
  const makers: [string, (wd: number) => Optimizer][] = [
    ['Adam', (weightDecay) => new Adam({ learningRate: 1, weightDecay })],
    ['AdamW', (weightDecay) => new AdamW({ learningRate: 1, weightDecay })],
    ['Adadelta', (weightDecay) => new Adadelta({ learningRate: 1, weightDecay })],
    ['Adamax', (weightDecay) => new Adamax({ learningRate: 1, weightDecay })],
    ['Nadam', (weightDecay) => new Nadam({ learningRate: 1, weightDecay })],
    ['Lion', (weightDecay) => new Lion({ learningRate: 1, weightDecay })],
    ['SGD', (weightDecay) => new SGD({ learningRate: 1, weightDecay })],
    ['RMSprop', (weightDecay) => new RMSprop({ learningRate: 1, weightDecay })],
    ['Adagrad', (weightDecay) => new Adagrad({ learningRate: 1, weightDecay })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: var1 decays three times to 1.9760959; excluded variables stay 2`, () => {
      // var1 goes through three optimizers, as in the Keras test; var2 is named 'exclude'.
      const variables = [
        { name: 'var1', start: 0, end: 1 },
        { name: 'exclude', start: 1, end: 2 },
      ];
      const params = Float32Array.of(2, 2);
      for (const excluded of [null, ['exclude'], ['exclude']]) {
        const opt = new (make(0.004).constructor as new (a: object) => Optimizer)({
          learningRate: 1,
          weightDecay: 0.004,
          ...(excluded === null ? {} : { excludeFromWeightDecay: excluded }),
        });
        const slots = createSlots(opt, 2);
        opt.applyUpdate({
          params,
          grads: Float32Array.of(0, 0),
          slots,
          iteration: 1,
          ...(excluded === null ? { start: 0, end: 1 } : { variables }),
        });
      }
      expect(params[0]).toBeCloseTo(1.9760959, 6);
      expect(params[1]).toBeCloseTo(2, 6);
    });
  }

  // adamw_test.py test_weight_decay_is_none
  it('AdamW: weightDecay null is refused (Keras: must be a float)', () => {
    expect(() => new AdamW({ weightDecay: null })).toThrow(ValueError);
  });
});

describe('Keras optimizer tests: test_config round trips', () => {
  for (const [name, make] of CONFIGS) {
    it(`${name} test_config`, () => {
      const opt = make();
      const back = optimizers.deserialize(JSON.parse(JSON.stringify(optimizers.serialize(opt))));
      expect(back.className).toBe(name);
      expect(back.getConfig()).toEqual(opt.getConfig());
      // The same updates from the copy.
      const a = stepper(opt, VARS);
      const b = stepper(back, VARS);
      for (let i = 0; i < 3; i++) {
        a.step(GRADS);
        b.step(GRADS);
      }
      expect(Array.from(b.params)).toEqual(Array.from(a.params));
    });
  }
});

describe('Keras optimizer_test.py', () => {
  // test_clip_args
  it('test_clip_args: each clip option alone; clipnorm with another raises', () => {
    expect(new SGD({ learningRate: 1, clipnorm: 0.1 }).clipnorm).toBe(0.1);
    expect(new SGD({ learningRate: 1, clipvalue: 0.1 }).clipvalue).toBe(0.1);
    expect(new SGD({ learningRate: 1, globalClipnorm: 0.1 }).globalClipnorm).toBe(0.1);
    expect(() => new SGD({ learningRate: 1, clipnorm: 0.1, clipvalue: 0.1 })).toThrow(
      /only one of/,
    );
    expect(() => new SGD({ learningRate: 1, clipnorm: 0.1, globalClipnorm: 0.1 })).toThrow(
      /only one of/,
    );
  });

  // test_clip_norm, test_clip_value, test_global_clip_norm (the clipped gradient is what SGD
  // with learning rate 1 subtracts)
  it('test_clip_norm / test_clip_value / test_global_clip_norm', () => {
    const clipped = (opt: Optimizer, grads: number[], variables?: boolean) => {
      const s = stepper(opt, [0, 0]);
      s.step(grads, variables ? { variables: [{ name: 'v', start: 0, end: 2 }] } : {});
      return Array.from(s.params, (v) => -v);
    };
    expectValues(clipped(new SGD({ learningRate: 1, clipnorm: 1 }), [100, 100], true), [
      Math.SQRT1_2,
      Math.SQRT1_2,
    ]);
    expectValues(clipped(new SGD({ learningRate: 1, clipvalue: 1 }), [100, 100]), [1, 1]);
    const norm = Math.hypot(50, 100);
    expectValues(clipped(new SGD({ learningRate: 1, globalClipnorm: 1 }), [50, 100]), [
      50 / norm,
      100 / norm,
    ]);
  });

  // Every optimizer's test_clip_norm / test_clip_value: the options are accepted and kept.
  it('every optimizer takes clipnorm and clipvalue', () => {
    for (const name of optimizers.names()) {
      expect(optimizers.get({ className: name, config: { clipnorm: 1 } }).clipnorm).toBe(1);
      expect(optimizers.get({ className: name, config: { clipvalue: 1 } }).clipvalue).toBe(1);
    }
  });

  // test_iterations_counter: the caller's iteration number drives bias correction.
  it('test_iterations_counter: a step is numbered from 1, and an iteration below 1 is refused', () => {
    const opt = new Adam();
    const params = Float32Array.of(1);
    const slots = createSlots(opt, 1);
    expect(() =>
      opt.applyUpdate({ params, grads: Float32Array.of(1), slots, iteration: 0 }),
    ).toThrow(ValueError);
  });

  // test_get_method
  it('test_get_method: names, classes, and an unknown name', () => {
    expect(optimizers.get('sgd')).toBeInstanceOf(SGD);
    expect(optimizers.get('SGD')).toBeInstanceOf(SGD);
    expect(optimizers.get('adam')).toBeInstanceOf(Adam);
    expect(() => optimizers.get('typo')).toThrow(NotFoundError);
  });

  // sgd_test.py test_invalid_momentum
  it('sgd_test.py test_invalid_momentum: momentum in [0, 1]', () => {
    expect(() => new SGD({ momentum: -1 })).toThrow(/momentum/);
    expect(() => new SGD({ momentum: 2 })).toThrow(/momentum/);
  });

  // lion_test.py test_invalid_beta_1
  it('lion_test.py test_invalid_beta_1: beta1 in (0, 1]', () => {
    expect(() => new Lion({ beta1: 0 })).toThrow(/beta1/);
    expect(() => new Lion({ beta1: -0.1 })).toThrow(/beta1/);
    expect(() => new Lion({ beta1: 1.1 })).toThrow(/beta1/);
  });

  it('a non-positive learning rate is refused with the value received', () => {
    expect(() => new Adam({ learningRate: 0 })).toThrow(/learningRate.*Received: learningRate=0/);
    expect(() => new SGD({ learningRate: -1 })).toThrow(ValueError);
  });
});

describe('tfjs optimizers_test.ts', () => {
  for (const [name, cls] of [
    ['SGD', SGD],
    ['sgd', SGD],
    ['Adam', Adam],
    ['adam', Adam],
    ['RMSProp', RMSprop],
    ['rmsprop', RMSprop],
    ['Adagrad', Adagrad],
    ['adagrad', Adagrad],
    ['Adadelta', Adadelta],
    ['adadelta', Adadelta],
    ['Adamax', Adamax],
    ['adamax', Adamax],
  ] as const) {
    it(`can instantiate ${name}`, () => {
      expect(optimizers.get(name)).toBeInstanceOf(cls);
    });
  }

  it('throws for non-existent optimizer', () => {
    expect(() => optimizers.get('not an optimizer')).toThrow(/Unknown optimizer/);
  });
});

describe('Keras schedules/learning_rate_schedule_test.py', () => {
  const { exponentialDecay, cosineDecay } = optimizers.schedules;
  const cosine = (step: number, decaySteps: number, alpha = 0) => {
    const done = Math.min(step, decaySteps) / decaySteps;
    return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * done)) + alpha;
  };

  // ExponentialDecayTest: test_config, test_continuous, test_staircase, test_variables
  it('ExponentialDecayTest: continuous, staircase, config', () => {
    const config = {
      initialLearningRate: 0.05,
      decaySteps: 10,
      decayRate: 0.96,
      staircase: true,
    };
    const s = exponentialDecay(config);
    const back = optimizers.schedules.deserialize(
      JSON.parse(JSON.stringify(optimizers.schedules.serialize(s))),
    );
    expect(back.at(25)).toBe(s.at(25));
    expect(
      exponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 }).at(5),
    ).toBeCloseTo(0.05 * 0.96 ** 0.5, 9);
    const stairs = exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 3,
      decayRate: 0.96,
      staircase: true,
    });
    expect(stairs.at(1)).toBeCloseTo(0.1, 9);
    expect(stairs.at(2)).toBeCloseTo(0.1, 9);
    expect(stairs.at(100)).toBeCloseTo(0.1 * 0.96 ** Math.floor(100 / 3), 9);
  });

  // CosineDecayTest: test_decay, test_alpha, test_warmup, test_warmup_decay
  it('CosineDecayTest: decay, alpha, warmup and warmup then decay', () => {
    for (let step = 0; step < 1500; step += 250) {
      expect(cosineDecay({ initialLearningRate: 1, decaySteps: 1000 }).at(step)).toBeCloseTo(
        cosine(step, 1000),
        6,
      );
      expect(
        cosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 0.1 }).at(step),
      ).toBeCloseTo(cosine(step, 1000, 0.1), 6);
      // Linear warmup from 0 to 10 over 1500 steps (initial rate 0 is allowed with a warmup).
      expect(
        cosineDecay({
          initialLearningRate: 0,
          decaySteps: 10,
          warmupTarget: 10,
          warmupSteps: 1500,
        }).at(step),
      ).toBeCloseTo((step / 1500) * 10, 5);
    }
    const wd = cosineDecay({
      initialLearningRate: 0,
      decaySteps: 1000,
      warmupTarget: 10,
      warmupSteps: 2000,
    });
    for (let step = 0; step < 3000; step += 250) {
      const expected = step < 2001 ? (step / 2000) * 10 : 10 * cosine(step - 2000, 1000);
      expect(wd.at(step)).toBeCloseTo(expected, 5);
    }
  });

  // PiecewiseConstantDecayTest: test_config, test_piecewise_values, test_boundary_values
  it('PiecewiseConstantDecayTest: values between boundaries, boundaries inclusive', () => {
    const s = optimizers.schedules.piecewiseConstantDecay({
      boundaries: [100, 110, 120],
      values: [1, 0.1, 0.01, 0.001],
    });
    for (const [step, lr] of [
      [0, 1],
      [100, 1],
      [105, 0.1],
      [110, 0.1],
      [120, 0.01],
      [999, 0.001],
    ] as const) {
      expect(s.at(step)).toBeCloseTo(lr, 9);
    }
    const b = optimizers.schedules.piecewiseConstantDecay({
      boundaries: [1, 2, 3],
      values: [0.4, 0.5, 0.6, 0.7],
    });
    expect([0, 1, 2, 3, 4].map((k) => b.at(k))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
    const config = optimizers.schedules.serialize(
      optimizers.schedules.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 2, 3] }),
    );
    expect(
      optimizers.schedules.deserialize(JSON.parse(JSON.stringify(config))).getConfig(),
    ).toEqual(config.config);
  });

  // LinearDecayTest and SqrtDecayTest (PolynomialDecay with power 1 and 0.5)
  it('LinearDecayTest / SqrtDecayTest: halfway, end, beyond, with cycle', () => {
    const poly = (end: number, power = 1, cycle = false, lr = 0.05) =>
      optimizers.schedules.polynomialDecay({
        initialLearningRate: lr,
        decaySteps: 10,
        endLearningRate: end,
        power,
        cycle,
      });
    expect(poly(0).at(5)).toBeCloseTo(0.05 * 0.5, 9);
    expect(poly(0.001).at(10)).toBeCloseTo(0.001, 9);
    expect(poly(0.001).at(5)).toBeCloseTo((0.05 + 0.001) * 0.5, 9);
    expect(poly(0.001).at(15)).toBeCloseTo(0.001, 9);
    expect(poly(0.001, 1, true).at(15)).toBeCloseTo((0.05 - 0.001) * 0.25 + 0.001, 9);
    expect(poly(0, 0.5).at(5)).toBeCloseTo(0.05 * 0.5 ** 0.5, 9);
    expect(poly(0.001, 0.5).at(10)).toBeCloseTo(0.001, 9);
    expect(poly(0.001, 0.5).at(5)).toBeCloseTo((0.05 - 0.001) * 0.5 ** 0.5 + 0.001, 9);
    expect(poly(0.001, 0.5).at(15)).toBeCloseTo(0.001, 9);
    expect(poly(0.001, 0.5, true).at(15)).toBeCloseTo((0.05 - 0.001) * 0.25 ** 0.5 + 0.001, 9);
    expect(
      optimizers.schedules
        .polynomialDecay({ initialLearningRate: 0.001, decaySteps: 10, cycle: true })
        .at(0),
    ).toBeCloseTo(0.001, 9);
  });

  // InverseTimeDecayTest: test_decay, test_staircase
  it('InverseTimeDecayTest: decay and staircase', () => {
    const s = optimizers.schedules.inverseTimeDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.96,
    });
    const st = optimizers.schedules.inverseTimeDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.96,
      staircase: true,
    });
    for (let i = 0; i <= 10; i++) {
      expect(s.at(i)).toBeCloseTo(0.1 / (1 + (i / 10) * 0.96), 9);
      expect(st.at(i)).toBeCloseTo(0.1 / (1 + 0.96 * Math.floor(i / 10)), 9);
    }
  });

  // TestFitLRSchedulesFlow.test_fit_lr_correctness: Adam on an ExponentialDecay, three epochs
  it('test_fit_lr_correctness: losses 230.7946, 128.3032, 79.3365', async () => {
    const m = sequential([
      layers.dense({
        units: 2,
        inputShape: [2],
        kernelInitializer: 'ones',
        biasInitializer: 'ones',
      }),
    ]);
    m.compile({
      optimizer: optimizers.adam({
        learningRate: exponentialDecay({
          initialLearningRate: 0.05,
          decaySteps: 1,
          decayRate: 0.9,
        }),
      }),
      loss: 'mse',
    });
    const x = tf.tensor2d(
      Array.from({ length: 32 }, (_, i) => i),
      [16, 2],
    );
    const h = await m.fit(x, x, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const want = [230.79457092285156, 128.30319213867188, 79.33648681640625];
    h.history['loss']?.forEach((v, i) => {
      expect(Math.abs(v - (want[i] as number)) / (want[i] as number)).toBeLessThan(5e-5);
    });
    expect(m.optimizerState?.iteration).toBe(12);
    x.dispose();
  });
});
