/**
 * Small helpers the built-in layers share: optional registry objects (null/undefined
 * mean none, as in saved configs), their serialized form, and argument checks.
 */
import { received, ValueError } from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import { type Constraint, constraints } from '../constraints/index.js';
import type { ActivationArg, ConstraintArg, RegularizerArg } from '../engine/identifiers.js';
import { inContext } from '../engine/in-context.js';
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

/** A finite number (optionally within bounds), else ValueError naming the argument. */
export function checkNumber(
  value: unknown,
  owner: string,
  name: string,
  rule: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.min === undefined || (rule.minExclusive ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || (rule.maxExclusive ? value < rule.max : value <= rule.max));
  if (!ok) {
    const lo = rule.min === undefined ? '' : `${rule.minExclusive ? '>' : '≥'} ${rule.min}`;
    const hi = rule.max === undefined ? '' : `${rule.maxExclusive ? '<' : '≤'} ${rule.max}`;
    const range = [lo, hi].filter((s) => s !== '').join(' and ');
    throw new ValueError(
      received(`${owner}: ${name} must be a finite number${range ? ` ${range}` : ''}`, name, value),
    );
  }
  return value;
}

/** A positive integer, else ValueError naming the argument. */
export function checkPositiveInt(value: unknown, owner: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(received(`${owner}: ${name} must be a positive integer`, name, value));
  }
  return value;
}

/** Rejects a missing or non-object args argument with a clear message. */
export function checkArgs<T>(args: T, owner: string, expected: string): T {
  if (args === null || typeof args !== 'object') {
    throw new ValueError(
      received(`${owner}: expected an options object ${expected}`, 'args', args),
    );
  }
  return args;
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
