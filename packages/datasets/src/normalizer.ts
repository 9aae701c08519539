/**
 * Feature normalization fit on the training set and applied unchanged to test data and to
 * inputs at prediction time. Every method is `x' = (x - offset) / scale` per feature
 * column (features flattened per example), computed on the scaled values in float64:
 *
 * - `standard`: offset = mean, scale = standard deviation (population, ddof 0);
 * - `minmax`:   offset = min,  scale = max - min, so the training data spans [0, 1];
 * - `max`:      offset = 0,    scale = max |x|, the course's `X / np.amax(X, axis=0)`.
 *
 * A column whose scale would be 0 (constant) gets scale 1, so it maps to 0 (or stays put
 * for `max`) instead of dividing by zero. `toJSON()` gives a plain config the CLI saves;
 * `Normalizer.fromJSON` restores it.
 *
 * ```ts
 * const norm = fitNormalizer(train, { method: 'standard' });
 * const [trainN, testN] = [norm.apply(train), norm.apply(test)];
 * writeFileSync('normalizer.json', JSON.stringify(norm.toJSON()));
 * ```
 */
import { FormatError, received, ShapeError, ValueError } from '@tessera/core';
import { allocate } from './buffers.js';
import { Dataset } from './dataset.js';

/** How columns are rescaled; see the module comment. */
export type NormalizerMethod = 'standard' | 'minmax' | 'max';

const METHODS: readonly NormalizerMethod[] = ['standard', 'minmax', 'max'];

/** Options for `fitNormalizer`. */
export interface FitNormalizerOptions {
  /** Which statistics to fit. */
  method: NormalizerMethod;
}

/** The saved form of a fitted normalizer (plain JSON). */
export interface NormalizerConfig {
  /** Tag that identifies the config. */
  format: 'tessera-normalizer';
  /** Config layout version. */
  version: 1;
  /** Method the statistics came from. */
  method: NormalizerMethod;
  /** Per-example feature shape it was fit on. */
  featureShape: number[];
  /** Subtracted from each column. */
  offset: number[];
  /** Each column is divided by this (never 0). */
  scale: number[];
}

/** A fitted per-column affine rescaling; build with `fitNormalizer` or `Normalizer.fromJSON`. */
export class Normalizer {
  readonly method: NormalizerMethod;
  readonly featureShape: number[];
  readonly offset: number[];
  readonly scale: number[];

  private constructor(config: Omit<NormalizerConfig, 'format' | 'version'>) {
    this.method = config.method;
    this.featureShape = [...config.featureShape];
    this.offset = [...config.offset];
    this.scale = [...config.scale];
  }

  /** Restores a normalizer saved with `toJSON()`, checking every field. */
  static fromJSON(config: NormalizerConfig): Normalizer {
    const fail = (what: string, name: string, value: unknown): never => {
      throw new FormatError(received(`Normalizer.fromJSON: ${what}`, name, value));
    };
    if (config === null || typeof config !== 'object' || config.format !== 'tessera-normalizer') {
      return fail("expected a config with format 'tessera-normalizer'", 'format', config?.format);
    }
    if (config.version !== 1) fail('unsupported version', 'version', config.version);
    if (!METHODS.includes(config.method))
      fail(`method must be one of ${METHODS.join(', ')}`, 'method', config.method);
    const shape = config.featureShape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      fail('featureShape must be a list of positive integers', 'featureShape', shape);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const finite = (xs: unknown): boolean =>
      Array.isArray(xs) && xs.length === size && xs.every(Number.isFinite);
    if (!finite(config.offset))
      fail(`offset must be ${size} finite numbers`, 'offset', config.offset);
    if (!finite(config.scale) || config.scale.some((s) => s === 0)) {
      fail(`scale must be ${size} finite non-zero numbers`, 'scale', config.scale);
    }
    return new Normalizer(config);
  }

  /** Fits statistics on a dataset's (scaled) features. */
  static fit(dataset: Dataset, options: FitNormalizerOptions): Normalizer {
    const method = options?.method;
    if (!METHODS.includes(method)) {
      throw new ValueError(
        received(`fitNormalizer: method must be one of ${METHODS.join(', ')}`, 'method', method),
      );
    }
    if (dataset.size === 0) {
      throw new ValueError(
        received('fitNormalizer: cannot fit on an empty dataset', 'size', dataset.size),
      );
    }
    const { features, featureScale: s, featureSize: d, size: n } = dataset;
    const offset = new Array<number>(d).fill(0);
    const scale = new Array<number>(d).fill(0);
    if (method === 'standard') {
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) offset[j]! += features[i * d + j]! * s;
      for (let j = 0; j < d; j++) offset[j]! /= n;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) scale[j]! += (features[i * d + j]! * s - offset[j]!) ** 2;
      }
      for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]! / n);
    } else {
      const lo = new Array<number>(d).fill(Number.POSITIVE_INFINITY);
      const hi = new Array<number>(d).fill(Number.NEGATIVE_INFINITY);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          const v = features[i * d + j]! * s;
          if (v < lo[j]!) lo[j] = v;
          if (v > hi[j]!) hi[j] = v;
        }
      }
      for (let j = 0; j < d; j++) {
        if (method === 'minmax') {
          offset[j] = lo[j]!;
          scale[j] = hi[j]! - lo[j]!;
        } else {
          scale[j] = Math.max(Math.abs(lo[j]!), Math.abs(hi[j]!));
        }
      }
    }
    for (let j = 0; j < d; j++) if (scale[j] === 0) scale[j] = 1;
    return new Normalizer({ method, featureShape: dataset.featureShape, offset, scale });
  }

  /** Values per example. */
  get featureSize(): number {
    return this.offset.length;
  }

  /** Normalizes rows of (already scaled) features: any multiple of featureSize values. */
  transform(values: ArrayLike<number>): Float32Array {
    const d = this.featureSize;
    if (values.length % d !== 0) {
      throw new ShapeError(
        received(
          `Normalizer.transform: expected rows of ${d} values`,
          'values.length',
          values.length,
        ),
      );
    }
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const j = i % d;
      out[i] = (values[i]! - this.offset[j]!) / this.scale[j]!;
    }
    return out;
  }

  /** A float32 copy of the dataset with normalized features (targets are shared, not copied). */
  apply(dataset: Dataset): Dataset {
    const same =
      dataset.featureShape.length === this.featureShape.length &&
      dataset.featureShape.every((dim, i) => dim === this.featureShape[i]);
    if (!same) {
      throw new ShapeError(
        received(
          `Normalizer.apply: fit on features of shape [${this.featureShape}]`,
          'featureShape',
          dataset.featureShape,
        ),
      );
    }
    const { features: raw, featureScale: s, featureSize: d } = dataset;
    const features = allocate('float32', raw.length, dataset.shared);
    for (let row = 0; row < raw.length; row += d) {
      for (let j = 0; j < d; j++)
        features[row + j] = (raw[row + j]! * s - this.offset[j]!) / this.scale[j]!;
    }
    return new Dataset({
      name: dataset.name,
      task: dataset.task,
      featureShape: dataset.featureShape,
      targetShape: dataset.targetShape,
      features,
      targets: dataset.targets,
      ...(dataset.classNames === undefined ? {} : { classNames: dataset.classNames }),
      ...(dataset.featureNames === undefined ? {} : { featureNames: dataset.featureNames }),
    });
  }

  /** The plain config to save; `Normalizer.fromJSON` restores it. */
  toJSON(): NormalizerConfig {
    return {
      format: 'tessera-normalizer',
      version: 1,
      method: this.method,
      featureShape: [...this.featureShape],
      offset: [...this.offset],
      scale: [...this.scale],
    };
  }
}

/** Fits a normalizer on training data: `fitNormalizer(train, { method: 'standard' })`. */
export function fitNormalizer(dataset: Dataset, options: FitNormalizerOptions): Normalizer {
  return Normalizer.fit(dataset, options);
}
