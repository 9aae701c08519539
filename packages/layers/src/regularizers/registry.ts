/**
 * The regularizer registry. As in Keras, the strings 'l1', 'l2' and 'l1_l2' mean factors
 * of 0.01 (for 'l1_l2' both); class names and `{ className, config }` are accepted too.
 *
 * ```ts
 * regularizers.get('l2');                                        // L2 { l2: 0.01 }
 * regularizers.get({ className: 'L1L2', config: { l1: 0.001, l2: 0.01 } });
 * ```
 */
import type { RegisterOptions } from '../activations/name-table.js';
import type {
  BuiltinDefinition,
  ObjectFactory,
  SerializedObject,
} from '../initializers/object-registry.js';
import { ObjectRegistry } from '../initializers/object-registry.js';
import type { L1Args, L1L2Args, L2Args } from './l1-l2.js';
import { DEFAULT_FACTOR, L1, L1L2, L2 } from './l1-l2.js';
import type { Regularizer } from './regularizer.js';
import { isRegularizer } from './regularizer.js';

/** Built-in regularizers: Keras name first, then aliases and the class name. */
const BUILTINS = [
  { names: ['l1', 'L1'], keys: ['l1'], create: (c) => new L1(c as L1Args) },
  { names: ['l2', 'L2'], keys: ['l2'], create: (c) => new L2(c as L2Args) },
  {
    names: ['l1_l2', 'l1L2', 'l1l2'],
    keys: ['l1', 'l2'],
    // The string 'l1_l2' means 0.01 for both factors (tf.keras); the class L1L2 defaults to 0.
    create: (c) => new L1L2({ l1: DEFAULT_FACTOR, l2: DEFAULT_FACTOR, ...(c as L1L2Args) }),
  },
  { names: ['L1L2'], keys: ['l1', 'l2'], create: (c) => new L1L2(c as L1L2Args) },
] as const satisfies ReadonlyArray<BuiltinDefinition<Regularizer>>;

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
});
for (const definition of BUILTINS) registry.define(definition);

/** The regularizer for a name, a `{ className, config }`, or an instance (returned as is). */
export function get(identifier: RegularizerIdentifier): Regularizer {
  return registry.get(identifier);
}

/** `{ className, config }` of a regularizer whose class is registered. */
export function serialize(regularizer: Regularizer): SerializedRegularizer {
  return registry.serialize(regularizer);
}

/** Rebuilds a regularizer from `serialize` output or a name. */
export function deserialize(
  config: SerializedRegularizer | RegularizerName | CustomRegularizerName,
): Regularizer {
  return registry.deserialize(config);
}

/**
 * Registers a custom regularizer class under its class name, so serialized models that
 * use it load back. A taken name is an error unless `{ override: true }`.
 */
export function register(
  name: string,
  factory: ObjectFactory<Regularizer>,
  options: RegisterOptions = {},
): void {
  registry.register(name, factory, options);
}

/** Every listed name: built-ins, then registered ones. */
export function names(): string[] {
  return registry.names();
}
