/**
 * Losses, translated from the peers' suites: Keras 3 `keras/src/losses/losses_test.py`
 * (one describe per Keras test class; the numbers are Keras's) and tfjs-layers
 * `src/losses_test.ts`. Keras's `reduction=None` is Tessera's `'none'`.
 */
import { checkGradients, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { type Loss, layers, losses, type Reduction, sequential } from '../../src/index.js';
import { expectValues, type Nested, scalar } from './helpers.js';

/** Calls `loss` on plain arrays; `weight` is a number (a scalar weight) or nested rows. */
function lossValue(loss: Loss, yTrue: Nested, yPred: Nested, weight?: Nested): Tensor {
  const t = tf.tensor(yTrue as number[]);
  const p = tf.tensor(yPred as number[]);
  const w = weight === undefined ? undefined : tf.tensor(weight as number[]);
  const out = loss.call(t, p, w);
  tf.dispose([t, p, ...(w === undefined ? [] : [w])]);
  return out;
}

function expectLoss(
  loss: Loss,
  yTrue: Nested,
  yPred: Nested,
  expected: Nested,
  weight?: Nested,
  atol = 1e-3,
): void {
  expectValues(lossValue(loss, yTrue, yPred, weight), expected, { atol, rtol: 1e-4 });
}

// The regression fixtures every Keras regression test uses.
const T = [
  [1, 9, 2],
  [-5, -2, 6],
];
const P = [
  [4, 8, 12],
  [8, 1, 3],
];
const T3 = [
  [[1], [9], [2]],
  [[-5], [-2], [6]],
];
const P3 = [
  [[4], [8], [12]],
  [[8], [1], [3]],
];
const STEP_W = [
  [3, 6, 5],
  [0, 4, 2],
];
const ROW_W = [[1.2], [3.4]];

/** The Keras regression-loss cases, one table row per loss. */
const REGRESSION: {
  name: string;
  make: (reduction?: Reduction) => Loss;
  unweighted: number;
  scalar: number;
  sample: number;
  timestep: number;
  none?: [number, number];
  sum?: number;
  meanWithSampleWeight: number;
}[] = [
  {
    name: 'MeanSquaredErrorTest',
    make: (reduction) => losses.meanSquaredError({ reduction }),
    unweighted: 49.5,
    scalar: 113.85,
    sample: 767.8 / 6,
    timestep: 97.833336,
    none: [84.3333, 143.3666],
    sum: 227.69998,
    meanWithSampleWeight: ((110 / 3) * 1.2 + (187 / 3) * 3.4) / (1.2 + 3.4),
  },
  {
    name: 'MeanAbsoluteErrorTest',
    make: (reduction) => losses.meanAbsoluteError({ reduction }),
    unweighted: 5.5,
    scalar: 12.65,
    sample: 81.4 / 6,
    timestep: 13.833333,
    none: [10.7333, 14.5666],
    sum: 25.29999,
    meanWithSampleWeight: ((14 / 3) * 1.2 + (19 / 3) * 3.4) / (1.2 + 3.4),
  },
  {
    name: 'MeanAbsolutePercentageErrorTest',
    make: (reduction) => losses.meanAbsolutePercentageError({ reduction }),
    unweighted: 211.8518,
    scalar: 487.259,
    sample: 422.8888,
    timestep: 694.4444,
    none: [621.8518, 352.6666],
    meanWithSampleWeight: 183.865,
  },
  {
    name: 'MeanSquaredLogarithmicErrorTest',
    make: (reduction) => losses.meanSquaredLogarithmicError({ reduction }),
    unweighted: 1.437,
    scalar: 3.3051,
    sample: 3.7856,
    timestep: 2.647374,
    meanWithSampleWeight: 1.646,
  },
];

describe('Keras losses_test.py: regression losses', () => {
  for (const c of REGRESSION) {
    describe(c.name, () => {
      it('test_all_correct_unweighted / test_unweighted', () => {
        expectLoss(c.make(), T, T, 0);
        expectLoss(c.make(), T, P, c.unweighted);
      });
      it('test_scalar_weighted / test_zero_weighted', () => {
        expectLoss(c.make(), T, P, c.scalar, 2.3);
        expectLoss(c.make(), T, P, 0, 0);
      });
      it('test_sample_weighted ([[1.2], [3.4]])', () => {
        expectLoss(c.make(), T, P, c.sample, ROW_W);
      });
      it('test_timestep_weighted ([2, 3, 1] targets, [2, 3] weights)', () => {
        expectLoss(c.make(), T3, P3, c.timestep, STEP_W);
      });
      it('test_no_reduction / test_sum_reduction (sample_weight 2.3)', () => {
        if (c.none !== undefined) expectLoss(c.make('none'), T, P, c.none, 2.3);
        if (c.sum !== undefined) expectLoss(c.make('sum'), T, P, c.sum, 2.3);
      });
      it('test_mean_with_sample_weight_reduction', () => {
        expectLoss(c.make('mean_with_sample_weight'), T, P, c.meanWithSampleWeight, ROW_W);
      });
    });
  }

  // MeanSquaredErrorTest.test_base_function_reduction: the function form gives one value a row.
  it('MeanSquaredErrorTest.test_base_function_reduction: [3] from [3] and [3, 1]', () => {
    const out = lossValue(
      losses.meanSquaredError({ reduction: 'none' }),
      [4, 8, 12],
      [[3], [0], [1]],
    );
    expect(out.shape).toEqual([3]);
    expectValues(out, [1, 64, 121]);
  });

  // MeanSquaredErrorTest.test_config ('mean' is Keras's other name of the default)
  it('reduction "mean" is sum_over_batch_size; an unknown reduction raises', () => {
    expectLoss(losses.meanSquaredError({ reduction: 'mean' }), T, P, 49.5);
    expect(() => losses.meanSquaredError({ reduction: 'abc' as Reduction })).toThrow(ValueError);
    expect(() => losses.meanSquaredError({ reduction: 'abc' as Reduction })).toThrow(/reduction/);
  });
});

describe('Keras losses_test.py: hinge losses', () => {
  const yt = [
    [0, 1],
    [0, 0],
  ];
  const yp = [
    [0.6, 0.4],
    [0.4, 0.6],
  ];
  const cases = [
    ['HingeTest', losses.hinge, 1.3, 2.6, [1.1, 1.5], 0.55, 1.1, [1.1, 0]],
    ['SquaredHingeTest', losses.squaredHinge, 1.86, 3.72, [1.46, 2.26], 0.73, 1.46, [1.46, 0]],
    ['CategoricalHingeTest', losses.categoricalHinge, 1.4, 2.8, [1.2, 1.6], 0.6, 1.2, [1.2, 0]],
  ] as const;
  for (const [name, make, mean, sum, none, wMean, wSum, wNone] of cases) {
    it(`${name}.test_unweighted: three reductions; a bad one raises`, () => {
      expectLoss(make({ reduction: 'sum_over_batch_size' }), yt, yp, mean);
      expectLoss(make({ reduction: 'sum' }), yt, yp, sum);
      expectLoss(make({ reduction: 'none' }), yt, yp, [...none]);
      expect(() => make({ reduction: 'abc' as Reduction })).toThrow(ValueError);
    });
    it(`${name}.test_weighted / test_zero_weighted: sample_weight [1, 0] and 0`, () => {
      expectLoss(make({ reduction: 'sum_over_batch_size' }), yt, yp, wMean, [1, 0]);
      expectLoss(make({ reduction: 'sum' }), yt, yp, wSum, [1, 0]);
      expectLoss(make({ reduction: 'none' }), yt, yp, [...wNone], [1, 0]);
      expectLoss(make(), yt, yp, 0, 0);
    });
  }
});

describe('Keras losses_test.py: CosineSimilarity, Huber, LogCosh, KLDivergence, Poisson', () => {
  const Tf = T.map((r) => r.map(Number));
  const unit = (r: number[]) => {
    const n = Math.sqrt(r.reduce((a, v) => a + v * v, 0));
    return r.map((v) => v / n);
  };
  const cos = Tf.map((r, i) => {
    const a = unit(r);
    const b = unit(P[i] as number[]);
    return a.reduce((s, v, j) => s + v * (b[j] as number), 0);
  });

  // CosineSimilarityTest.test_config
  it('CosineSimilarityTest.test_config: axis and reduction in the config', () => {
    const loss = losses.cosineSimilarity({ axis: 2, reduction: 'sum' });
    expect(loss.reduction).toBe('sum');
    expect(loss.getConfig()).toMatchObject({ axis: 2, reduction: 'sum' });
  });

  // test_unweighted, test_scalar_weighted, test_sample_weighted, test_zero_weighted, test_axis
  it('CosineSimilarityTest: −mean of the row cosines, weighted', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expectLoss(losses.cosineSimilarity(), T, P, -mean(cos));
    expectLoss(losses.cosineSimilarity(), T, P, -mean(cos) * 2.3, 2.3);
    expectLoss(losses.cosineSimilarity(), T, P, -mean([cos[0]! * 1.2, cos[1]! * 3.4]), [1.2, 3.4]);
    expectLoss(losses.cosineSimilarity(), T, P, 0, 0);
    expectLoss(losses.cosineSimilarity({ axis: 1 }), T, P, -mean(cos));
  });

  // CosineSimilarityTest.test_timestep_weighted: axis -1 of size 1 → each cosine is ±1.
  it('CosineSimilarityTest.test_timestep_weighted', () => {
    const signs = [1, 1, 1, -1, -1, 1]; // sign(t·p) of each scalar pair
    const w = [3, 6, 5, 0, 4, 2];
    const expected = -signs.reduce((a, s, i) => a + s * (w[i] as number), 0) / 6;
    expectLoss(losses.cosineSimilarity(), T3, P3, expected, STEP_W);
  });

  const hp = [
    [0.9, 0.2, 0.2],
    [0.8, 0.4, 0.6],
  ];
  const ht = [
    [1, 0, 1],
    [1, 0, 0],
  ];
  const huber = (d: number) =>
    ht.map((r, i) =>
      r.map((t, j) => {
        const e = Math.abs((hp[i]![j] as number) - t);
        const q = Math.min(e, d);
        return 0.5 * q * q + d * (e - q);
      }),
    );
  const sum = (rows: number[][], w: number[] = [1, 1]) =>
    rows.reduce((a, r, i) => a + (w[i] as number) * r.reduce((b, v) => b + v, 0), 0);

  // HuberLossTest: test_config, test_all_correct, test_unweighted, test_scalar_weighted,
  // test_sample_weighted, test_zero_weighted, test_non_default_delta
  it('HuberLossTest: delta 1 and 0.8, weighted', () => {
    const loss = losses.huber({ delta: 2, reduction: 'sum' });
    expect(loss.getConfig()).toMatchObject({ delta: 2, reduction: 'sum' });
    expectLoss(losses.huber(), ht, ht, 0);
    expectLoss(losses.huber(), ht, hp, sum(huber(1)) / 6);
    expectLoss(losses.huber(), ht, hp, (2.3 * sum(huber(1))) / 6, 2.3);
    expectLoss(losses.huber(), ht, hp, sum(huber(1), [1.2, 3.4]) / 6, [[1.2], [3.4]]);
    expectLoss(losses.huber(), ht, hp, 0, 0);
    expectLoss(losses.huber({ delta: 0.8 }), ht, hp, (2.3 * sum(huber(0.8))) / 6, 2.3);
  });

  it('HuberLossTest.test_timestep_weighted: [2, 3, 1] weights on [2, 3, 1] targets', () => {
    const w = [3, 6, 5, 0, 4, 2];
    const flat = huber(1).flat();
    const expected = flat.reduce((a, v, i) => a + v * (w[i] as number), 0) / 6;
    const t3 = ht.map((r) => r.map((v) => [v]));
    const p3 = hp.map((r) => r.map((v) => [v]));
    expectLoss(losses.huber(), t3, p3, expected, [
      [[3], [6], [5]],
      [[0], [4], [2]],
    ]);
  });

  // LogCoshTest
  it('LogCoshTest: log(cosh(error)) mean, weighted', () => {
    const lc = T.map((r, i) => r.map((t, j) => Math.log(Math.cosh((P[i]![j] as number) - t))));
    expect(losses.logCosh({ reduction: 'sum' }).getConfig()).toMatchObject({ reduction: 'sum' });
    expectLoss(losses.logCosh(), T, P, sum(lc) / 6);
    expectLoss(losses.logCosh(), T, P, (2.3 * sum(lc)) / 6, 2.3);
    expectLoss(losses.logCosh(), T, P, sum(lc, [1.2, 3.4]) / 6, [1.2, 3.4]);
    expectLoss(losses.logCosh(), T, P, 0, 0);
    const w = [3, 6, 5, 0, 4, 2];
    const expected = lc.flat().reduce((a, v, i) => a + v * (w[i] as number), 0) / 6;
    expectLoss(losses.logCosh(), T3, P3, expected, [
      [[3], [6], [5]],
      [[0], [4], [2]],
    ]);
  });

  // KLDivergenceTest
  it('KLDivergenceTest: Σ y·log(y/p) per row, mean over rows, weighted', () => {
    const kp = [
      [0.4, 0.9, 0.12],
      [0.36, 0.3, 0.4],
    ];
    const kt = [
      [0.5, 0.8, 0.12],
      [0.7, 0.43, 0.8],
    ];
    const rows = kt.map((r, i) => r.map((t, j) => t * Math.log(t / (kp[i]![j] as number))));
    expectLoss(losses.klDivergence(), kt, kp, sum(rows) / 2);
    expectLoss(losses.klDivergence(), kt, kp, (2.3 * sum(rows)) / 2, 2.3);
    expectLoss(losses.klDivergence(), kt, kp, sum(rows, [1.2, 3.4]) / 2, [[1.2], [3.4]]);
    expectLoss(losses.klDivergence(), kt, kp, 0, 0);
    // test_timestep_weighted: each scalar pair is one "row".
    const w = [3, 6, 5, 0, 4, 2];
    const expected = rows.flat().reduce((a, v, i) => a + v * (w[i] as number), 0) / 6;
    const t3 = kt.map((r) => r.map((v) => [v]));
    const p3 = kp.map((r) => r.map((v) => [v]));
    expectLoss(losses.klDivergence(), t3, p3, expected, STEP_W);
  });

  // PoissonTest
  it('PoissonTest: p − y·log(p), weighted', () => {
    const pp = [
      [1, 9, 2],
      [5, 2, 6],
    ];
    const pt = [
      [4, 8, 12],
      [8, 1, 3],
    ];
    const v = pt.map((r, i) =>
      r.map((t, j) => (pp[i]![j] as number) - t * Math.log(pp[i]![j] as number)),
    );
    expect(losses.poisson({ reduction: 'sum' }).reduction).toBe('sum');
    expectLoss(losses.poisson(), pt, pp, sum(v) / 6);
    expectLoss(losses.poisson(), pt, pp, (2.3 * sum(v)) / 6, 2.3);
    expectLoss(losses.poisson(), pt, pp, sum(v, [1.2, 3.4]) / 6, [[1.2], [3.4]]);
    expectLoss(losses.poisson(), pt, pp, 0, 0);
  });
});

describe('Keras losses_test.py: crossentropies', () => {
  const eye = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const probs = [
    [0.9, 0.05, 0.05],
    [0.5, 0.89, 0.6],
    [0.05, 0.01, 0.94],
  ];
  const logits = [
    [8, 1, 1],
    [0, 9, 1],
    [2, 3, 5],
  ];

  // BinaryCrossentropyTest
  it('BinaryCrossentropyTest.test_all_correct_unweighted (probabilities and logits)', () => {
    expectLoss(losses.binaryCrossentropy(), eye, eye, 0);
    const l = eye.map((r) => r.map((v) => (v === 1 ? 10 : -10)));
    expectLoss(losses.binaryCrossentropy({ fromLogits: true }), eye, l, 0);
  });

  it('BinaryCrossentropyTest.test_unweighted / scalar / sample weighted / no reduction', () => {
    const p = [
      [0.9, 0.1, 0.2],
      [0.3, 0.8, 0.1],
      [0.1, 0.2, 0.7],
    ];
    expectLoss(losses.binaryCrossentropy(), eye, p, 0.20046903, undefined, 1e-5);
    const t2 = [
      [1, 0],
      [1, 0],
    ];
    const p2 = [
      [1, 1],
      [1, 0],
    ];
    expectLoss(losses.binaryCrossentropy(), t2, p2, 3.98559);
    expectLoss(losses.binaryCrossentropy(), t2, p2, 9.1668, 2.3);
    expectLoss(losses.binaryCrossentropy(), t2, p2, 4.7827, [[1.2], [3.4]]);
    const tl = [
      [1, 0, 1],
      [0, 1, 1],
    ];
    const lg = [
      [10, -10, 10],
      [10, 10, -10],
    ];
    const bce = losses.binaryCrossentropy({ fromLogits: true });
    expectLoss(bce, tl, lg, 3.3333);
    expectLoss(bce, tl, lg, 7.666, 2.3);
    expectLoss(bce, tl, lg, 10, [4, 3]);
    expectLoss(
      losses.binaryCrossentropy({ fromLogits: true, reduction: 'none' }),
      tl,
      lg,
      [0, 6.666],
    );
  });

  it('BinaryCrossentropyTest.test_label_smoothing / test_shape_mismatch', () => {
    expectLoss(
      losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      [[1, 0, 1]],
      [[10, -10, -10]],
      (10 + 5 * 0.1) / 3,
    );
    expect(() => lossValue(losses.binaryCrossentropy(), [[0], [1], [2]], probs)).toThrow(/shape/);
  });

  // CategoricalCrossentropyTest
  it('CategoricalCrossentropyTest: all correct, unweighted (rows normalised), weighted', () => {
    expectLoss(losses.categoricalCrossentropy(), eye, eye, 0);
    const l10 = eye.map((r) => r.map((v) => v * 10));
    expectLoss(losses.categoricalCrossentropy({ fromLogits: true }), eye, l10, 0);
    // Keras divides each prediction row by its sum: row 2 sums to 1.99.
    expectLoss(losses.categoricalCrossentropy(), eye, probs, 0.3239);
    expectLoss(losses.categoricalCrossentropy({ fromLogits: true }), eye, logits, 0.0573);
    expectLoss(losses.categoricalCrossentropy(), eye, probs, 0.7449, 2.3);
    expectLoss(losses.categoricalCrossentropy({ fromLogits: true }), eye, logits, 0.1317, 2.3);
    const w = [[1.2], [3.4], [5.6]];
    expectLoss(losses.categoricalCrossentropy(), eye, probs, 1.0696, w);
    expectLoss(losses.categoricalCrossentropy({ fromLogits: true }), eye, logits, 0.31829, w);
    expectLoss(
      losses.categoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
      eye,
      logits,
      [0.001822, 0.000459, 0.169846],
      undefined,
      1e-5,
    );
  });

  it('CategoricalCrossentropyTest.test_label_smoothing / test_shape_mismatch', () => {
    expectLoss(
      losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      [[1, 0, 0]],
      [[100, -100, -100]],
      (400 * 0.1) / 3,
      undefined,
      1e-2,
    );
    expect(() => lossValue(losses.categoricalCrossentropy(), [[0], [1], [2]], probs)).toThrow(
      /shape/,
    );
  });

  // SparseCategoricalCrossentropyTest
  it('SparseCategoricalCrossentropyTest: ids as [n] or [n, 1], weighted, no reduction', () => {
    const ids = [[0], [1], [2]];
    expectLoss(losses.sparseCategoricalCrossentropy(), ids, eye, 0);
    const l10 = eye.map((r) => r.map((v) => v * 10));
    expectLoss(losses.sparseCategoricalCrossentropy({ fromLogits: true }), ids, l10, 0);
    expectLoss(losses.sparseCategoricalCrossentropy(), [0, 1, 2], probs, 0.3239);
    expectLoss(
      losses.sparseCategoricalCrossentropy({ fromLogits: true }),
      [0, 1, 2],
      logits,
      0.0573,
    );
    expectLoss(losses.sparseCategoricalCrossentropy(), ids, probs, 0.7449, 2.3);
    expectLoss(
      losses.sparseCategoricalCrossentropy({ fromLogits: true }),
      ids,
      logits,
      0.1317,
      2.3,
    );
    const w = [[1.2], [3.4], [5.6]];
    expectLoss(losses.sparseCategoricalCrossentropy(), ids, probs, 1.0696, w);
    expectLoss(losses.sparseCategoricalCrossentropy({ fromLogits: true }), ids, logits, 0.31829, w);
    expectLoss(
      losses.sparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
      ids,
      logits,
      [0.001822, 0.000459, 0.169846],
      undefined,
      1e-5,
    );
  });

  // SparseCategoricalCrossentropyTest.test_ignore_class (rows instead of a sequence)
  it('SparseCategoricalCrossentropyTest.test_ignore_class: ignored rows give 0', () => {
    const loss = losses.sparseCategoricalCrossentropy({
      fromLogits: true,
      ignoreClass: -1,
      reduction: 'none',
    });
    const lg = [
      [0.854, 0.698, 0.598],
      [0.088, 0.86, 0.018],
    ];
    expectLoss(loss, [-1, 2], lg, [0, 1.480129], undefined, 1e-5);
    expectLoss(loss, [[-1], [2]], lg, [0, 1.480129], undefined, 1e-5);
    // SparseCategoricalCrossentropyTest.test_config
    const config = losses
      .sparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 3 })
      .getConfig();
    expect(config['fromLogits']).toBe(true);
    expect(config['ignoreClass']).toBe(3);
  });
});

describe('tfjs losses_test.ts', () => {
  it('logcosh 2D', () => {
    const lc = (x: number) => x + Math.log(Math.exp(-2 * x) + 1) - Math.log(2);
    expectLoss(
      losses.logCosh({ reduction: 'none' }),
      [
        [0, 0],
        [0, 0],
      ],
      [
        [1, 2],
        [3, 4],
      ],
      [(lc(1) + lc(2)) / 2, (lc(3) + lc(4)) / 2],
      undefined,
      1e-5,
    );
  });

  it('categoricalCrossentropy from logits and from softmax (soft targets)', () => {
    const target = [
      [0.25, 0.75],
      [0.1, 0.9],
    ];
    const ls = (a: number, b: number) => [
      a - Math.log(Math.exp(a) + Math.exp(b)),
      b - Math.log(Math.exp(a) + Math.exp(b)),
    ];
    const r0 = ls(1, 2);
    const r1 = ls(3, 4);
    expectLoss(
      losses.categoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
      target,
      [
        [1, 2],
        [3, 4],
      ],
      [-(r0[0]! * 0.25 + r0[1]! * 0.75), -(r1[0]! * 0.1 + r1[1]! * 0.9)],
      undefined,
      1e-5,
    );
    expectLoss(
      losses.categoricalCrossentropy({ reduction: 'none' }),
      target,
      [
        [0.3, 0.7],
        [0.4, 0.6],
      ],
      [
        -(Math.log(0.3) * 0.25 + Math.log(0.7) * 0.75),
        -(Math.log(0.4) * 0.1 + Math.log(0.6) * 0.9),
      ],
      undefined,
      1e-5,
    );
  });

  it('sparseCategoricalCrossentropy [0, 2] → [2.3025851, 0.6931472]', () => {
    expectLoss(
      losses.sparseCategoricalCrossentropy({ reduction: 'none' }),
      [0, 2],
      [
        [0.1, 0.2, 0.7],
        [0.2, 0.3, 0.5],
      ],
      [Math.LN10, Math.LN2],
      undefined,
      1e-5,
    );
  });

  it('losses get: every tfjs name resolves', () => {
    for (const name of [
      'meanSquaredError',
      'meanAbsoluteError',
      'meanAbsolutePercentageError',
      'meanSquaredLogarithmicError',
      'squaredHinge',
      'hinge',
      'categoricalHinge',
      'logcosh',
      'categoricalCrossentropy',
      'sparseCategoricalCrossentropy',
      'binaryCrossentropy',
      'kullbackLeiblerDivergence',
      'poisson',
      'cosineProximity',
      'MSE',
      'MAE',
      'MAPE',
      'MSLE',
      'KLD',
      'kld',
      'mse',
      'mae',
      'mape',
      'msle',
    ]) {
      expect(losses.get(name).name, name).toBeTypeOf('string');
    }
  });

  it('get custom loss works: a function is wrapped and called', () => {
    const custom = (_t: Tensor, _p: Tensor) => tf.scalar(42);
    const loss = losses.get(custom);
    const t = tf.zeros([2, 1]);
    expect(scalar(loss.call(t, t))).toBe(42);
    t.dispose();
  });

  it('an unknown loss name raises with the closest known name', () => {
    expect(() => losses.get('mean_sqared_error')).toThrow(/did you mean "mean_squared_error"/);
  });
});

describe('the Keras reductions added for parity: gradients and model.evaluate', () => {
  it("gradients of 'mean_with_sample_weight' and of a scalar weight match finite differences", () => {
    const yTrue = tf.tensor2d(T);
    const yPred = tf.tensor2d(P);
    const w = tf.tensor1d([1.2, 3.4]);
    const two = tf.scalar(2.3);
    for (const [loss, weight] of [
      [losses.meanSquaredError({ reduction: 'mean_with_sample_weight' }), w],
      [losses.logCosh({ reduction: 'mean' }), two],
      [losses.huber({ reduction: 'sum' }), two],
    ] as const) {
      const report = checkGradients((p) => loss.call(yTrue, p, weight), [yPred]);
      expect(report.worst).toBeUndefined();
    }
    tf.dispose([yTrue, yPred, w, two]);
  });

  it("model.evaluate with sampleWeight divides by Σw under 'mean_with_sample_weight'", () => {
    const m = sequential([
      layers.dense({ units: 3, inputShape: [1], useBias: false, kernelInitializer: 'zeros' }),
    ]);
    m.compile({
      optimizer: 'sgd',
      loss: losses.meanSquaredError({ reduction: 'mean_with_sample_weight' }),
    });
    const x = tf.tensor2d([[1], [1]]);
    const y = tf.tensor2d(T);
    // Predictions are 0: per-row mse are 86/3 and 65/3.
    const expected = ((86 / 3) * 1.2 + (65 / 3) * 3.4) / 4.6;
    expect(m.evaluate(x, y, { sampleWeight: [1.2, 3.4] })['loss']).toBeCloseTo(expected, 4);
    tf.dispose([x, y]);
  });
});
