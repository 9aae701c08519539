/**
 * Normalization: shifts and scales inputs into a distribution centred around 0 with
 * standard deviation 1, per feature along `axis`, from a mean and variance given as options
 * or learned by `adapt(data)` (Keras 3's layer: `(x - mean) / max(sqrt(var), 1e-7)`, or the
 * inverse with `invert`). Adapted statistics are non-trainable weights named `mean` and
 * `variance`, so they travel with `getWeights`, checkpoints and every worker.
 *
 * ```ts
 * const norm = layers.normalization({ inputShape: [3] });
 * norm.adapt([[1, 10, 0], [3, 30, 1]]);  // mean [2, 20, 0.5], variance [1, 100, 0.25]
 * ```
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { initializers } from '../initializers/index.js';
import { booleanArg, checkArgs } from '../registry/checks.js';
import { featureAxis } from './common.js';

/** Keras's epsilon: the standard deviation is at least this. */
const EPSILON = 1e-7;

/** Arguments of `layers.normalization`. */
export interface NormalizationArgs extends LayerArgs {
  /** The feature axis: statistics are kept per index along it (default -1). */
  axis?: number;
  /** A mean to use instead of adapting: one number, or one per feature. */
  mean?: number | number[] | null;
  /** The variance that goes with `mean` (both or neither). */
  variance?: number | number[] | null;
  /** Undo the normalization instead: `mean + x·sqrt(var)` (default false). */
  invert?: boolean;
}

function statArg(name: string, value: unknown): number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => Number.isFinite(v))) {
    throw new ValueError(
      received(`Normalization: ${name} must be a finite number or a list of them`, name, value),
    );
  }
  return list as number[];
}

/** Normalizes each feature with a given or adapted mean and variance. */
export class Normalization extends Layer<'one'> {
  static override readonly className = 'Normalization';
  static override readonly argKeys: readonly string[] = keysOf<NormalizationArgs>()([
    'axis',
    'mean',
    'variance',
    'invert',
    ...LAYER_ARG_KEYS,
  ]);
  readonly axis: number;
  readonly invert: boolean;
  readonly inputMean: number[] | null;
  readonly inputVariance: number[] | null;
  /** Adapted (or given) statistics, non-trainable. */
  mean: Weight | undefined;
  variance: Weight | undefined;
  private rank = 0;

  constructor(args: NormalizationArgs = {}) {
    checkArgs(args, 'Normalization', '{ axis?, mean?, variance?, invert? }');
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ValueError(
        received(
          'Normalization: axis must be a non-zero integer (the batch axis 0 holds no features)',
          'axis',
          axis,
        ),
      );
    }
    this.axis = axis;
    this.invert = booleanArg('Normalization', 'invert', args.invert, false);
    this.inputMean = statArg('mean', args.mean);
    this.inputVariance = statArg('variance', args.variance);
    if ((this.inputMean === null) !== (this.inputVariance === null)) {
      throw new ValueError(
        `Normalization: give both mean and variance, or neither (then call adapt). Received: mean=${JSON.stringify(args.mean ?? null)}, variance=${JSON.stringify(args.variance ?? null)}`,
      );
    }
  }

  /** The feature axis as a positive index for inputs of `rank`. */
  private featureAxis(rank: number): number {
    return featureAxis(`Normalization "${this.name}"`, this.axis, rank);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, 'Normalization');
    this.rank = shape.length;
    const features = shape[this.featureAxis(shape.length)];
    if (features === null || features === undefined) {
      throw new ShapeError(
        receivedShape(`Normalization "${this.name}": the feature axis needs a known size`, shape),
      );
    }
    const fill = (given: number[] | null, fallback: number): number[] => {
      if (given === null) return new Array<number>(features).fill(fallback);
      if (given.length === 1) return new Array<number>(features).fill(given[0]!);
      if (given.length !== features) {
        throw new ShapeError(
          `Normalization "${this.name}": mean and variance need ${features} values, one per feature. Received: length=${given.length}`,
        );
      }
      return given;
    };
    this.mean = this.addWeight({
      name: 'mean',
      shape: [features],
      initializer: initializers.zeros(),
      trainable: false,
    });
    this.variance = this.addWeight({
      name: 'variance',
      shape: [features],
      initializer: initializers.ones(),
      trainable: false,
    });
    this.mean.write(Float32Array.from(fill(this.inputMean, 0)));
    this.variance.write(Float32Array.from(fill(this.inputVariance, 1)));
    super.build(inputShape);
  }

  /**
   * Learns the mean and (population) variance of every feature from `data` (rows first, as
   * the layer's inputs; or a list of such batches, as Keras adapts a dataset), in float64.
   * Builds the layer from the data's shape if needed.
   */
  adapt(data: Tensor | Tensor[] | number[][] | number[][][]): void {
    const batches =
      Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof tf.Tensor);
    if (Array.isArray(data) && data.length === 0) {
      throw new ValueError(received('Normalization.adapt: data has no rows', 'rows', 0));
    }
    const x = batches
      ? tf.concat(data as Tensor[], 0)
      : data instanceof tf.Tensor
        ? data
        : tf.tensor(data as number[][]);
    try {
      if (!this.built) this.build([null, ...x.shape.slice(1)]);
      const axis = this.featureAxis(x.rank);
      if (x.rank !== this.rank) {
        throw new ShapeError(
          `Normalization "${this.name}": adapt data must have rank ${this.rank}. Received: shape=[${x.shape.join(', ')}]`,
        );
      }
      const built = this.mean!.shape[0];
      if (x.shape[axis] !== built) {
        throw new ShapeError(
          `Normalization "${this.name}": adapt data has an incompatible shape: the layer keeps ${built} features along axis ${this.axis}. Received: shape=[${x.shape.join(', ')}]`,
        );
      }
      const values = x.dataSync();
      const features = x.shape[axis] as number;
      const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const sums = new Float64Array(features);
      const squares = new Float64Array(features);
      for (let i = 0; i < values.length; i++) {
        const f = Math.floor(i / inner) % features;
        const v = Number(values[i]);
        sums[f] = sums[f]! + v;
        squares[f] = squares[f]! + v * v;
      }
      const count = values.length / features;
      if (count === 0) {
        throw new ValueError(received('Normalization.adapt: data has no rows', 'rows', 0));
      }
      const mean = Float64Array.from(sums, (s) => s / count);
      const variance = Float64Array.from(squares, (s, f) =>
        Math.max(0, s / count - mean[f]! * mean[f]!),
      );
      this.mean!.write(Float32Array.from(mean));
      this.variance!.write(Float32Array.from(variance));
    } finally {
      if (x !== data) x.dispose();
    }
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const shape = x.shape.map((_, i) => (i === this.featureAxis(x.rank) ? -1 : 1));
    const mean = tf.reshape(this.mean!.value, shape);
    const std = tf.maximum(tf.sqrt(tf.reshape(this.variance!.value, shape)), EPSILON);
    return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      mean: this.inputMean,
      variance: this.inputVariance,
      invert: this.invert,
    };
  }
}

/** Normalizes each feature with a given or adapted mean and variance. */
export function normalization(args?: NormalizationArgs): Normalization {
  return new Normalization(args);
}
