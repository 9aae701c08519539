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

import type { SerializedObject } from '../registry/object-registry.js';
import { builtinClass, ObjectRegistry } from '../registry/object-registry.js';
import { Constant, Ones, Zeros } from './constant.js';
import type { Initializer } from './initializer.js';
import { isInitializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

/** Config keys of RandomNormal and TruncatedNormal. */
const NORMAL = ['mean', 'stddev', 'seed'];
/** Config keys of the variance-scaling presets. */
const SEED = ['seed'];

/** Built-in initializers: Keras name first, then aliases and the class name. */
const BUILTINS = [
  builtinClass(['zeros', 'zero', 'Zeros'], [], Zeros),
  builtinClass(['ones', 'one', 'Ones'], [], Ones),
  builtinClass(['constant', 'Constant'], ['value'], Constant),
  builtinClass(['random_normal', 'randomNormal', 'normal', 'RandomNormal'], NORMAL, RandomNormal),
  builtinClass(
    ['random_uniform', 'randomUniform', 'uniform', 'RandomUniform'],
    ['minval', 'maxval', 'seed'],
    RandomUniform,
  ),
  builtinClass(['truncated_normal', 'truncatedNormal', 'TruncatedNormal'], NORMAL, TruncatedNormal),
  builtinClass(
    ['variance_scaling', 'varianceScaling', 'VarianceScaling'],
    ['scale', 'mode', 'distribution', 'seed'],
    VarianceScaling,
  ),
  builtinClass(['glorot_uniform', 'glorotUniform', 'GlorotUniform'], SEED, GlorotUniform),
  builtinClass(['glorot_normal', 'glorotNormal', 'GlorotNormal'], SEED, GlorotNormal),
  builtinClass(['he_uniform', 'heUniform', 'HeUniform'], SEED, HeUniform),
  builtinClass(['he_normal', 'heNormal', 'HeNormal'], SEED, HeNormal),
  builtinClass(['lecun_uniform', 'lecunUniform', 'LecunUniform'], SEED, LecunUniform),
  builtinClass(['lecun_normal', 'lecunNormal', 'LecunNormal'], SEED, LecunNormal),
  builtinClass(['orthogonal', 'Orthogonal'], ['gain', 'seed'], Orthogonal),
] as const;

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
  builtins: BUILTINS,
});

/**
 * `initializers.get / serialize / deserialize / register / names`: resolve a name, a
 * `{ className, config }` or an instance; serialize an instance whose class is registered;
 * register a custom class under its class name (a taken name is an error unless
 * `{ override: true }`); list the names.
 */
export const { get, serialize, deserialize, register, names } = registry.functions<
  InitializerIdentifier,
  InitializerName
>();
