/**
 * AUC: the area under the ROC or precision-recall curve, approximated as Keras does from
 * confusion counts at `numThresholds` evenly spaced thresholds (the first just below 0, the
 * last just above 1), accumulated over every batch of an epoch. All entries of `yPred` count
 * (Keras's `multi_label=False`).
 */
import { type Tensor, tf } from '@tessera/core';
import { checkKeys, choiceArg, requireNumber } from '../registry/checks.js';
import { nameArg } from './accuracy.js';
import { ratio, readPairs } from './confusion.js';
import type { StatefulMetric } from './metric.js';

/** Keras's epsilon: the outer thresholds are -1e-7 and 1 + 1e-7. */
const EPSILON = 1e-7;

/** Options of AUC. */
export interface AUCArgs {
  /** Key in logs and History (default `'auc'`). */
  name?: string;
  /** Thresholds of the curve's approximation, > 1 (default 200). */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'`. */
  curve?: 'ROC' | 'PR';
  /** How the area between thresholds is summed (default `'interpolation'`). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
}

/**
 * Area under the ROC (or PR) curve over the epoch.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['auc'] });
 * ```
 */
export class AUC implements StatefulMetric {
  readonly className = 'AUC';
  readonly name: string;
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';

  constructor(args: AUCArgs = {}) {
    const owner = 'AUC';
    checkKeys(owner, args, ['name', 'numThresholds', 'curve', 'summationMethod']);
    this.name = nameArg(owner, args.name, 'auc');
    this.numThresholds =
      args.numThresholds === undefined
        ? 200
        : requireNumber(owner, 'numThresholds', args.numThresholds, { min: 2, integer: true });
    this.curve = choiceArg(owner, 'curve', args.curve, ['ROC', 'PR'], 'ROC');
    this.summationMethod = choiceArg(
      owner,
      'summationMethod',
      args.summationMethod,
      ['interpolation', 'minoring', 'majoring'],
      'interpolation',
    );
  }

  /** The thresholds: -ε, i/(T-1) for i in 1…T-2, 1+ε (Keras's list). */
  thresholds(): number[] {
    const t = this.numThresholds;
    return Array.from({ length: t }, (_, i) =>
      i === 0 ? -EPSILON : i === t - 1 ? 1 + EPSILON : i / (t - 1),
    );
  }

  /** True positives, false positives, true negatives, false negatives at each threshold. */
  statisticCount(): number {
    return 4 * this.numThresholds;
  }

  /**
   * Keras's counting for evenly spaced thresholds: a prediction p lands in bucket
   * max(ceil(p·(T-1)) - 1, 0) (in float32) and counts as positive at every threshold up to
   * its bucket.
   */
  statistics(yTrue: Tensor, yPred: Tensor): Float64Array {
    const { yTrue: t, yPred: p, rows } = readPairs('AUC', yTrue, yPred, undefined);
    const T = this.numThresholds;
    const pos = new Float64Array(T);
    const neg = new Float64Array(T);
    let positives = 0;
    for (let i = 0; i < p.length; i++) {
      const scaled = Math.fround(p[i]! * (T - 1));
      const bucket = Math.min(T - 1, Math.max(0, Math.ceil(scaled) - 1));
      if (t[i]! !== 0) {
        pos[bucket] = pos[bucket]! + 1;
        positives++;
      } else {
        neg[bucket] = neg[bucket]! + 1;
      }
    }
    const negatives = p.length - positives;
    const out = new Float64Array(4 * T);
    const n = Math.max(1, rows);
    let tp = 0;
    let fp = 0;
    for (let k = T - 1; k >= 0; k--) {
      tp += pos[k]!;
      fp += neg[k]!;
      out[k] = tp / n;
      out[T + k] = fp / n;
      out[2 * T + k] = (negatives - fp) / n;
      out[3 * T + k] = (positives - tp) / n;
    }
    return out;
  }

  fromStatistics(means: ArrayLike<number>): number {
    const T = this.numThresholds;
    const at = (s: number, k: number): number => means[s * T + k] ?? 0;
    const tp = (k: number) => at(0, k);
    const fp = (k: number) => at(1, k);
    const tn = (k: number) => at(2, k);
    const fn = (k: number) => at(3, k);
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
      return this.interpolatePr(tp, fp, fn);
    }
    const x = (k: number) => (this.curve === 'ROC' ? ratio(fp(k), tn(k)) : ratio(tp(k), fn(k)));
    const y = (k: number) => (this.curve === 'ROC' ? ratio(tp(k), fn(k)) : ratio(tp(k), fp(k)));
    let area = 0;
    for (let k = 0; k < T - 1; k++) {
      const a = y(k);
      const b = y(k + 1);
      const height =
        this.summationMethod === 'interpolation'
          ? (a + b) / 2
          : this.summationMethod === 'minoring'
            ? Math.min(a, b)
            : Math.max(a, b);
      area += (x(k) - x(k + 1)) * height;
    }
    return area;
  }

  /** Davis & Goadrich's interpolation of the PR curve (Keras's `interpolate_pr_auc`). */
  private interpolatePr(
    tp: (k: number) => number,
    fp: (k: number) => number,
    fn: (k: number) => number,
  ): number {
    const noNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    let area = 0;
    for (let k = 0; k < this.numThresholds - 1; k++) {
      const dtp = tp(k) - tp(k + 1);
      const p0 = tp(k) + fp(k);
      const p1 = tp(k + 1) + fp(k + 1);
      const slope = noNan(dtp, Math.max(p0 - p1, 0));
      const intercept = tp(k + 1) - slope * p1;
      const pRatio = p0 > 0 && p1 > 0 ? noNan(p0, Math.max(p1, 0)) : 1;
      area += noNan(
        slope * (dtp + intercept * Math.log(pRatio)),
        Math.max(tp(k + 1) + fn(k + 1), 0),
      );
    }
    return area;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.scalar(this.fromStatistics(this.statistics(yTrue, yPred)));
  }

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
    };
  }
}
