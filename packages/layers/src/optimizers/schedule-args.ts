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

/** A decay's `initialLearningRate`: a required non-negative number. */
export function initialRateArg(owner: string, value: unknown): number {
  return requiredNumber(owner, 'initialLearningRate', value, { min: 0 });
}

/** A decay's `decaySteps`: a required positive number. */
export function decayStepsArg(owner: string, value: unknown): number {
  return requiredNumber(owner, 'decaySteps', value, { min: 0, minInclusive: false });
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
