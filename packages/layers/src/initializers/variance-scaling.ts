/**
 * The variance-scaling family: VarianceScaling and its presets glorot_uniform/normal,
 * he_uniform/normal, lecun_uniform/normal. Values are drawn with variance
 * `scale / max(1, n)`, n the fan chosen by `mode`, as in Keras.
 */

import type { RngStream, Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import { choiceArg, numberArg, seedArg } from '../registry/checks.js';
import type { Initializer } from './initializer.js';
import { checkShape, sizeOf, streamFor } from './initializer.js';
import { normalValues, truncatedNormalValues, uniformValues } from './random.js';

/** Which fan the variance is divided by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** Distribution of the draws ('normal' is accepted as an alias of 'truncated_normal'). */
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

const FAN_MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];

/** tfjs-layers' camelCase spellings of the modes and distributions, accepted as aliases. */
const TFJS_SPELLINGS: Readonly<Record<string, string>> = {
  fanIn: 'fan_in',
  fanOut: 'fan_out',
  fanAvg: 'fan_avg',
  truncatedNormal: 'truncated_normal',
  untruncatedNormal: 'untruncated_normal',
};

/** A string option in Keras's spelling (tfjs's camelCase one mapped to it). */
function kerasSpelling(value: unknown): unknown {
  return typeof value === 'string' ? (TFJS_SPELLINGS[value] ?? value) : value;
}
const DISTRIBUTIONS: readonly (ScalingDistribution | 'normal')[] = [
  'truncated_normal',
  'untruncated_normal',
  'uniform',
  'normal',
];

/**
 * Standard deviation of a unit normal truncated to (-2, 2): dividing by it makes the
 * truncated draws have the intended variance (Keras's constant).
 */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/**
 * Fans of a weight shape, as Keras computes them: a vector uses its length for both; a
 * matrix [in, out]; a higher-rank kernel [...receptive field, in, out] multiplies in and out
 * by the receptive field size; a scalar has fans of 1.
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return {
    fanIn: shape[shape.length - 2]! * receptive,
    fanOut: shape[shape.length - 1]! * receptive,
  };
}

/** Arguments of `VarianceScaling`. */
export interface VarianceScalingArgs {
  /** Variance numerator, > 0 (default 1). */
  scale?: number;
  /** Fan the variance is divided by (default 'fan_in'; tfjs's 'fanIn' etc. also work). */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /**
   * Distribution of the draws (default 'truncated_normal'; 'normal' means the same; tfjs's
   * 'truncatedNormal' and 'untruncatedNormal' also work).
   */
  distribution?: ScalingDistribution | 'normal' | 'truncatedNormal' | 'untruncatedNormal';
  /** Own seed: every `generate` then gives the same values, whatever stream it is passed. */
  seed?: number;
}

/** Arguments of the presets (glorot, he, lecun): only a seed. */
export interface SeedArgs {
  /** Own seed: every `generate` then gives the same values, whatever stream it is passed. */
  seed?: number;
}

/**
 * Draws with variance `scale / max(1, fan)`: uniform on ±√(3·variance), or a normal
 * (truncated at 2σ and rescaled by TRUNCATED_NORMAL_STDDEV, or untruncated).
 *
 * ```ts
 * new VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'uniform' }) // = he_uniform
 * ```
 */
export class VarianceScaling implements Initializer {
  /** The class name serialized configs use; each preset overrides it. */
  static readonly className: string = 'VarianceScaling';
  readonly className: string;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | undefined;

  constructor(args: VarianceScalingArgs = {}) {
    const owner = new.target.className;
    this.className = owner;
    this.scale = numberArg(owner, 'scale', args.scale, 1, { min: 0, minInclusive: false });
    this.mode = choiceArg(owner, 'mode', kerasSpelling(args.mode), FAN_MODES, 'fan_in');
    const distribution = choiceArg(
      owner,
      'distribution',
      kerasSpelling(args.distribution),
      DISTRIBUTIONS,
      'truncated_normal',
    );
    this.distribution = distribution === 'normal' ? 'truncated_normal' : distribution;
    this.seed = seedArg(owner, args.seed);
  }

  generate(shape: number[], rng: RngStream): Tensor {
    const dims = checkShape(this.className, shape);
    const { fanIn, fanOut } = computeFans(dims);
    const fan =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    const stream = streamFor(this.className, this.seed, rng);
    const size = sizeOf(dims);
    let values: Float32Array;
    if (this.distribution === 'truncated_normal') {
      values = truncatedNormalValues(
        size,
        0,
        Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV,
        stream,
      );
    } else if (this.distribution === 'untruncated_normal') {
      values = normalValues(size, 0, Math.sqrt(variance), stream);
    } else {
      const limit = Math.sqrt(3 * variance);
      values = uniformValues(size, -limit, limit, stream);
    }
    return tf.tensor(values, dims, 'float32');
  }

  getConfig(): Record<string, unknown> {
    return {
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      seed: this.seed ?? null,
    };
  }
}

/** A preset of the family (glorot, he, lecun): fixed settings, configured by its seed alone. */
export abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/** Glorot (Xavier) uniform: uniform on ±√(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: args.seed });
  }
}

/** Glorot (Xavier) normal: truncated normal with variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: args.seed });
  }
}

/** He uniform: uniform on ±√(6 / fanIn). */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}

/** He normal: truncated normal with variance 2 / fanIn. */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}

/** LeCun uniform: uniform on ±√(3 / fanIn). */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}

/** LeCun normal: truncated normal with variance 1 / fanIn. */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}
