/**
 * One in-memory dataset shape for every source: features and targets in flat typed
 * arrays (optionally in SharedArrayBuffers), per-example shapes, class names.
 *
 * Images stay uint8 and are scaled (`featureScale`) as rows are gathered, so MNIST's
 * 60,000 training images take 47 MB, not 188 MB. A shared dataset is described once,
 * posted to each worker and re-attached there to the same memory:
 *
 * ```ts
 * const train = loadMnist({ split: 'train' }).share();
 * worker.postMessage(train.describe());             // in the worker:
 * const same = Dataset.attach(message);              // views over the same bytes
 * const x = same.gatherFeatures(order, 0, 128);      // [128 * 784] float32, scaled
 * ```
 */

import type { Tensor } from '@tessera/core';
import { RngStream, received, tf, ValueError } from '@tessera/core';
import { allocate, copyInto, describeBuffer, isShared } from './buffers.js';
import {
  checkDatasetArgs,
  type DatasetArgs,
  type FeatureArray,
  type TargetArray,
  type Task,
} from './dataset-args.js';
import { argsFromDescription, type DatasetDescription } from './description.js';
import { planSplit } from './split.js';

export type { DatasetArgs, FeatureArray, Split, TargetArray, Task } from './dataset-args.js';
export type { DatasetDescription } from './description.js';

/** Options for `gatherTargets` and `toTensors`. */
export interface TargetOptions {
  /** Classification only: targets as one-hot rows [n, numClasses] instead of class ids [n]. */
  oneHot?: boolean;
}

/** Options for `Dataset.split`. */
export interface SplitOptions {
  /** Seed for a random split; absent keeps row order (first rows go to the first part). */
  seed?: number;
  /** Keep class proportions in both parts. Default: true for classification. */
  stratify?: boolean;
}

/** Whether a Uint32Array reads bytes [1, 0, 0, 0] as 1. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Features and targets of `size` examples.
 *
 * ```ts
 * const ds = new Dataset({ name: 'xor', task: 'classification', featureShape: [2],
 *   features: Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1), targets: Int32Array.of(0, 1, 1, 0),
 *   classNames: ['off', 'on'] });
 * const [train, test] = ds.split(0.5, { seed: 1 });
 * ```
 */
export class Dataset {
  readonly name: string;
  readonly task: Task;
  /** Number of examples. */
  readonly size: number;
  readonly featureShape: number[];
  readonly targetShape: number[];
  /** Values per example: prod(featureShape). */
  readonly featureSize: number;
  /** Values per example: prod(targetShape). */
  readonly targetSize: number;
  /** Class names (index = class id); undefined for regression. */
  readonly classNames: string[] | undefined;
  readonly numClasses: number | undefined;
  readonly featureNames: string[] | undefined;
  readonly features: FeatureArray;
  readonly featureScale: number;
  readonly targets: TargetArray;
  #words: Uint32Array | null | undefined;

  constructor(args: DatasetArgs) {
    const checked = checkDatasetArgs(args);
    this.name = checked.name;
    this.task = checked.task;
    this.size = checked.size;
    this.featureShape = checked.featureShape;
    this.targetShape = checked.targetShape;
    this.featureSize = checked.featureSize;
    this.targetSize = checked.targetSize;
    this.classNames = checked.classNames;
    this.numClasses = checked.numClasses;
    this.featureNames = checked.featureNames;
    this.features = checked.features;
    this.featureScale = checked.featureScale;
    this.targets = checked.targets;
  }

  /**
   * Byte features seen as 32-bit words (four per load), when rows are whole words and the
   * platform is little-endian; null otherwise. Made once.
   */
  private featureWords(): Uint32Array | null {
    if (this.#words === undefined) {
      const f = this.features;
      this.#words =
        f instanceof Uint8Array &&
        LITTLE_ENDIAN &&
        this.featureSize % 4 === 0 &&
        f.byteOffset % 4 === 0
          ? new Uint32Array(f.buffer, f.byteOffset, f.length >> 2)
          : null;
    }
    return this.#words;
  }

  /** True when features and targets both live in SharedArrayBuffers. */
  get shared(): boolean {
    return isShared(this.features) && isShared(this.targets);
  }

  private rangeSize(
    method: string,
    indices: ArrayLike<number>,
    start: number,
    end: number,
  ): number {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end < start ||
      end > indices.length
    ) {
      throw new ValueError(
        received(
          `Dataset.${method}: need 0 <= start <= end <= indices.length (${indices.length})`,
          'range',
          [start, end],
        ),
      );
    }
    return end - start;
  }

  private row(method: string, indices: ArrayLike<number>, position: number): number {
    const row = indices[position]!;
    if (!(Number.isInteger(row) && row >= 0 && row < this.size)) {
      throw new ValueError(
        received(
          `Dataset.${method}: row indices must be integers in [0, ${this.size})`,
          `indices[${position}]`,
          row,
        ),
      );
    }
    return row;
  }

  private output(method: string, out: Float32Array | undefined, length: number): Float32Array {
    if (out === undefined) return new Float32Array(length);
    if (!(out instanceof Float32Array) || out.length < length) {
      throw new ValueError(
        received(
          `Dataset.${method}: out must be a Float32Array of at least ${length} values`,
          'out.length',
          out?.length,
        ),
      );
    }
    return out.length === length ? out : out.subarray(0, length);
  }

  /**
   * Features of rows `indices[start..end)`, scaled, as float32 [n * featureSize]. Written
   * into `out` when given (a view of its first n * featureSize values is returned).
   */
  gatherFeatures(
    indices: ArrayLike<number>,
    start: number,
    end: number,
    out?: Float32Array,
  ): Float32Array {
    const n = this.rangeSize('gatherFeatures', indices, start, end);
    const d = this.featureSize;
    const result = this.output('gatherFeatures', out, n * d);
    const features = this.features;
    if (features instanceof Uint8Array) {
      const words = this.featureWords();
      if (words !== null) {
        // Four pixels per 32-bit load (little-endian: the first pixel is the low byte);
        // each value is v·scale rounded to float32, as in the per-byte loop below.
        const scale = this.featureScale;
        const quads = d >> 2;
        for (let r = 0; r < n; r++) {
          const src = this.row('gatherFeatures', indices, start + r) * quads;
          let o = r * d;
          for (let j = 0; j < quads; j++, o += 4) {
            const w = words[src + j]!;
            result[o] = (w & 255) * scale;
            result[o + 1] = ((w >>> 8) & 255) * scale;
            result[o + 2] = ((w >>> 16) & 255) * scale;
            result[o + 3] = (w >>> 24) * scale;
          }
        }
        return result;
      }
      // 256-entry table: one lookup per pixel instead of a multiply and a rounding.
      const table = new Float32Array(256);
      for (let v = 0; v < 256; v++) table[v] = v * this.featureScale;
      for (let r = 0; r < n; r++) {
        const src = this.row('gatherFeatures', indices, start + r) * d;
        const dst = r * d;
        for (let j = 0; j < d; j++) result[dst + j] = table[features[src + j]!]!;
      }
    } else {
      const scale = this.featureScale;
      for (let r = 0; r < n; r++) {
        const src = this.row('gatherFeatures', indices, start + r) * d;
        if (scale === 1) {
          result.set(features.subarray(src, src + d), r * d);
        } else {
          for (let j = 0; j < d; j++) result[r * d + j] = features[src + j]! * scale;
        }
      }
    }
    return result;
  }

  /**
   * Targets of rows `indices[start..end)` as float32: one-hot rows [n * numClasses], class
   * ids [n], or regression values [n * targetSize]. Written into `out` when given.
   */
  gatherTargets(
    indices: ArrayLike<number>,
    start: number,
    end: number,
    options: TargetOptions = {},
    out?: Float32Array,
  ): Float32Array {
    const n = this.rangeSize('gatherTargets', indices, start, end);
    const targets = this.targets;
    if (this.task === 'regression') {
      if (options.oneHot === true) {
        throw new ValueError(
          received(
            'Dataset.gatherTargets: oneHot applies to classification data only',
            'oneHot',
            true,
          ),
        );
      }
      const k = this.targetSize;
      const result = this.output('gatherTargets', out, n * k);
      for (let r = 0; r < n; r++) {
        const src = this.row('gatherTargets', indices, start + r) * k;
        result.set(targets.subarray(src, src + k), r * k);
      }
      return result;
    }
    if (options.oneHot === true) {
      const c = this.numClasses!;
      const result = this.output('gatherTargets', out, n * c);
      result.fill(0);
      for (let r = 0; r < n; r++)
        result[r * c + targets[this.row('gatherTargets', indices, start + r)]!] = 1;
      return result;
    }
    const result = this.output('gatherTargets', out, n);
    for (let r = 0; r < n; r++) result[r] = targets[this.row('gatherTargets', indices, start + r)]!;
    return result;
  }

  /** All rows as tensors: x [size, ...featureShape]; y one-hot [size, C], ids [size] or [size, ...targetShape]. */
  toTensors(options: TargetOptions = {}): { x: Tensor; y: Tensor } {
    const all = identity(this.size);
    const xs = this.gatherFeatures(all, 0, this.size);
    const ys = this.gatherTargets(all, 0, this.size, options);
    let yShape: number[];
    if (this.task === 'regression') yShape = [this.size, ...this.targetShape];
    else yShape = options.oneHot === true ? [this.size, this.numClasses!] : [this.size];
    return {
      x: tf.tensor(xs, [this.size, ...this.featureShape], 'float32'),
      y: tf.tensor(ys, yShape, 'float32'),
    };
  }

  /** Same metadata over other buffers. */
  private derive(features: FeatureArray, targets: TargetArray): Dataset {
    return new Dataset({
      name: this.name,
      task: this.task,
      featureShape: this.featureShape,
      targetShape: this.targetShape,
      features,
      featureScale: this.featureScale,
      targets,
      classNames: this.classNames,
      featureNames: this.featureNames,
    });
  }

  /** A new dataset holding copies of the given rows, in that order (shared if this one is). */
  select(indices: ArrayLike<number>): Dataset {
    const n = indices.length;
    const shared = this.shared;
    const d = this.featureSize;
    const k = this.targetSize;
    const features = allocate(
      this.features instanceof Uint8Array ? 'uint8' : 'float32',
      n * d,
      shared,
    );
    const targets = allocate(this.task === 'classification' ? 'int32' : 'float32', n * k, shared);
    for (let r = 0; r < n; r++) {
      const row = this.row('select', indices, r);
      features.set(this.features.subarray(row * d, row * d + d), r * d);
      targets.set(this.targets.subarray(row * k, row * k + k), r * k);
    }
    return this.derive(features, targets);
  }

  /** The rows in a random order drawn from `seed` (a copy). */
  shuffle(seed: number): Dataset {
    return this.select(RngStream.fromSeed(seed, 'dataset/shuffle').permutation(this.size));
  }

  /**
   * Two disjoint parts: the first holds `round(size * fraction)` rows, the second the rest.
   * Stratified by class by default for classification; see split.ts for the exact rule.
   */
  split(fraction: number, options: SplitOptions = {}): [Dataset, Dataset] {
    const stratify = options.stratify ?? this.task === 'classification';
    if (stratify && this.task !== 'classification') {
      throw new ValueError(
        received('Dataset.split: only classification data can be stratified', 'stratify', stratify),
      );
    }
    const [first, second] = planSplit({
      size: this.size,
      fraction,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(stratify ? { labels: this.targets as Int32Array, numClasses: this.numClasses! } : {}),
    });
    return [this.select(first), this.select(second)];
  }

  /** The first `n` rows, as views over the same memory (no copy). */
  take(n: number): Dataset {
    if (!Number.isInteger(n) || n < 0 || n > this.size) {
      throw new ValueError(
        received(`Dataset.take: n must be an integer in [0, ${this.size}]`, 'n', n),
      );
    }
    return this.derive(
      this.features.subarray(0, n * this.featureSize),
      this.targets.subarray(0, n * this.targetSize),
    );
  }

  /** The same data in SharedArrayBuffers; returns `this` when it already is shared. */
  share(): Dataset {
    if (this.shared) return this;
    return this.derive(copyInto(this.features, true), copyInto(this.targets, true));
  }

  /** A structured-cloneable description; posting it copies unless the dataset is shared. */
  describe(): DatasetDescription {
    return {
      format: 'tessera-dataset',
      version: 1,
      name: this.name,
      task: this.task,
      featureShape: [...this.featureShape],
      targetShape: [...this.targetShape],
      featureScale: this.featureScale,
      ...(this.classNames === undefined ? {} : { classNames: [...this.classNames] }),
      ...(this.featureNames === undefined ? {} : { featureNames: [...this.featureNames] }),
      features: describeBuffer(this.features),
      targets: describeBuffer(this.targets),
    };
  }

  /** Views over the memory a description names: never copies. */
  static attach(description: DatasetDescription): Dataset {
    return new Dataset(argsFromDescription(description));
  }
}
