/**
 * Random initializers with explicit parameters — random_normal, random_uniform,
 * truncated_normal — and the samplers the variance-scaling family shares.
 */

import type { RngStream, Tensor } from '@tessera/core';
import { formatValue, tf, ValueError } from '@tessera/core';
import { numberArg, seedArg } from '../registry/checks.js';
import type { Initializer } from './initializer.js';
import { checkShape, sizeOf, streamFor } from './initializer.js';

/** `size` normal deviates with the given mean and standard deviation. */
export function normalValues(
  size: number,
  mean: number,
  stddev: number,
  rng: RngStream,
): Float32Array {
  return rng.fillNormal(new Float32Array(size), mean, stddev);
}

/** `size` uniform values in [minval, maxval). */
export function uniformValues(
  size: number,
  minval: number,
  maxval: number,
  rng: RngStream,
): Float32Array {
  return rng.fillUniform(new Float32Array(size), minval, maxval);
}

/**
 * `size` normal deviates truncated at two standard deviations: a draw farther than 2·stddev
 * from the mean is discarded and drawn again (so the spread is ≈ 0.88·stddev).
 */
export function truncatedNormalValues(
  size: number,
  mean: number,
  stddev: number,
  rng: RngStream,
): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let z = rng.normal();
    while (z <= -2 || z >= 2) z = rng.normal();
    out[i] = mean + stddev * z;
  }
  return out;
}

/** Arguments of `RandomNormal` and `TruncatedNormal`. */
export interface NormalArgs {
  /** Mean of the distribution (default 0). */
  mean?: number;
  /** Standard deviation, >= 0 (default 0.05). */
  stddev?: number;
  /** Own seed: every `generate` then gives the same values, whatever stream it is passed. */
  seed?: number;
}

/** Arguments of `RandomUniform`. */
export interface RandomUniformArgs {
  /** Lower bound, inclusive (default -0.05). */
  minval?: number;
  /** Upper bound, exclusive; must exceed minval (default 0.05). */
  maxval?: number;
  /** Own seed: every `generate` then gives the same values, whatever stream it is passed. */
  seed?: number;
}

/**
 * What RandomNormal and TruncatedNormal share: their arguments, checks and config; each
 * draws its values its own way.
 */
export abstract class NormalInitializer implements Initializer {
  readonly className: string;
  /** Mean of the distribution. */
  readonly mean: number;
  /** Standard deviation, >= 0. */
  readonly stddev: number;
  /** Own seed, or undefined to draw from the stream `generate` is given. */
  readonly seed: number | undefined;

  protected constructor(className: string, args: NormalArgs) {
    this.className = className;
    this.mean = numberArg(this.className, 'mean', args.mean, 0);
    this.stddev = numberArg(this.className, 'stddev', args.stddev, 0.05, { min: 0 });
    this.seed = seedArg(this.className, args.seed);
  }

  /** `size` draws with this initializer's mean and standard deviation. */
  protected abstract sample(size: number, rng: RngStream): Float32Array;

  generate(shape: number[], rng: RngStream): Tensor {
    const dims = checkShape(this.className, shape);
    const stream = streamFor(this.className, this.seed, rng);
    return tf.tensor(this.sample(sizeOf(dims), stream), dims, 'float32');
  }

  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal distribution N(mean, stddev²). */
export class RandomNormal extends NormalInitializer {
  constructor(args: NormalArgs = {}) {
    super('RandomNormal', args);
  }

  protected sample(size: number, rng: RngStream): Float32Array {
    return normalValues(size, this.mean, this.stddev, rng);
  }
}

/** Normal distribution N(mean, stddev²) with draws beyond 2·stddev from the mean redrawn. */
export class TruncatedNormal extends NormalInitializer {
  constructor(args: NormalArgs = {}) {
    super('TruncatedNormal', args);
  }

  protected sample(size: number, rng: RngStream): Float32Array {
    return truncatedNormalValues(size, this.mean, this.stddev, rng);
  }
}

/** Uniform distribution on [minval, maxval). */
export class RandomUniform implements Initializer {
  readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;

  constructor(args: RandomUniformArgs = {}) {
    this.minval = numberArg(this.className, 'minval', args.minval, -0.05);
    this.maxval = numberArg(this.className, 'maxval', args.maxval, 0.05);
    if (!(this.minval < this.maxval)) {
      throw new ValueError(
        `${this.className}: minval must be less than maxval. Received: minval=${formatValue(this.minval)}, maxval=${formatValue(this.maxval)}`,
      );
    }
    this.seed = seedArg(this.className, args.seed);
  }

  generate(shape: number[], rng: RngStream): Tensor {
    const dims = checkShape(this.className, shape);
    const stream = streamFor(this.className, this.seed, rng);
    return tf.tensor(
      uniformValues(sizeOf(dims), this.minval, this.maxval, stream),
      dims,
      'float32',
    );
  }

  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}
