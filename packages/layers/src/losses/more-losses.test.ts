import { checkGradients, tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { losses } from './index.js';
import type { Loss } from './loss.js';

const EPS = 1e-7;
const T = [
  [0.2, 0.7, 0.1],
  [0.6, 0.3, 0.1],
];
const P = [
  [0.3, 0.5, 0.2],
  [0.1, 0.6, 0.3],
];

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
/** Float64 reference: a per-example value from each row pair, averaged over rows. */
const perRow = (f: (t: number[], p: number[]) => number): number =>
  mean(T.map((t, r) => f(t, P[r]!)));
const signed = (t: number[]): number[] => t.map((v) => (v === 0 || v === 1 ? 2 * v - 1 : v));

const REFERENCES: Array<[string, (t: number[], p: number[]) => number, number[][]?]> = [
  [
    'mape',
    (t, p) => 100 * mean(t.map((v, i) => Math.abs((v - p[i]!) / Math.max(Math.abs(v), EPS)))),
  ],
  [
    'msle',
    (t, p) =>
      mean(t.map((v, i) => (Math.log1p(Math.max(p[i]!, EPS)) - Math.log1p(Math.max(v, EPS))) ** 2)),
  ],
  ['log_cosh', (t, p) => mean(t.map((v, i) => Math.log(Math.cosh(p[i]! - v))))],
  ['kl_divergence', (t, p) => sum(t.map((v, i) => v * Math.log(v / p[i]!)))],
  ['poisson', (t, p) => mean(t.map((v, i) => p[i]! - v * Math.log(p[i]! + EPS)))],
  [
    'cosine_similarity',
    (t, p) => {
      const norm = (x: number[]): number => Math.sqrt(sum(x.map((v) => v * v)));
      return -sum(t.map((v, i) => v * p[i]!)) / (norm(t) * norm(p));
    },
  ],
  ['hinge', (t, p) => mean(t.map((v, i) => Math.max(1 - v * p[i]!, 0)))],
  ['squared_hinge', (t, p) => mean(t.map((v, i) => Math.max(1 - v * p[i]!, 0) ** 2))],
  [
    'categorical_hinge',
    (t, p) => {
      const pos = sum(t.map((v, i) => v * p[i]!));
      const neg = Math.max(...t.map((v, i) => (1 - v) * p[i]!));
      return Math.max(0, neg - pos + 1);
    },
  ],
];

describe('Keras losses beyond the first release', () => {
  for (const [name, ref] of REFERENCES) {
    it(`${name}: float64 reference, gradient check, config round-trip`, () => {
      const loss: Loss = losses.get(name);
      const yTrue = tf.tensor(T);
      const yPred = tf.tensor(P);
      const want = perRow(ref);
      // float32 arithmetic against a float64 reference: relative tolerance.
      expect(Math.abs(readScalar(loss.call(yTrue, yPred)) - want)).toBeLessThan(
        1e-6 * Math.abs(want) + 1e-6,
      );
      const report = checkGradients((p) => loss.call(yTrue, p), [yPred]);
      expect(report.ok).toBe(true);
      const back = losses.deserialize(losses.serialize(loss));
      expect(back.name).toBe(loss.name);
      expect(back.getConfig()).toEqual(loss.getConfig());
      tf.dispose([yTrue, yPred]);
    });
  }

  it('hinge maps 0/1 labels to -1/1, as Keras does', () => {
    const yTrue = tf.tensor([[1, 0]]);
    const yPred = tf.tensor([[0.3, -2]]);
    const want = mean(signed([1, 0]).map((v, i) => Math.max(1 - v * [0.3, -2][i]!, 0)));
    expect(readScalar(losses.get('hinge').call(yTrue, yPred))).toBeCloseTo(want, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('knows the short and upper-case names and rejects unknown options', () => {
    expect(losses.get('MAPE').name).toBe('mean_absolute_percentage_error');
    expect(losses.get('kld').name).toBe('kl_divergence');
    expect(() => losses.cosineSimilarity({ axis: 0.5 })).toThrow(
      'CosineSimilarity: axis must be an integer. Received: axis=0.5',
    );
    expect(() => losses.get({ className: 'Poisson', config: { x: 1 } })).toThrow(
      'Poisson: unknown argument; expected one of reduction. Received: key="x"',
    );
  });
});
