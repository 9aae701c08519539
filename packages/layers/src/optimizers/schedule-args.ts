/**
 * The argument checks every learning-rate schedule shares: a required number in a range and
 * a valid step.
 */
import { received, ValueError } from '@tessera/core';
import { inRange, type NumberRange, rangeMessage } from '../registry/checks.js';

/** A required number inside `range` (a ValueError in the Keras form otherwise). */
export function requiredNumber(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange,
): number {
  if (!inRange(value, range)) throw new ValueError(rangeMessage(owner, name, value, range));
  return value;
}

/** Throws unless `step` is a non-negative finite number. */
export function checkStep(owner: string, step: number): void {
  if (!(typeof step === 'number' && step >= 0 && Number.isFinite(step))) {
    throw new ValueError(
      received(`${owner}: step must be a non-negative finite number`, 'step', step),
    );
  }
}

/** A boolean option; undefined gives false. */
export function flagArg(owner: string, name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ValueError(received(`${owner}: ${name} must be a boolean`, name, value));
  }
  return value ?? false;
}
