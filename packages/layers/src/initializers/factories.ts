/**
 * Lower-case factories, one per built-in initializer (`initializers.glorotUniform({ seed })`).
 */

import type { ConstantArgs } from './constant.js';
import { Constant, Ones, Zeros } from './constant.js';
import type { OrthogonalArgs } from './orthogonal.js';
import { Orthogonal } from './orthogonal.js';
import type { NormalArgs, RandomUniformArgs } from './random.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import type { SeedArgs, VarianceScalingArgs } from './variance-scaling.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

/** All zeros. */
export function zeros(): Zeros {
  return new Zeros();
}

/** All ones. */
export function ones(): Ones {
  return new Ones();
}

/** Every element `value` (default 0). */
export function constant(args?: ConstantArgs): Constant {
  return new Constant(args);
}

/** Normal N(mean, stddev²) (defaults 0, 0.05). */
export function randomNormal(args?: NormalArgs): RandomNormal {
  return new RandomNormal(args);
}

/** Uniform on [minval, maxval) (defaults -0.05, 0.05). */
export function randomUniform(args?: RandomUniformArgs): RandomUniform {
  return new RandomUniform(args);
}

/** Normal N(mean, stddev²) redrawn beyond 2·stddev (defaults 0, 0.05). */
export function truncatedNormal(args?: NormalArgs): TruncatedNormal {
  return new TruncatedNormal(args);
}

/** Variance `scale / fan` (defaults scale 1, 'fan_in', 'truncated_normal'). */
export function varianceScaling(args?: VarianceScalingArgs): VarianceScaling {
  return new VarianceScaling(args);
}

/** Glorot uniform (Keras's default kernel initializer). */
export function glorotUniform(args?: SeedArgs): GlorotUniform {
  return new GlorotUniform(args);
}

/** Glorot normal. */
export function glorotNormal(args?: SeedArgs): GlorotNormal {
  return new GlorotNormal(args);
}

/** He uniform. */
export function heUniform(args?: SeedArgs): HeUniform {
  return new HeUniform(args);
}

/** He normal. */
export function heNormal(args?: SeedArgs): HeNormal {
  return new HeNormal(args);
}

/** LeCun uniform. */
export function lecunUniform(args?: SeedArgs): LecunUniform {
  return new LecunUniform(args);
}

/** LeCun normal. */
export function lecunNormal(args?: SeedArgs): LecunNormal {
  return new LecunNormal(args);
}

/** Random orthogonal matrix times `gain` (default 1). */
export function orthogonal(args?: OrthogonalArgs): Orthogonal {
  return new Orthogonal(args);
}
