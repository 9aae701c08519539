/**
 * Validation of constructor arguments and serialized configs, shared by initializers,
 * regularizers, constraints and the options of parametric activations. Messages follow the
 * Keras form: `RandomNormal: stddev must be a finite number >= 0. Received: stddev=-1`.
 */
import { received, ValueError } from '@tessera/core';

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws when `config` has a key outside `allowed` (catches typos in hand-written configs). */
export function checkKeys(
  owner: string,
  config: Record<string, unknown>,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      const expected =
        allowed.length === 0 ? 'takes no config keys' : `config keys are ${allowed.join(', ')}`;
      throw new ValueError(received(`${owner}: unknown config key; ${expected}`, 'key', key));
    }
  }
}

/** Bounds a numeric argument must respect. */
export interface NumberRule {
  /** Lower bound. */
  min?: number;
  /** Whether the lower bound itself is excluded (default false: `>= min`). */
  exclusive?: boolean;
}

/** `value` checked to be a finite number within `rule`; `fallback` when undefined. */
export function numberArg(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  rule: NumberRule = {},
): number {
  if (value === undefined) return fallback;
  const { min, exclusive = false } = rule;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined || (exclusive ? value > min : value >= min));
  if (!ok) {
    const bound = min === undefined ? '' : ` ${exclusive ? '>' : '>='} ${min}`;
    throw new ValueError(
      received(`${owner}: ${name} must be a finite number${bound}`, name, value),
    );
  }
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
