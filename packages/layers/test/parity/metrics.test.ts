/**
 * Metrics, translated from the peers' suites: Keras 3 `keras/src/metrics/
 * {accuracy,confusion,regression,probabilistic}_metrics_test.py` and tfjs-layers
 * `src/metrics_test.ts`. Keras's `update_state(..., sample_weight=w)` with integer weights is
 * translated as each row repeated w times (Tessera's metric objects take no weights: see
 * README, "Where Tessera differs"); several `update_state` calls become the statistics of
 * several batches combined, as model.fit combines them.
 */
import { type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  type AUC,
  isStatefulMetric,
  type Metric,
  metrics,
  type Precision,
  type R2Score,
  type Recall,
} from '../../src/index.js';
import { expectValues, type Nested, scalar } from './helpers.js';

function value(metric: Metric, yTrue: Nested, yPred: Nested): number {
  const t = tf.tensor(yTrue as number[]);
  const p = tf.tensor(yPred as number[]);
  const out = scalar(metric.call(t, p));
  tf.dispose([t, p]);
  return out;
}

/** The value over several batches, from row-weighted statistics (what fit does). */
function overBatches(metric: Metric, batches: [Nested, Nested][]): number {
  if (!isStatefulMetric(metric)) throw new Error(`${metric.name} is not stateful`);
  let rows = 0;
  let sums: number[] = [];
  for (const [yt, yp] of batches) {
    const t = tf.tensor(yt as number[]);
    const p = tf.tensor(yp as number[]);
    const n = t.shape[0] ?? 1;
    const s = metric.statistics(t, p);
    sums = Array.from(s, (v, i) => (sums[i] ?? 0) + v * n);
    rows += n;
    tf.dispose([t, p]);
  }
  return metric.fromStatistics(
    sums.map((v) => v / rows),
    rows,
  );
}

/** Rows repeated by integer weights: Keras's weighted update as unweighted data. */
function repeat<T>(rows: T[], weights: number[]): T[] {
  return rows.flatMap((r, i) => new Array(weights[i] as number).fill(r) as T[]);
}

describe('Keras accuracy_metrics_test.py', () => {
  // BinaryAccuracyTest.test_unweighted / test_config / test_threshold
  it('BinaryAccuracyTest: 0.75 for [n, 1] and [n] targets; threshold 0.5 vs 0.7', () => {
    const acc = metrics.binaryAccuracy({ name: 'binary_accuracy' });
    expect(acc.name).toBe('binary_accuracy');
    expect(acc.getConfig()['name']).toBe('binary_accuracy');
    expect(value(acc, [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])).toBeCloseTo(0.75, 3);
    expect(value(acc, [1, 1, 0, 0], [[0.98], [1], [0], [0.6]])).toBeCloseTo(0.75, 3);
    const yt = [[1], [1], [0], [0]];
    const yp = [[0.98], [0.5], [0.1], [0.2]];
    expect(value(metrics.binaryAccuracy({ threshold: 0.3 }), yt, yp)).toBeCloseTo(1, 6);
    expect(value(metrics.binaryAccuracy({ threshold: 0.7 }), yt, yp)).toBeCloseTo(0.75, 6);
    // rank-2 targets: every entry counts
    expect(
      value(
        acc,
        [
          [1, 1],
          [0, 0],
        ],
        [
          [0.98, 1],
          [0, 0.6],
        ],
      ),
    ).toBeCloseTo(0.75, 3);
  });

  // CategoricalAccuracyTest.test_unweighted / test_weighted (weights 0.7, 0.3 → first row only)
  it('CategoricalAccuracyTest: argmax match', () => {
    const yt = [
      [0, 0, 1],
      [0, 1, 0],
    ];
    const yp = [
      [0.1, 0.9, 0.8],
      [0.05, 0.95, 0],
    ];
    expect(value(metrics.categoricalAccuracy(), yt, yp)).toBeCloseTo(0.5, 3);
    expect(metrics.categoricalAccuracy().name).toBe('categorical_accuracy');
  });

  // SparseCategoricalAccuracyTest: test_unweighted, test_squeeze_y_true, test_cast_y_pred_dtype
  it('SparseCategoricalAccuracyTest: ids as [n, 1] or [n], int or float', () => {
    const yp = [
      [0.1, 0.6, 0.3],
      [0.05, 0.95, 0],
    ];
    const acc = metrics.sparseCategoricalAccuracy();
    expect(acc.name).toBe('sparse_categorical_accuracy');
    expect(value(acc, [[2], [1]], yp)).toBeCloseTo(0.5, 3);
    const eye = [
      [0.9, 0.05, 0.05],
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
    ];
    expect(value(acc, [[0], [1], [2]], eye)).toBeCloseTo(1, 4);
    const t = tf.tensor1d([0, 1], 'int32');
    const p = tf.tensor2d([
      [0.9, 0.1],
      [0.1, 0.9],
    ]);
    expect(scalar(acc.call(t, p))).toBeCloseTo(1, 6);
    tf.dispose([t, p]);
  });

  // TopKCategoricalAccuracyTest / SparseTopKCategoricalAccuracyTest: test_config, test_unweighted
  it('TopK accuracies: k=1 → 0.5; k round-trips; default k is 5', () => {
    const yp = [
      [0.1, 0.9, 0.8],
      [0.05, 0.95, 0],
    ];
    const top = metrics.topKCategoricalAccuracy({ k: 1, name: 'top_k_categorical_accuracy' });
    expect(top.k).toBe(1);
    expect(
      value(
        top,
        [
          [0, 0, 1],
          [0, 1, 0],
        ],
        yp,
      ),
    ).toBeCloseTo(0.5, 3);
    const back = metrics.deserialize(metrics.serialize(top));
    expect(back.name).toBe('top_k_categorical_accuracy');
    expect(back.getConfig?.()['k']).toBe(1);
    const sparse = metrics.sparseTopKCategoricalAccuracy({ k: 1 });
    expect(sparse.name).toBe('sparse_top_k_categorical_accuracy');
    expect(value(sparse, [2, 1], yp)).toBeCloseTo(0.5, 3);
    expect(metrics.topKCategoricalAccuracy().k).toBe(5);
    // k=2 puts class 2 of the first row in the top two.
    expect(
      value(
        metrics.topKCategoricalAccuracy({ k: 2 }),
        [
          [0, 0, 1],
          [0, 1, 0],
        ],
        yp,
      ),
    ).toBe(1);
    expect(() => metrics.topKCategoricalAccuracy({ k: 0 })).toThrow(ValueError);
  });
});

describe('Keras confusion_metrics_test.py: Precision and Recall', () => {
  // PrecisionTest.test_config / RecallTest.test_config (one threshold: see README)
  it('test_config: name, thresholds, topK and classId round-trip', () => {
    for (const make of [metrics.precision, metrics.recall]) {
      const m = make({ name: 'my_metric', thresholds: 0.4, topK: 15, classId: 12 });
      expect(m.name).toBe('my_metric');
      expect(m.thresholds).toBe(0.4);
      expect(m.topK).toBe(15);
      expect(m.classId).toBe(12);
      const back = metrics.deserialize(JSON.parse(JSON.stringify(metrics.serialize(m)))) as
        | Precision
        | Recall;
      expect([back.name, back.thresholds, back.topK, back.classId]).toEqual([
        'my_metric',
        0.4,
        15,
        12,
      ]);
    }
  });

  // test_unweighted, test_unweighted_all_incorrect, test_div_by_zero
  it('test_unweighted / all incorrect / div by zero', () => {
    const yp = [1, 0, 1, 0];
    const yt = [0, 1, 1, 0];
    expect(value(metrics.precision(), yt, yp)).toBeCloseTo(0.5, 6);
    expect(value(metrics.recall(), yt, yp)).toBeCloseTo(0.5, 6);
    const inputs = Array.from({ length: 100 }, (_, i) => [(i * 7) % 3 === 0 ? 1 : 0]);
    const flipped = inputs.map(([v]) => [1 - (v as number)]);
    expect(value(metrics.precision({ thresholds: 0.5 }), flipped, inputs)).toBe(0);
    expect(value(metrics.recall({ thresholds: 0.5 }), flipped, inputs)).toBe(0);
    expect(value(metrics.precision(), [0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
    expect(value(metrics.recall(), [0, 0, 0, 0], [0, 0, 0, 0])).toBe(0);
  });

  // test_weighted: per-entry weights [[1,2,3,4],[4,3,2,1]] as repeated entries
  it('test_weighted: precision 7/10, recall 4/10 from weighted entries', () => {
    const w = [1, 2, 3, 4, 4, 3, 2, 1];
    const pPred = repeat([1, 0, 1, 0, 1, 0, 1, 0], w);
    const rPred = repeat([1, 0, 1, 0, 0, 1, 0, 1], w);
    const yt = repeat([0, 1, 1, 0, 1, 0, 0, 1], w);
    expect(value(metrics.precision(), yt, pPred)).toBeCloseTo(7 / 10, 6);
    expect(value(metrics.recall(), yt, rPred)).toBeCloseTo(4 / 10, 6);
  });

  // test_unweighted_with_threshold (Keras's list [0.5, 0.7] as two metrics)
  it('test_unweighted_with_threshold: 0.5 → 0.5, 0.7 → 0', () => {
    const yp = [1, 0, 0.6, 0];
    const yt = [0, 1, 1, 0];
    expect(value(metrics.precision({ thresholds: 0.5 }), yt, yp)).toBeCloseTo(0.5, 6);
    expect(value(metrics.precision({ thresholds: 0.7 }), yt, yp)).toBeCloseTo(0, 6);
    expect(value(metrics.recall({ thresholds: 0.5 }), yt, yp)).toBeCloseTo(0.5, 6);
    expect(value(metrics.recall({ thresholds: 0.7 }), yt, yp)).toBeCloseTo(0, 6);
  });

  // test_multiple_updates: the same batch twice gives the same ratio as once.
  it('test_multiple_updates: counts accumulate over batches', () => {
    const yt = [
      [0, 1],
      [1, 0],
    ];
    const yp = [
      [1, 0],
      [0.6, 0],
    ];
    const w = [4, 0, 3, 1];
    const t = repeat(yt.flat(), w);
    const p = repeat(yp.flat(), w);
    const once = value(metrics.precision({ thresholds: 0.5 }), t, p);
    expect(once).toBeCloseTo(3 / 7, 6);
    expect(
      overBatches(metrics.precision({ thresholds: 0.5 }), [
        [t, p],
        [t, p],
      ]),
    ).toBeCloseTo(3 / 7, 6);
    expect(
      overBatches(metrics.recall({ thresholds: 0.5 }), [
        [t, p],
        [t, p],
      ]),
    ).toBeCloseTo(1, 6);
    // Ratios of sums, not the mean of the batches' ratios:
    const a: [Nested, Nested] = [
      [1, 1],
      [1, 0.9],
    ];
    const b: [Nested, Nested] = [
      [0, 0, 0, 1],
      [1, 1, 1, 1],
    ];
    expect(overBatches(metrics.precision(), [a, b])).toBeCloseTo(3 / 6, 6);
  });

  // test_unweighted_top_k, test_weighted_top_k, test_unweighted_top_k_and_threshold
  it('test_*_top_k: only the k largest predictions of a row can be positive', () => {
    const yp = [0.2, 0.1, 0.5, 0, 0.2];
    const yt = [0, 1, 1, 0, 0];
    expect(value(metrics.precision({ topK: 3 }), yt, yp)).toBeCloseTo(1 / 3, 6);
    expect(value(metrics.recall({ topK: 3 }), yt, yp)).toBeCloseTo(0.5, 6);
    const p2 = [0.2, 0.8, 0.6, 0, 0.2];
    expect(value(metrics.precision({ thresholds: 0.7, topK: 2 }), [0, 1, 1, 0, 1], p2)).toBe(1);
    expect(value(metrics.recall({ thresholds: 0.7, topK: 2 }), [1, 1, 1, 0, 1], p2)).toBeCloseTo(
      0.25,
      6,
    );
    // rows of a rank-2 prediction are filtered one by one
    const rows = [
      [0.2, 0.1, 0.4, 0, 0.2],
      [0.2, 0.6, 0.4, 0.2, 0.2],
    ];
    const truth = [
      [0, 1, 1, 0, 1],
      [1, 0, 1, 1, 1],
    ];
    // row 1: top 3 = 0.4, 0.2 (0), 0.2 (4) → tp 2 (idx 2, 4), fp 1; row 2: 0.6, 0.4, 0.2 (0) → tp 2, fp 1
    expect(value(metrics.precision({ topK: 3 }), truth, rows)).toBeCloseTo(4 / 6, 6);
    expect(value(metrics.recall({ topK: 3 }), truth, rows)).toBeCloseTo(4 / 7, 6);
  });

  // test_unweighted_class_id_multiclass, test_unweighted_class_id_should_throw_error_1d
  it('test_unweighted_class_id: one column counts; a 1-D prediction is refused', () => {
    const yp = [
      [0.1, 0.2, 0.7],
      [0.5, 0.3, 0.2],
      [0.2, 0.6, 0.2],
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ];
    const yt = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ];
    expect(value(metrics.precision({ classId: 1 }), yt, yp)).toBe(1);
    expect(value(metrics.recall({ classId: 1 }), yt, yp)).toBe(1);
    expect(() =>
      value(metrics.precision({ classId: 2 }), [0, 1, 1, 0, 0], [0.2, 0.1, 0.6, 0, 0.2]),
    ).toThrow(ValueError);
  });
});

describe('Keras confusion_metrics_test.py: AUCTest (y_pred [0, .5, .3, .9], y_true [0, 0, 1, 1])', () => {
  const yt = [0, 0, 1, 1];
  const yp = [0, 0.5, 0.3, 0.9];
  // sample_weight [1, 2, 3, 4] as repeated rows
  const wt = repeat(yt, [1, 2, 3, 4]);
  const wp = repeat(yp, [1, 2, 3, 4]);

  it('test_config: numThresholds, curve, summationMethod, name round-trip', () => {
    const auc = metrics.auc({
      numThresholds: 100,
      curve: 'PR',
      summationMethod: 'majoring',
      name: 'auc_1',
    });
    const back = metrics.deserialize(JSON.parse(JSON.stringify(metrics.serialize(auc)))) as AUC;
    expect([back.name, back.numThresholds, back.curve, back.summationMethod]).toEqual([
      'auc_1',
      100,
      'PR',
      'majoring',
    ]);
    expect(back.getConfig()).toEqual(auc.getConfig());
    expect(back.getConfig()).not.toHaveProperty('thresholds');
  });

  it('test_unweighted_all_correct / test_unweighted: 1 and 0.75', () => {
    expect(value(metrics.auc(), yt, yt)).toBeCloseTo(1, 6);
    expect(value(metrics.auc({ numThresholds: 3 }), yt, yp)).toBeCloseTo(0.75, 3);
  });

  it('test_weighted_roc_interpolation / majoring / minoring', () => {
    expect(value(metrics.auc({ numThresholds: 3 }), wt, wp)).toBeCloseTo(0.7855, 3);
    expect(
      value(metrics.auc({ numThresholds: 3, summationMethod: 'majoring' }), wt, wp),
    ).toBeCloseTo(1, 3);
    expect(
      value(metrics.auc({ numThresholds: 3, summationMethod: 'minoring' }), wt, wp),
    ).toBeCloseTo(0.571, 3);
  });

  it('test_weighted_pr_majoring / minoring / interpolation', () => {
    const pr = (summationMethod?: 'majoring' | 'minoring') =>
      metrics.auc({
        numThresholds: 3,
        curve: 'PR',
        ...(summationMethod ? { summationMethod } : {}),
      });
    expect(value(pr('majoring'), wt, wp)).toBeCloseTo(1 * 0.429 + 1 * 0.571, 3);
    expect(value(pr('minoring'), wt, wp)).toBeCloseTo(0.7 * 0.429, 3);
    expect(value(pr(), wt, wp)).toBeCloseTo(2.416 / 7 + 4 / 7, 3);
  });

  it('test_invalid_*: bad numThresholds, curve, summation method raise', () => {
    expect(() => metrics.auc({ numThresholds: 1 })).toThrow(ValueError);
    expect(() => metrics.auc({ curve: 'Invalid' as 'PR' })).toThrow(ValueError);
    expect(() => metrics.auc({ summationMethod: 'Invalid' as 'majoring' })).toThrow(ValueError);
  });

  it('AUC accumulates over batches: two halves give the whole', () => {
    const whole = value(metrics.auc({ numThresholds: 3 }), wt, wp);
    const half = wt.length / 2;
    const split = overBatches(metrics.auc({ numThresholds: 3 }), [
      [wt.slice(0, half), wp.slice(0, half)],
      [wt.slice(half), wp.slice(half)],
    ]);
    expect(split).toBeCloseTo(whole, 6);
  });
});

describe('Keras regression_metrics_test.py: R2ScoreTest', () => {
  const yt = [
    [0, 0, 1],
    [0, 1, 0],
    [1, 0, 0],
  ];
  const yp = [
    [0.4, 0.5, 0.6],
    [0.1, 0.2, 0.3],
    [0.5, 0.8, 0.2],
  ];

  it('test_config: numRegressors and classAggregation round-trip', () => {
    const r2 = metrics.r2Score({ classAggregation: 'variance_weighted_average', numRegressors: 2 });
    const back = metrics.deserialize(metrics.serialize(r2)) as R2Score;
    expect(back.numRegressors).toBe(2);
    expect(back.classAggregation).toBe('variance_weighted_average');
  });

  it('test_r2_sklearn_comparison: uniform and variance-weighted averages are −0.12', () => {
    expect(value(metrics.r2Score(), yt, yp)).toBeCloseTo(-0.12, 2);
    expect(
      value(metrics.r2Score({ classAggregation: 'variance_weighted_average' }), yt, yp),
    ).toBeCloseTo(-0.12, 2);
  });

  it('test_errors: bad classAggregation, negative numRegressors, 1-D inputs', () => {
    expect(() => metrics.r2Score({ classAggregation: 'wrong' as 'uniform_average' })).toThrow(
      ValueError,
    );
    expect(() => metrics.r2Score({ numRegressors: -1 })).toThrow(ValueError);
  });
});

describe('Keras probabilistic / regression metrics: any loss as a metric', () => {
  // probabilistic_metrics_test.py and regression_metrics_test.py compute each loss as a mean.
  const cases: [string, Nested, Nested, number][] = [
    [
      'mean_squared_error',
      [
        [0, 1, 0, 1, 0],
        [0, 0, 1, 1, 1],
      ],
      [
        [0, 0, 1, 1, 0],
        [1, 1, 1, 1, 1],
      ],
      0.4,
    ],
    [
      'mean_absolute_error',
      [
        [0, 1, 0, 1, 0],
        [0, 0, 1, 1, 1],
      ],
      [
        [0, 0, 1, 1, 0],
        [1, 1, 1, 1, 1],
      ],
      0.4,
    ],
    [
      'poisson',
      [
        [4, 8, 12],
        [8, 1, 3],
      ],
      [
        [1, 9, 2],
        [5, 2, 6],
      ],
      (1 +
        9 +
        2 +
        5 +
        2 +
        6 -
        (8 * Math.log(9) + 12 * Math.log(2) + 8 * Math.log(5) + Math.log(2) + 3 * Math.log(6))) /
        6,
    ],
    [
      'kl_divergence',
      [
        [0.5, 0.8, 0.12],
        [0.7, 0.43, 0.8],
      ],
      [
        [0.4, 0.9, 0.12],
        [0.36, 0.3, 0.4],
      ],
      (0.5 * Math.log(0.5 / 0.4) +
        0.8 * Math.log(0.8 / 0.9) +
        0.7 * Math.log(0.7 / 0.36) +
        0.43 * Math.log(0.43 / 0.3) +
        0.8 * Math.log(0.8 / 0.4)) /
        2,
    ],
    [
      'binary_crossentropy',
      [
        [1, 0],
        [1, 0],
      ],
      [
        [1, 1],
        [1, 0],
      ],
      3.98559,
    ],
    [
      'categorical_crossentropy',
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      [
        [0.05, 0.95, 0],
        [0.1, 0.8, 0.1],
      ],
      (-Math.log(0.95) - Math.log(0.1)) / 2,
    ],
    [
      'hinge',
      [
        [0, 1],
        [0, 0],
      ],
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      1.3,
    ],
    [
      'squared_hinge',
      [
        [0, 1],
        [0, 0],
      ],
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      1.86,
    ],
    [
      'categorical_hinge',
      [
        [0, 1],
        [0, 0],
      ],
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      1.4,
    ],
    [
      'log_cosh',
      [
        [1, 9, 2],
        [-5, -2, 6],
      ],
      [
        [4, 8, 12],
        [8, 1, 3],
      ],
      [3, -1, 10, 13, 3, -3].reduce((a, e) => a + Math.log(Math.cosh(e)), 0) / 6,
    ],
  ];
  for (const [name, yt, yp, expected] of cases) {
    it(`${name} as a metric, logged under its name`, () => {
      const m = metrics.get(name);
      expect(m.name).toBe(name);
      expect(value(m, yt, yp)).toBeCloseTo(expected, 3);
    });
  }

  it('upper-case aliases of both peers resolve (MSE, MAE)', () => {
    expect(metrics.get('MSE').name).toBe('MSE');
    expect(metrics.get('MAE').name).toBe('MAE');
    expect(() => metrics.get('not_a_metric')).toThrow(/Unknown metric/);
  });
});

describe('tfjs metrics_test.ts', () => {
  it('binaryAccuracy: threshold 0.5 over every entry', () => {
    expect(
      value(
        metrics.binaryAccuracy(),
        [
          [1, 1, 1, 1],
          [0, 0, 0, 0],
        ],
        [
          [0, 0, 0.5, 0.5],
          [0, 0.5, 1, 1],
        ],
      ),
    ).toBeCloseTo(
      // row 1: none above 0.5 → 0/4 right; row 2: 0, 0.5 are 0 → 2/4 right
      2 / 8,
      6,
    );
  });

  it('categoricalAccuracy: [[0, 0, 0, 1], [0, 0, 0, 1]] vs argmax', () => {
    expect(
      value(
        metrics.categoricalAccuracy(),
        [
          [0, 0, 0, 1],
          [0, 0, 0, 1],
        ],
        [
          [0.1, 0.8, 0.05, 0.05],
          [0.1, 0.05, 0.05, 0.8],
        ],
      ),
    ).toBeCloseTo(0.5, 6);
  });

  it('precision / recall on a 1-D batch', () => {
    const t = [1, 1, 0, 0, 1];
    const p = [0.9, 0.2, 0.8, 0.1, 0.7];
    expect(value(metrics.precision(), t, p)).toBeCloseTo(2 / 3, 6);
    expect(value(metrics.recall(), t, p)).toBeCloseTo(2 / 3, 6);
  });

  it('metrics.get: a function is wrapped as a mean', () => {
    const fn = (a: Tensor, b: Tensor) => tf.abs(tf.sub(a, b));
    expect(value(metrics.get(fn), [[0, 2]], [[1, 0]])).toBeCloseTo(1.5, 6);
  });
});

describe('metric values without leaks', () => {
  it('stateful metrics leave no tensor behind', () => {
    const before = tf.memory().numTensors;
    for (const m of [
      metrics.precision({ topK: 2 }),
      metrics.recall(),
      metrics.auc(),
      metrics.r2Score(),
    ]) {
      value(m, [[0, 1, 1]], [[0.2, 0.7, 0.4]]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expectValues([0], [0]);
  });
});
