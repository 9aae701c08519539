/** Validation of the numeric options of parametric activations (`elu`'s alpha, …). */
import { received, ValueError } from '@tessera/core';

/** `value` when it is a finite number, `fallback` when undefined; a ValueError otherwise. */
export function finiteOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(received(`${owner}: ${name} must be a finite number`, name, value));
  }
  return value;
}

/** Reads an options argument that may be absent; anything but an object counts as absent. */
export function optionsOf<T extends object>(options: T | undefined): Partial<T> {
  return typeof options === 'object' && options !== null ? options : {};
}
