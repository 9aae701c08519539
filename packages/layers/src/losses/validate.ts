/**
 * Argument checks for losses, metrics, optimizers and schedules. Each throws a ValueError
 * in the Keras form: `Adam: beta1 must be a number in [0, 1). Received: beta1=1`.
 */
import { received, ValueError } from '@tessera/core';

/** Throws if `args` has a key outside `allowed` (catches typos such as `learning_rate`). */
export function checkKeys(owner: string, args: object, allowed: readonly string[]): void {
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new ValueError(
        received(`${owner}: unknown argument; expected one of ${allowed.join(', ')}`, 'key', key),
      );
    }
  }
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

/** Bounds of a numeric option. */
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

/** A finite number inside `range`; `undefined` gives the default. */
export function numberArg(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  range: NumberRange,
): number {
  if (value === undefined) return fallback;
  if (!inRange(value, range)) {
    throw new ValueError(
      received(`${owner}: ${name} must be ${describeRange(range)}`, name, value),
    );
  }
  return value;
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
