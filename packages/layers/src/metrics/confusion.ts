/**
 * Precision and recall, computed as Keras does from confusion counts accumulated over
 * every batch of an epoch (never the mean of per-batch ratios). A prediction above the
 * threshold counts as positive; any non-zero target is positive; all entries of `yPred`
 * count (every class of a multi-class output), or one column with `classId`. With `topK`,
 * only the k largest predictions of each row can be positive (Keras's `top_k`; without a
 * threshold, each of them is).
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { alignTargets } from '../losses/shapes.js';
import { checkKeys, numberArg, positiveIntArg, requireNumber } from '../registry/checks.js';
import { nameArg } from './accuracy.js';
import type { StatefulMetric } from './metric.js';

/** Options of Precision and Recall. */
export interface ConfusionArgs {
  /** Key in logs and History (default `'precision'` / `'recall'`). */
  name?: string;
  /**
   * A prediction above this counts as positive, in [0, 1] (default 0.5; with `topK`, default
   * none: every top-k prediction is positive). One number, not Keras's list.
   */
  thresholds?: number;
  /** Only this column of the predictions counts (default: all entries). */
  classId?: number;
  /** Only the k largest predictions of each row (last axis) can count as positive. */
  topK?: number;
}

/** Targets and predictions as float32 arrays of the same length, and the batch's rows. */
export interface Pairs {
  yTrue: Float32Array;
  yPred: Float32Array;
  rows: number;
}

/** Reads aligned targets and predictions (one column with `classId`) into arrays. */
export function readPairs(
  owner: string,
  yTrue: Tensor,
  yPred: Tensor,
  classId: number | undefined,
): Pairs {
  const rows = yPred.rank === 0 ? 1 : (yPred.shape[0] as number);
  const [t, p] = tf.tidy(() => {
    let target = alignTargets(owner, yTrue, yPred);
    let pred = yPred.dtype === 'float32' ? yPred : tf.cast(yPred, 'float32');
    if (classId !== undefined) {
      const width = pred.shape[pred.rank - 1] as number;
      if (pred.rank < 2 || classId >= width) {
        throw new ValueError(
          received(
            `${owner}: classId must index the last axis of yPred (shape [${pred.shape.join(', ')}])`,
            'classId',
            classId,
          ),
        );
      }
      const begin = pred.shape.map((_, i) => (i === pred.rank - 1 ? classId : 0));
      const size = pred.shape.map((d, i) => (i === pred.rank - 1 ? 1 : d));
      target = tf.slice(target, begin, size);
      pred = tf.slice(pred, begin, size);
    }
    // The caller disposes both: never hand back the caller's own tensors.
    const own = (x: Tensor): Tensor => (x === yTrue || x === yPred ? tf.clone(x) : tf.keep(x));
    return [own(target), own(pred)];
  });
  try {
    return {
      yTrue: t.dataSync() as Float32Array,
      yPred: p.dataSync() as Float32Array,
      rows,
    };
  } finally {
    tf.dispose([t, p]);
  }
}

/** `a / (a + b)`, 0 when both are 0 (Keras's divide_no_nan). */
export function ratio(a: number, b: number): number {
  return a + b === 0 ? 0 : a / (a + b);
}

/** What Precision and Recall share: options, the two counts they need, and the config. */
abstract class ConfusionMetric implements StatefulMetric {
  abstract readonly className: string;
  readonly name: string;
  /** The threshold; null with `topK` and no threshold given (every top-k entry counts). */
  readonly thresholds: number | null;
  readonly classId: number | undefined;
  readonly topK: number | undefined;
  private readonly owner: string;
  /** Float32 threshold, as Keras compares in the backend's float type (-∞ for none). */
  private readonly threshold32: number;

  protected constructor(owner: string, defaultName: string, args: ConfusionArgs) {
    checkKeys(owner, args, ['name', 'thresholds', 'classId', 'topK']);
    this.owner = owner;
    this.name = nameArg(owner, args.name, defaultName);
    this.topK =
      args.topK === undefined || args.topK === null
        ? undefined
        : positiveIntArg(owner, 'topK', args.topK);
    this.thresholds =
      (args.thresholds === undefined || args.thresholds === null) && this.topK !== undefined
        ? null
        : numberArg(owner, 'thresholds', args.thresholds, 0.5, { min: 0, max: 1 });
    this.threshold32 =
      this.thresholds === null ? Number.NEGATIVE_INFINITY : Math.fround(this.thresholds);
    this.classId =
      args.classId === undefined
        ? undefined
        : requireNumber(owner, 'classId', args.classId, { min: 0, integer: true });
  }

  /** Predictions outside each row's top k become -∞ (never positive), as Keras filters them. */
  private topKOnly(yPred: Tensor): Tensor {
    const k = this.topK as number;
    return tf.tidy(() => {
      const width = yPred.shape[yPred.rank - 1] ?? 0;
      const pred = yPred.dtype === 'float32' ? yPred : tf.cast(yPred, 'float32');
      if (k >= width) return tf.clone(pred);
      const { indices } = tf.topk(pred, k);
      const kept = tf.sum(tf.oneHot(indices, width), -2);
      return tf.where(tf.greater(kept, 0), pred, tf.fill(pred.shape, Number.NEGATIVE_INFINITY));
    });
  }

  /** Which two counts: true positives plus false positives, or plus false negatives. */
  protected abstract readonly counts: 'tp_fp' | 'tp_fn';

  statisticCount(): number {
    return 2;
  }

  statistics(yTrue: Tensor, yPred: Tensor): Float64Array {
    const filtered = this.topK === undefined ? yPred : this.topKOnly(yPred);
    let pairs: Pairs;
    try {
      pairs = readPairs(this.owner, yTrue, filtered, this.classId);
    } finally {
      if (filtered !== yPred) filtered.dispose();
    }
    const { yTrue: t, yPred: p, rows } = pairs;
    let tp = 0;
    let other = 0;
    const fp = this.counts === 'tp_fp';
    for (let i = 0; i < p.length; i++) {
      const positive = p[i]! > this.threshold32;
      const label = t[i]! !== 0;
      if (positive && label) tp++;
      else if (fp ? positive && !label : !positive && label) other++;
    }
    const n = Math.max(1, rows);
    return Float64Array.of(tp / n, other / n);
  }

  fromStatistics(means: ArrayLike<number>): number {
    return ratio(means[0] ?? 0, means[1] ?? 0);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.scalar(this.fromStatistics(this.statistics(yTrue, yPred)));
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, thresholds: this.thresholds };
    if (this.classId !== undefined) config['classId'] = this.classId;
    if (this.topK !== undefined) config['topK'] = this.topK;
    return config;
  }
}

/**
 * Precision: true positives / (true positives + false positives), over the epoch.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['precision'] });
 * ```
 */
export class Precision extends ConfusionMetric {
  readonly className = 'Precision';
  protected readonly counts = 'tp_fp';

  constructor(args: ConfusionArgs = {}) {
    super('Precision', 'precision', args);
  }
}

/**
 * Recall: true positives / (true positives + false negatives), over the epoch.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['recall'] });
 * ```
 */
export class Recall extends ConfusionMetric {
  readonly className = 'Recall';
  protected readonly counts = 'tp_fn';

  constructor(args: ConfusionArgs = {}) {
    super('Recall', 'recall', args);
  }
}
