/**
 * The constraint registry: Keras names, camelCase aliases and class names → constraints.
 *
 * ```ts
 * constraints.get('max_norm');                                          // MaxNorm { maxValue: 2, axis: 0 }
 * constraints.get({ className: 'MinMaxNorm', config: { maxValue: 3 } });
 * ```
 */
import type { RegisterOptions } from '../activations/name-table.js';
import type {
  BuiltinDefinition,
  ObjectFactory,
  SerializedObject,
} from '../initializers/object-registry.js';
import { ObjectRegistry } from '../initializers/object-registry.js';
import type { Constraint } from './constraint.js';
import { isConstraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import type { MaxNormArgs, MinMaxNormArgs, UnitNormArgs } from './norm-constraints.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';

/** Built-in constraints: Keras name first, then aliases and the class name. */
const BUILTINS = [
  {
    names: ['max_norm', 'maxNorm', 'MaxNorm'],
    keys: ['maxValue', 'axis'],
    create: (c) => new MaxNorm(c as MaxNormArgs),
  },
  { names: ['non_neg', 'nonNeg', 'NonNeg'], keys: [], create: () => new NonNeg() },
  {
    names: ['unit_norm', 'unitNorm', 'UnitNorm'],
    keys: ['axis'],
    create: (c) => new UnitNorm(c as UnitNormArgs),
  },
  {
    names: ['min_max_norm', 'minMaxNorm', 'MinMaxNorm'],
    keys: ['minValue', 'maxValue', 'rate', 'axis'],
    create: (c) => new MinMaxNorm(c as MinMaxNormArgs),
  },
] as const satisfies ReadonlyArray<BuiltinDefinition<Constraint>>;

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
});
for (const definition of BUILTINS) registry.define(definition);

/** The constraint for a name (default arguments), a `{ className, config }`, or an instance (returned as is). */
export function get(identifier: ConstraintIdentifier): Constraint {
  return registry.get(identifier);
}

/** `{ className, config }` of a constraint whose class is registered. */
export function serialize(constraint: Constraint): SerializedConstraint {
  return registry.serialize(constraint);
}

/** Rebuilds a constraint from `serialize` output or a name. */
export function deserialize(
  config: SerializedConstraint | ConstraintName | CustomConstraintName,
): Constraint {
  return registry.deserialize(config);
}

/**
 * Registers a custom constraint class under its class name, so serialized models that use
 * it load back. A taken name is an error unless `{ override: true }`.
 */
export function register(
  name: string,
  factory: ObjectFactory<Constraint>,
  options: RegisterOptions = {},
): void {
  registry.register(name, factory, options);
}

/** Every listed name: built-ins, then registered ones. */
export function names(): string[] {
  return registry.names();
}
