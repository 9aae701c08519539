/**
 * The regularizer registry. As in Keras, the strings 'l1', 'l2' and 'l1_l2' mean factors
 * of 0.01 (for 'l1_l2' both); class names and `{ className, config }` are accepted too.
 *
 * ```ts
 * regularizers.get('l2');                                        // L2 { l2: 0.01 }
 * regularizers.get({ className: 'L1L2', config: { l1: 0.001, l2: 0.01 } });
 * ```
 */
import type { BuiltinDefinition, SerializedObject } from '../registry/object-registry.js';
import { builtinClass, ObjectRegistry } from '../registry/object-registry.js';
import type { L1L2Args } from './l1-l2.js';
import { DEFAULT_FACTOR, L1, L1L2, L2 } from './l1-l2.js';
import type { Regularizer } from './regularizer.js';
import { isRegularizer } from './regularizer.js';

/** 'l1_l2' as tf.keras reads the string: 0.01 for both factors (the class L1L2 defaults to 0). */
const L1_L2_STRING = {
  names: ['l1_l2', 'l1L2', 'l1l2'],
  keys: ['l1', 'l2'],
  create: (c) => new L1L2({ l1: DEFAULT_FACTOR, l2: DEFAULT_FACTOR, ...(c as L1L2Args) }),
} as const satisfies BuiltinDefinition<Regularizer>;

/** Built-in regularizers: Keras name first, then aliases and the class name. */
const BUILTINS = [
  builtinClass(['l1', 'L1'], ['l1'], L1),
  builtinClass(['l2', 'L2'], ['l2'], L2),
  L1_L2_STRING,
  builtinClass(['L1L2'], ['l1', 'l2'], L1L2),
] as const;

/** Names of the built-in regularizers: Keras names, camelCase aliases, class names. */
export type RegularizerName = (typeof BUILTINS)[number]['names'][number];

/** A name given to `regularizers.register` (built-in names still autocomplete). */
export type CustomRegularizerName = string & Record<never, never>;

/** Serialized form of a regularizer. */
export type SerializedRegularizer = SerializedObject;

/** Everything `regularizers.get` accepts. */
export type RegularizerIdentifier =
  | RegularizerName
  | CustomRegularizerName
  | SerializedRegularizer
  | Regularizer;

/** The Keras names of the built-in regularizers (the class L1L2 is listed by its class name). */
export const REGULARIZER_NAMES: readonly RegularizerName[] = BUILTINS.map((b) => b.names[0]);

const registry = new ObjectRegistry<Regularizer>({
  kind: 'regularizer',
  namespace: 'regularizers',
  isInstance: isRegularizer,
  aliasHint: ' (class names L1, L2, L1L2 are accepted too)',
  builtins: BUILTINS,
});

/**
 * `regularizers.get / serialize / deserialize / register / names`: resolve a name, a
 * `{ className, config }` or an instance; serialize an instance whose class is registered;
 * register a custom class under its class name (a taken name is an error unless
 * `{ override: true }`); list the names.
 */
export const { get, serialize, deserialize, register, names } = registry.functions<
  RegularizerIdentifier,
  RegularizerName
>();
