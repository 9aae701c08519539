/**
 * `initializers`: the registry plus a factory per built-in initializer.
 *
 * ```ts
 * import { initializers } from '@tessera/layers';
 * const init = initializers.get('he_normal');          // or 'heNormal', 'HeNormal'
 * const w = init.generate([784, 128], new Rng(42).stream('init'));
 * initializers.serialize(initializers.orthogonal({ gain: 2 }));
 * ```
 */
import {
  constant,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  ones,
  orthogonal,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  zeros,
} from './factories.js';
import { deserialize, get, names, register, serialize } from './registry.js';

/** The initializer registry and factories. */
export const initializers = {
  get,
  serialize,
  deserialize,
  register,
  names,
  zeros,
  ones,
  constant,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  lecunUniform,
  lecunNormal,
  orthogonal,
} as const;

export type { ObjectFactory, SerializedObject } from '../registry/object-registry.js';
export type { ConstantArgs } from './constant.js';
export { Constant, Ones, Zeros } from './constant.js';
export type { Initializer } from './initializer.js';
export { isInitializer } from './initializer.js';
export type { OrthogonalArgs } from './orthogonal.js';
export { Orthogonal } from './orthogonal.js';
export type { NormalArgs, RandomUniformArgs } from './random.js';
export { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
export type {
  CustomInitializerName,
  InitializerIdentifier,
  InitializerName,
  SerializedInitializer,
} from './registry.js';
export { INITIALIZER_NAMES } from './registry.js';
export type {
  FanMode,
  ScalingDistribution,
  SeedArgs,
  VarianceScalingArgs,
} from './variance-scaling.js';
export {
  computeFans,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  TRUNCATED_NORMAL_STDDEV,
  VarianceScaling,
} from './variance-scaling.js';
