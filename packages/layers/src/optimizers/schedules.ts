/**
 * Learning-rate schedules (Keras's `keras.optimizers.schedules`): a schedule maps the number
 * of updates already applied to a learning rate, and can stand wherever a learning rate does.
 */
import { received, ValueError } from '@tessera/core';
import { checkKeys, numberArg } from '../registry/checks.js';
import { checkName, NameTable, type RegisterOptions } from '../registry/name-table.js';
import {
  InverseTimeDecay,
  type InverseTimeDecayArgs,
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayArgs,
  PolynomialDecay,
  type PolynomialDecayArgs,
} from './decay-schedules.js';
import {
  checkStep,
  decayStepsArg,
  flagArg,
  initialRateArg,
  requiredNumber,
} from './schedule-args.js';

/**
 * A learning rate that changes with training progress.
 *
 * ```ts
 * const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr.at(0);   // 0.1 — the rate of the first update
 * lr.at(100); // 0.05
 * new Adam({ learningRate: lr });
 * ```
 */
export interface LearningRateSchedule {
  /** Class name used by serialization, e.g. `'ExponentialDecay'`. */
  readonly className: string;
  /**
   * Learning rate after `step` updates have been applied (Keras's `optimizer.iterations`):
   * `at(0)` is the rate of the first update. `Optimizer.learningRateAt(iteration)` calls
   * `at(iteration - 1)`.
   */
  at(step: number): number;
  /** Plain JSON options with camelCase keys. */
  getConfig(): Record<string, unknown>;
}

/** Serialized schedule: class name plus config. */
export interface SerializedSchedule {
  /** `'ExponentialDecay'`, `'CosineDecay'`, … or a registered name. */
  className: string;
  /** Options of the schedule. */
  config: Record<string, unknown>;
}

/** Options of the exponential decay schedule. */
export interface ExponentialDecayArgs {
  /** Rate at step 0. Non-negative. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once. Positive. */
  decaySteps: number;
  /** Factor applied every `decaySteps` steps. Positive. */
  decayRate: number;
  /** Decay in whole periods (`floor(step / decaySteps)`) instead of continuously (default false). */
  staircase?: boolean;
}

/**
 * `initialLearningRate · decayRate ^ (step / decaySteps)`, the exponent floored when
 * `staircase` is set.
 *
 * ```ts
 * exponentialDecay({ initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.96, staircase: true });
 * ```
 */
export class ExponentialDecay implements LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  /** Rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps per decay period. */
  readonly decaySteps: number;
  /** Factor per period. */
  readonly decayRate: number;
  /** Whether the exponent is floored. */
  readonly staircase: boolean;

  constructor(args: ExponentialDecayArgs) {
    const owner = 'ExponentialDecay';
    checkKeys(owner, args, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = initialRateArg(owner, args.initialLearningRate);
    this.decaySteps = decayStepsArg(owner, args.decaySteps);
    this.decayRate = requiredNumber(owner, 'decayRate', args.decayRate, {
      min: 0,
      minInclusive: false,
    });
    this.staircase = flagArg(owner, 'staircase', args.staircase);
  }

  at(step: number): number {
    checkStep(this.className, step);
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
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

/** Options of the cosine decay schedule. */
export interface CosineDecayArgs {
  /** Rate at step 0 (the start of the warmup when there is one). Non-negative. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup). Positive. */
  decaySteps: number;
  /** Floor of the decay as a fraction of the rate it decays from, in [0, 1] (default 0). */
  alpha?: number;
  /** Rate reached at the end of a linear warmup; null or absent for no warmup. */
  warmupTarget?: number | null;
  /** Steps of the linear warmup from `initialLearningRate` to `warmupTarget` (default 0). */
  warmupSteps?: number;
}

/**
 * Cosine decay (SGDR without restarts): `lr0 · ((1 - alpha) · ½(1 + cos(π · s / decaySteps)) + alpha)`
 * with `s = min(step, decaySteps)`; with a warmup, a linear ramp to `warmupTarget` over
 * `warmupSteps` first, then the decay from `warmupTarget`.
 *
 * ```ts
 * cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.01 });
 * ```
 */
export class CosineDecay implements LearningRateSchedule {
  readonly className = 'CosineDecay';
  /** Rate at step 0. */
  readonly initialLearningRate: number;
  /** Steps of the decay. */
  readonly decaySteps: number;
  /** Floor fraction. */
  readonly alpha: number;
  /** Rate at the end of the warmup, or null. */
  readonly warmupTarget: number | null;
  /** Steps of the warmup. */
  readonly warmupSteps: number;

  constructor(args: CosineDecayArgs) {
    const owner = 'CosineDecay';
    checkKeys(owner, args, [
      'initialLearningRate',
      'decaySteps',
      'alpha',
      'warmupTarget',
      'warmupSteps',
    ]);
    this.initialLearningRate = initialRateArg(owner, args.initialLearningRate);
    this.decaySteps = decayStepsArg(owner, args.decaySteps);
    this.alpha = numberArg(owner, 'alpha', args.alpha, 0, { min: 0, max: 1 });
    this.warmupTarget =
      args.warmupTarget === undefined || args.warmupTarget === null
        ? null
        : requiredNumber(owner, 'warmupTarget', args.warmupTarget, { min: 0 });
    this.warmupSteps = numberArg(owner, 'warmupSteps', args.warmupSteps, 0, { min: 0 });
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  at(step: number): number {
    checkStep(this.className, step);
    if (this.warmupTarget === null) {
      return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    }
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      const fraction = s / this.warmupSteps;
      return (this.warmupTarget - this.initialLearningRate) * fraction + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

/** An exponential decay schedule. */
export function exponentialDecay(args: ExponentialDecayArgs): ExponentialDecay {
  return new ExponentialDecay(args);
}

/** A cosine decay schedule (optionally with a linear warmup). */
export function cosineDecay(args: CosineDecayArgs): CosineDecay {
  return new CosineDecay(args);
}

type ScheduleFactory = (config: Record<string, unknown>) => LearningRateSchedule;

/** Every schedule by className: the registries' one table (registry/name-table.ts). */
const table = new NameTable<ScheduleFactory>({
  kind: 'learning-rate schedule',
  receivedAs: 'className',
});
table.add(['ExponentialDecay'], (c) => new ExponentialDecay(c as unknown as ExponentialDecayArgs));
table.add(['CosineDecay'], (c) => new CosineDecay(c as unknown as CosineDecayArgs));
table.add(
  ['PiecewiseConstantDecay'],
  (c) => new PiecewiseConstantDecay(c as unknown as PiecewiseConstantDecayArgs),
);
table.add(['PolynomialDecay'], (c) => new PolynomialDecay(c as unknown as PolynomialDecayArgs));
table.add(['InverseTimeDecay'], (c) => new InverseTimeDecay(c as unknown as InverseTimeDecayArgs));

/** True for an object with `at` and `getConfig` methods and a `className`. */
export function isSchedule(x: unknown): x is LearningRateSchedule {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as LearningRateSchedule).at === 'function' &&
    typeof (x as LearningRateSchedule).getConfig === 'function' &&
    typeof (x as LearningRateSchedule).className === 'string'
  );
}

/** `{ className, config }` of a schedule (a custom one must be registered to load again). */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return { className: schedule.className, config: schedule.getConfig() };
}

/** Builds a schedule from `{ className, config }`. */
export function deserializeSchedule(config: SerializedSchedule): LearningRateSchedule {
  if (typeof config !== 'object' || config === null || typeof config.className !== 'string') {
    throw new ValueError(
      received('A serialized schedule must be { className, config }', 'config', config),
    );
  }
  const factory = table.get(config.className);
  return factory(config.config ?? {});
}

/**
 * Registers a custom schedule class under its `className`, so configs can refer to it. A
 * name already registered needs `{ override: true }` (the rule of every registry).
 */
export function registerSchedule(
  className: string,
  factory: ScheduleFactory,
  options: RegisterOptions = {},
): void {
  if (typeof factory !== 'function') {
    throw new ValueError(
      received(
        'schedules.register: factory must be a function (config) => schedule',
        'factory',
        factory,
      ),
    );
  }
  table.add([checkName('learning-rate schedule', className)], factory, options);
}
