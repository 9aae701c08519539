/**
 * The one vocabulary of argument checks, shared by every kind: initializers, regularizers,
 * constraints, activations, layers, losses, metrics, optimizers, schedules and callbacks.
 * Each throws a ValueError in the Keras form:
 * `Adam: beta1 must be a number in [0, 1). Received: beta1=1`.
 */
import { received, ValueError } from '@tessera/core';

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws when `args` has a key outside `allowed` (catches typos such as `learning_rate`). */
export function checkKeys(owner: string, args: object, allowed: readonly string[]): void {
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      const expected =
        allowed.length === 0 ? 'takes no arguments' : `expected one of ${allowed.join(', ')}`;
      throw new ValueError(received(`${owner}: unknown argument; ${expected}`, 'key', key));
    }
  }
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

/** Bounds of a numeric argument. */
export interface NumberRange {
  /** Smallest allowed value. */
  min?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
  /** Largest allowed value. */
  max?: number;
  /** Whether `max` itself is allowed (default true). */
  maxInclusive?: boolean;
  /** Only integers allowed. */
  integer?: boolean;
}

/** Strictly positive. */
export const POSITIVE: NumberRange = { min: 0, minInclusive: false };
/** Zero or more. */
export const NON_NEGATIVE: NumberRange = { min: 0 };
/** A probability-like rate in [0, 1). */
export const UNIT_RATE: NumberRange = { min: 0, max: 1, maxInclusive: false };

function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'an integer' : 'a number';
  const { min, max } = range;
  const lo = range.minInclusive === false ? '(' : '[';
  const hi = range.maxInclusive === false ? ')' : ']';
  if (min !== undefined && max !== undefined) return `${kind} in ${lo}${min}, ${max}${hi}`;
  if (min !== undefined) {
    if (min === 0 && range.minInclusive === false)
      return range.integer ? 'a positive integer' : 'a positive finite number';
    if (min === 0) return range.integer ? 'a non-negative integer' : 'a non-negative finite number';
    return `${kind} ${range.minInclusive === false ? '>' : '>='} ${min}`;
  }
  if (max !== undefined) return `${kind} ${range.maxInclusive === false ? '<' : '<='} ${max}`;
  return range.integer ? 'an integer' : 'a finite number';
}

/** True when `value` is a finite number inside `range`. */
export function inRange(value: unknown, range: NumberRange): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.integer && !Number.isInteger(value)) return false;
  const { min, max } = range;
  if (min !== undefined && (range.minInclusive === false ? value <= min : value < min))
    return false;
  if (max !== undefined && (range.maxInclusive === false ? value >= max : value > max))
    return false;
  return true;
}

/** Message for a number outside its range, for callers that check inline. */
export function rangeMessage(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange,
): string {
  return received(`${owner}: ${name} must be ${describeRange(range)}`, name, value);
}

/** A finite number inside `range` (any finite number by default); required. */
export function requireNumber(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange = {},
): number {
  if (!inRange(value, range)) throw new ValueError(rangeMessage(owner, name, value, range));
  return value;
}

/** A finite number inside `range`; `undefined` gives the default. */
export function numberArg(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  range: NumberRange = {},
): number {
  return value === undefined ? fallback : requireNumber(owner, name, value, range);
}

/** A positive integer (units, pieces, k); required. */
export function positiveIntArg(owner: string, name: string, value: unknown): number {
  return requireNumber(owner, name, value, { min: 0, minInclusive: false, integer: true });
}

/** A boolean option; `undefined` gives the default. */
export function booleanArg(
  owner: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ValueError(received(`${owner}: ${name} must be a boolean`, name, value));
  return value;
}

/** A seed: an integer in [0, 2^32), or undefined (null, as Keras writes it, counts as none). */
export function seedArg(owner: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ValueError(
      received(`${owner}: seed must be an integer in [0, 2^32) or null`, 'seed', value),
    );
  }
  return value;
}

/** `value` when it is one of `choices`, `fallback` when undefined; a ValueError otherwise. */
export function choiceArg<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ValueError(
      received(`${owner}: ${name} must be one of ${choices.join(', ')}`, name, value),
    );
  }
  return value as T;
}
