/**
 * The constraint registry: Keras names, camelCase aliases and class names → constraints.
 *
 * ```ts
 * constraints.get('max_norm');                                          // MaxNorm { maxValue: 2, axis: 0 }
 * constraints.get({ className: 'MinMaxNorm', config: { maxValue: 3 } });
 * ```
 */
import type { SerializedObject } from '../registry/object-registry.js';
import { builtinClass, ObjectRegistry } from '../registry/object-registry.js';
import type { Constraint } from './constraint.js';
import { isConstraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';

/** Built-in constraints: Keras name first, then aliases and the class name. */
const BUILTINS = [
  builtinClass(['max_norm', 'maxNorm', 'MaxNorm'], ['maxValue', 'axis'], MaxNorm),
  builtinClass(['non_neg', 'nonNeg', 'NonNeg'], [], NonNeg),
  builtinClass(['unit_norm', 'unitNorm', 'UnitNorm'], ['axis'], UnitNorm),
  builtinClass(
    ['min_max_norm', 'minMaxNorm', 'MinMaxNorm'],
    ['minValue', 'maxValue', 'rate', 'axis'],
    MinMaxNorm,
  ),
] as const;

/** Names of the built-in constraints: Keras names, camelCase aliases, class names. */
export type ConstraintName = (typeof BUILTINS)[number]['names'][number];

/** A name given to `constraints.register` (built-in names still autocomplete). */
export type CustomConstraintName = string & Record<never, never>;

/** Serialized form of a constraint. */
export type SerializedConstraint = SerializedObject;

/** Everything `constraints.get` accepts. */
export type ConstraintIdentifier =
  | ConstraintName
  | CustomConstraintName
  | SerializedConstraint
  | Constraint;

/** The Keras names of the built-in constraints. */
export const CONSTRAINT_NAMES: readonly ConstraintName[] = BUILTINS.map((b) => b.names[0]);

const registry = new ObjectRegistry<Constraint>({
  kind: 'constraint',
  namespace: 'constraints',
  isInstance: isConstraint,
  aliasHint: ' (camelCase and class names such as maxNorm and MaxNorm are accepted too)',
  builtins: BUILTINS,
});

/**
 * `constraints.get / serialize / deserialize / register / names`: resolve a name, a
 * `{ className, config }` or an instance; serialize an instance whose class is registered;
 * register a custom class under its class name (a taken name is an error unless
 * `{ override: true }`); list the names.
 */
export const { get, serialize, deserialize, register, names } = registry.functions<
  ConstraintIdentifier,
  ConstraintName
>();
