/**
 * Keras's other learning-rate schedules: piecewise constant, polynomial (linear by default)
 * and inverse-time decay. Each maps the number of updates already applied to a rate, as
 * `ExponentialDecay` does (see schedules.ts).
 *
 * ```ts
 * schedules.piecewiseConstantDecay({ boundaries: [1000, 2000], values: [0.1, 0.01, 0.001] });
 * schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 1000, endLearningRate: 0.001 });
 * schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * ```
 */
import { received, ValueError } from '@tessera/core';
import { checkKeys, numberArg } from '../registry/checks.js';
import {
  checkStep,
  decayStepsArg,
  flagArg,
  initialRateArg,
  requiredNumber,
} from './schedule-args.js';
import type { LearningRateSchedule } from './schedules.js';

/** Options of the piecewise constant schedule. */
export interface PiecewiseConstantDecayArgs {
  /** Increasing step numbers where the rate changes. */
  boundaries: number[];
  /** One rate more than boundaries: `values[i]` up to and including `boundaries[i]`. */
  values: number[];
}

/**
 * `values[0]` while `step ≤ boundaries[0]`, `values[i]` while
 * `boundaries[i-1] < step ≤ boundaries[i]`, the last value after the last boundary.
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(args: PiecewiseConstantDecayArgs) {
    const owner = 'PiecewiseConstantDecay';
    checkKeys(owner, args, ['boundaries', 'values']);
    const { boundaries, values } = args;
    if (!Array.isArray(boundaries) || !boundaries.every((b) => Number.isFinite(b))) {
      throw new ValueError(
        received(`${owner}: boundaries must be a list of numbers`, 'boundaries', boundaries),
      );
    }
    if (boundaries.some((b, i) => i > 0 && b <= (boundaries[i - 1] as number))) {
      throw new ValueError(
        received(`${owner}: boundaries must increase`, 'boundaries', boundaries),
      );
    }
    if (!Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new ValueError(
        received(
          `${owner}: values needs one rate more than boundaries (${boundaries.length + 1})`,
          'values',
          values,
        ),
      );
    }
    this.boundaries = [...boundaries];
    this.values = values.map((v, i) => requiredNumber(owner, `values[${i}]`, v, { min: 0 }));
  }

  at(step: number): number {
    checkStep(this.className, step);
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i] as number;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

/** Options of the polynomial decay schedule. */
export interface PolynomialDecayArgs {
  /** Rate at step 0. Non-negative. */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate`. Positive. */
  decaySteps: number;
  /** Rate reached after `decaySteps` (default 1e-4, Keras's). Non-negative. */
  endLearningRate?: number;
  /** Exponent of the decay; 1 is linear (default 1). Positive. */
  power?: number;
  /** Start over with a longer period after `decaySteps` instead of staying at the end rate. */
  cycle?: boolean;
}

/**
 * `(initial − end)·(1 − s / d)^power + end` with `s = min(step, decaySteps)` and
 * `d = decaySteps`; with `cycle`, `d` is the first multiple of `decaySteps` ≥ step instead.
 */
export class PolynomialDecay implements LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  constructor(args: PolynomialDecayArgs) {
    const owner = 'PolynomialDecay';
    checkKeys(owner, args, [
      'initialLearningRate',
      'decaySteps',
      'endLearningRate',
      'power',
      'cycle',
    ]);
    this.initialLearningRate = initialRateArg(owner, args.initialLearningRate);
    this.decaySteps = decayStepsArg(owner, args.decaySteps);
    this.endLearningRate = numberArg(owner, 'endLearningRate', args.endLearningRate, 1e-4, {
      min: 0,
    });
    this.power = numberArg(owner, 'power', args.power, 1, { min: 0, minInclusive: false });
    this.cycle = flagArg(owner, 'cycle', args.cycle);
  }

  at(step: number): number {
    checkStep(this.className, step);
    let s = step;
    let d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    const remaining = (1 - s / d) ** this.power;
    return (this.initialLearningRate - this.endLearningRate) * remaining + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
    };
  }
}

/** Options of the inverse-time decay schedule. */
export interface InverseTimeDecayArgs {
  /** Rate at step 0. Non-negative. */
  initialLearningRate: number;
  /** Steps per unit of `step / decaySteps`. Positive. */
  decaySteps: number;
  /** Weight of that ratio in the denominator. Non-negative. */
  decayRate: number;
  /** Floor `step / decaySteps` (default false). */
  staircase?: boolean;
}

/** `initial / (1 + decayRate · step / decaySteps)`, the ratio floored with `staircase`. */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: InverseTimeDecayArgs) {
    const owner = 'InverseTimeDecay';
    checkKeys(owner, args, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = initialRateArg(owner, args.initialLearningRate);
    this.decaySteps = decayStepsArg(owner, args.decaySteps);
    this.decayRate = requiredNumber(owner, 'decayRate', args.decayRate, { min: 0 });
    this.staircase = flagArg(owner, 'staircase', args.staircase);
  }

  at(step: number): number {
    checkStep(this.className, step);
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

/** A piecewise constant schedule. */
export function piecewiseConstantDecay(args: PiecewiseConstantDecayArgs): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(args);
}

/** A polynomial (by default linear) decay schedule. */
export function polynomialDecay(args: PolynomialDecayArgs): PolynomialDecay {
  return new PolynomialDecay(args);
}

/** An inverse-time decay schedule. */
export function inverseTimeDecay(args: InverseTimeDecayArgs): InverseTimeDecay {
  return new InverseTimeDecay(args);
}
