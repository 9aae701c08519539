/**
 * The initializer registry: Keras names, camelCase aliases and class names → initializers,
 * plus user classes registered so saved models can refer to them.
 *
 * ```ts
 * initializers.get('glorot_uniform');                                   // GlorotUniform
 * initializers.get({ className: 'RandomNormal', config: { stddev: 0.1 } });
 * initializers.serialize(initializers.heNormal({ seed: 3 }));           // { className: 'HeNormal', config: { seed: 3 } }
 * ```
 */
import type { RegisterOptions } from '../activations/name-table.js';
import type { ConstantArgs } from './constant.js';
import { Constant, Ones, Zeros } from './constant.js';
import type { Initializer } from './initializer.js';
import { isInitializer } from './initializer.js';
import type { BuiltinDefinition, ObjectFactory, SerializedObject } from './object-registry.js';
import { ObjectRegistry } from './object-registry.js';
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

const SEED = ['seed'] as const;

/** Built-in initializers: Keras name first, then aliases and the class name. */
const BUILTINS = [
  { names: ['zeros', 'zero', 'Zeros'], keys: [], create: () => new Zeros() },
  { names: ['ones', 'one', 'Ones'], keys: [], create: () => new Ones() },
  {
    names: ['constant', 'Constant'],
    keys: ['value'],
    create: (c) => new Constant(c as ConstantArgs),
  },
  {
    names: ['random_normal', 'randomNormal', 'normal', 'RandomNormal'],
    keys: ['mean', 'stddev', 'seed'],
    create: (c) => new RandomNormal(c as NormalArgs),
  },
  {
    names: ['random_uniform', 'randomUniform', 'uniform', 'RandomUniform'],
    keys: ['minval', 'maxval', 'seed'],
    create: (c) => new RandomUniform(c as RandomUniformArgs),
  },
  {
    names: ['truncated_normal', 'truncatedNormal', 'TruncatedNormal'],
    keys: ['mean', 'stddev', 'seed'],
    create: (c) => new TruncatedNormal(c as NormalArgs),
  },
  {
    names: ['variance_scaling', 'varianceScaling', 'VarianceScaling'],
    keys: ['scale', 'mode', 'distribution', 'seed'],
    create: (c) => new VarianceScaling(c as VarianceScalingArgs),
  },
  {
    names: ['glorot_uniform', 'glorotUniform', 'GlorotUniform'],
    keys: SEED,
    create: (c) => new GlorotUniform(c as SeedArgs),
  },
  {
    names: ['glorot_normal', 'glorotNormal', 'GlorotNormal'],
    keys: SEED,
    create: (c) => new GlorotNormal(c as SeedArgs),
  },
  {
    names: ['he_uniform', 'heUniform', 'HeUniform'],
    keys: SEED,
    create: (c) => new HeUniform(c as SeedArgs),
  },
  {
    names: ['he_normal', 'heNormal', 'HeNormal'],
    keys: SEED,
    create: (c) => new HeNormal(c as SeedArgs),
  },
  {
    names: ['lecun_uniform', 'lecunUniform', 'LecunUniform'],
    keys: SEED,
    create: (c) => new LecunUniform(c as SeedArgs),
  },
  {
    names: ['lecun_normal', 'lecunNormal', 'LecunNormal'],
    keys: SEED,
    create: (c) => new LecunNormal(c as SeedArgs),
  },
  {
    names: ['orthogonal', 'Orthogonal'],
    keys: ['gain', 'seed'],
    create: (c) => new Orthogonal(c as OrthogonalArgs),
  },
] as const satisfies ReadonlyArray<BuiltinDefinition<Initializer>>;

/** Names of the built-in initializers: Keras snake_case names, camelCase aliases, class names. */
export type InitializerName = (typeof BUILTINS)[number]['names'][number];

/** A name given to `initializers.register` (built-in names still autocomplete). */
export type CustomInitializerName = string & Record<never, never>;

/** Serialized form of an initializer. */
export type SerializedInitializer = SerializedObject;

/** Everything `initializers.get` accepts. */
export type InitializerIdentifier =
  | InitializerName
  | CustomInitializerName
  | SerializedInitializer
  | Initializer;

/** The Keras names of the built-in initializers, in a fixed order. */
export const INITIALIZER_NAMES: readonly InitializerName[] = BUILTINS.map((b) => b.names[0]);

const registry = new ObjectRegistry<Initializer>({
  kind: 'initializer',
  namespace: 'initializers',
  isInstance: isInitializer,
  aliasHint:
    ' (camelCase and class names such as glorotUniform and GlorotUniform are accepted too)',
});
for (const definition of BUILTINS) registry.define(definition);

/** The initializer for a name (default arguments), a `{ className, config }`, or an instance (returned as is). */
export function get(identifier: InitializerIdentifier): Initializer {
  return registry.get(identifier);
}

/** `{ className, config }` of an initializer whose class is registered. */
export function serialize(initializer: Initializer): SerializedInitializer {
  return registry.serialize(initializer);
}

/** Rebuilds an initializer from `serialize` output or a name. */
export function deserialize(
  config: SerializedInitializer | InitializerName | CustomInitializerName,
): Initializer {
  return registry.deserialize(config);
}

/**
 * Registers a custom initializer class under its class name, so serialized models that
 * use it load back. A taken name is an error unless `{ override: true }`.
 *
 * ```ts
 * initializers.register('Halves', (config) => new Halves(config));
 * ```
 */
export function register(
  name: string,
  factory: ObjectFactory<Initializer>,
  options: RegisterOptions = {},
): void {
  registry.register(name, factory, options);
}

/** Every listed name: built-in Keras names, then registered ones. */
export function names(): string[] {
  return registry.names();
}
