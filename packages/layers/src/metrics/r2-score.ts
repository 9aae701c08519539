/**
 * R² (coefficient of determination), as Keras 3's R2Score: per output column,
 * 1 - Σ(y - ŷ)² / Σ(y - ȳ)², from sums accumulated over every batch of an epoch, then
 * averaged over the columns (uniformly, or weighted by each column's variance).
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { shapeMessage } from '../losses/shapes.js';
import { checkKeys, choiceArg, requireNumber } from '../registry/checks.js';
import { nameArg } from './accuracy.js';
import type { StatefulMetric } from './metric.js';

/** Options of R2Score. */
export interface R2ScoreArgs {
  /** Key in logs and History (default `'r2_score'`). */
  name?: string;
  /** How columns combine: `'uniform_average'` (default) or `'variance_weighted_average'`. */
  classAggregation?: 'uniform_average' | 'variance_weighted_average';
  /** Regressors of an adjusted R² (default 0: not adjusted). */
  numRegressors?: number;
}

/** Columns of a prediction shape: the last axis of a rank-2 output, 1 for rank 1. */
function columns(shape: readonly (number | null)[]): number {
  return shape.length >= 2 ? ((shape[shape.length - 1] as number | null) ?? 1) : 1;
}

/**
 * R² over the epoch.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['r2_score'] });
 * ```
 */
export class R2Score implements StatefulMetric {
  readonly className = 'R2Score';
  readonly name: string;
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average';
  readonly numRegressors: number;

  constructor(args: R2ScoreArgs = {}) {
    const owner = 'R2Score';
    checkKeys(owner, args, ['name', 'classAggregation', 'numRegressors']);
    this.name = nameArg(owner, args.name, 'r2_score');
    if (args.classAggregation === null) {
      throw new ValueError(
        received(
          'R2Score: classAggregation must be uniform_average or variance_weighted_average (logs hold one number per metric, so per-column scores are not offered)',
          'classAggregation',
          null,
        ),
      );
    }
    this.classAggregation = choiceArg(
      owner,
      'classAggregation',
      args.classAggregation,
      ['uniform_average', 'variance_weighted_average'],
      'uniform_average',
    );
    this.numRegressors =
      args.numRegressors === undefined
        ? 0
        : requireNumber(owner, 'numRegressors', args.numRegressors, { min: 0, integer: true });
  }

  /** Per column: Σy, Σy², Σ(y - ŷ)². */
  statisticCount(outputShape: readonly (number | null)[]): number {
    return 3 * columns(outputShape);
  }

  statistics(yTrue: Tensor, yPred: Tensor): Float64Array {
    if (yPred.rank < 1 || yPred.rank > 2) {
      throw new ShapeError(
        shapeMessage('R2Score: yPred must have shape [batch] or [batch, outputs]', yTrue, yPred),
      );
    }
    const d = columns(yPred.shape);
    const rows = yPred.shape[0] as number;
    if (yTrue.size !== yPred.size || (yTrue.shape[0] ?? 1) !== rows) {
      throw new ShapeError(
        shapeMessage('R2Score: yTrue and yPred must have the same shape', yTrue, yPred),
      );
    }
    const t = yTrue.dataSync();
    const p = yPred.dataSync();
    const out = new Float64Array(3 * d);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const y = Number(t[r * d + j]);
        const e = y - Number(p[r * d + j]);
        out[j] = out[j]! + y;
        out[d + j] = out[d + j]! + y * y;
        out[2 * d + j] = out[2 * d + j]! + e * e;
      }
    }
    const n = Math.max(1, rows);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! / n;
    return out;
  }

  fromStatistics(means: ArrayLike<number>, rows: number): number {
    const d = means.length / 3;
    let weighted = 0;
    let weights = 0;
    let plain = 0;
    for (let j = 0; j < d; j++) {
      // Sums over all rows from the per-row means.
      const sum = (means[j] ?? 0) * rows;
      const squares = (means[d + j] ?? 0) * rows;
      const residual = (means[2 * d + j] ?? 0) * rows;
      const total = squares - (sum * sum) / rows;
      let score = 1 - residual / total;
      if (score === Number.POSITIVE_INFINITY || score === Number.NEGATIVE_INFINITY) score = 0;
      plain += score;
      weighted += total * score;
      weights += total;
    }
    let r2 = this.classAggregation === 'uniform_average' ? plain / d : weighted / weights;
    const p = this.numRegressors;
    // As Keras: the adjustment needs more rows than regressors + 1, else it is skipped.
    if (p !== 0 && p < rows - 1) r2 = 1 - ((1 - r2) * (rows - 1)) / (rows - p - 1);
    return r2;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const rows = yPred.rank === 0 ? 1 : (yPred.shape[0] as number);
    return tf.scalar(this.fromStatistics(this.statistics(yTrue, yPred), rows));
  }

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      classAggregation: this.classAggregation,
      numRegressors: this.numRegressors,
    };
  }
}
