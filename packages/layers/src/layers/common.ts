/**
 * Small helpers the built-in layers share: optional registry objects (null/undefined
 * mean none, as in saved configs) and their serialized form. Argument checks live in
 * registry/checks.ts.
 */
import { ShapeError } from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import { type Constraint, constraints } from '../constraints/index.js';
import type { ActivationArg, ConstraintArg, RegularizerArg } from '../engine/identifiers.js';
import { inContext } from '../engine/in-context.js';
import type { Shape } from '../engine/shape.js';
import { initializers } from '../initializers/index.js';
import { type Regularizer, regularizers } from '../regularizers/index.js';

/** A regularizer, or undefined for none (null and undefined both mean none). */
export function optionalRegularizer(
  arg: RegularizerArg | null | undefined,
  where: string,
): Regularizer | undefined {
  return arg === undefined || arg === null
    ? undefined
    : inContext(where, () => regularizers.get(arg));
}

/** A constraint, or undefined for none. */
export function optionalConstraint(
  arg: ConstraintArg | null | undefined,
  where: string,
): Constraint | undefined {
  return arg === undefined || arg === null
    ? undefined
    : inContext(where, () => constraints.get(arg));
}

/** `{ className, config }` or null, for configs. */
export function serializeRegularizer(r: Regularizer | undefined): unknown {
  return r === undefined ? null : regularizers.serialize(r);
}

/** `{ className, config }` or null, for configs. */
export function serializeConstraint(c: Constraint | undefined): unknown {
  return c === undefined ? null : constraints.serialize(c);
}

/** Resolves an activation argument (a bad name fails here, naming it). */
export function resolveActivation(arg: ActivationArg, owner: string): ActivationFn {
  return inContext(owner, () => activations.get(arg));
}

/** The registered name of an activation, or the function's own name for display. */
export function activationLabel(fn: ActivationFn): string {
  try {
    return activations.serialize(fn);
  } catch {
    return fn.name || 'custom';
  }
}

/** Resolves an optional initializer argument with its default. */
export function initializerOr(
  arg: Parameters<typeof initializers.get>[0] | undefined,
  fallback: string,
  where: string,
): ReturnType<typeof initializers.get> {
  return inContext(where, () =>
    initializers.get(arg ?? (fallback as Parameters<typeof initializers.get>[0])),
  );
}

/**
 * A per-feature layer's `axis` as a positive index for inputs of `rank` (negative counts
 * from the end; the batch axis is not a feature axis). `owner` names the layer in errors,
 * e.g. `Normalization "normalization_1"`.
 */
export function featureAxis(owner: string, axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  if (a <= 0 || a >= rank) {
    throw new ShapeError(
      `${owner}: axis ${axis} is not a feature axis of rank-${rank} inputs. Received: axis=${axis}`,
    );
  }
  return a;
}

/**
 * The shape an activation gives for an input of `shape`: the same, except glu, which
 * halves the last axis (the gate is the second half).
 */
export function activationOutputShape(fn: ActivationFn, shape: Shape): Shape {
  if (activations.serialize(fn) !== 'glu' || shape.length === 0) return shape;
  const last = shape[shape.length - 1];
  return [...shape.slice(0, -1), last === null || last === undefined ? null : last / 2];
}
