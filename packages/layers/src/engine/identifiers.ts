/**
 * What users may pass where a registry object is expected: the argument types of each
 * registry's `get`, so layers accept exactly what the registries resolve.
 */
import type { activations } from '../activations/index.js';
import type { constraints } from '../constraints/index.js';
import type { initializers } from '../initializers/index.js';
import type { regularizers } from '../regularizers/index.js';

/** A Keras activation name ('relu', 'softmax', …), a function, or undefined/null (linear). */
export type ActivationArg = Parameters<typeof activations.get>[0];
/** An initializer name ('glorot_uniform'), `{ className, config }`, or an Initializer. */
export type InitializerArg = Parameters<typeof initializers.get>[0];
/** A regularizer name ('l2'), `{ className, config }`, or a Regularizer. */
export type RegularizerArg = Parameters<typeof regularizers.get>[0];
/** A constraint name ('max_norm'), `{ className, config }`, or a Constraint. */
export type ConstraintArg = Parameters<typeof constraints.get>[0];
