/**
 * The optimizer contract. An optimizer holds only hyperparameters; its state (slots and the
 * iteration count) lives with the caller, so the trainer can keep it in shared memory,
 * shard the update across threads and checkpoint it.
 *
 * Update rules run over flat Float32Array ranges [start, end): each element is computed in
 * float64 from its own param, grad and slot values, then stored as float32. Nothing depends
 * on other elements, so [0, k) then [k, n) is bitwise the same as [0, n).
 */
import { received, ValueError } from '@tessera/core';
import { numberArg, POSITIVE } from '../registry/checks.js';
import { clipByNorm, decayExcept, excludePatterns, type VariableRange } from './per-variable.js';
import {
  isSchedule,
  type LearningRateSchedule,
  type SerializedSchedule,
  serializeSchedule,
} from './schedules.js';

/** Options every optimizer takes. */
export interface OptimizerArgs {
  /** A positive finite number, or a schedule giving the rate per step. */
  learningRate?: number | LearningRateSchedule;
  /**
   * Decoupled weight decay: before each update `w ← w - w · weightDecay · lr` (Keras's
   * `weight_decay`). Non-negative; null or absent for none.
   */
  weightDecay?: number | null;
  /** Clip every gradient element to [-clipvalue, clipvalue] (Keras's `clipvalue`); positive. */
  clipvalue?: number | null;
  /**
   * Scale the whole gradient so its global L2 norm is at most this (Keras's
   * `global_clipnorm`); positive. The norm is over the full gradient vector, not the slice
   * being updated: see `UpdateArgs.globalNorm`.
   */
  globalClipnorm?: number | null;
  /**
   * Scale each variable's gradient so its L2 norm is at most this (Keras's `clipnorm`);
   * positive. Needs `UpdateArgs.variables`. Not with clipvalue or globalClipnorm (as Keras).
   */
  clipnorm?: number | null;
  /**
   * Variables whose name matches one of these regular expressions get no weight decay
   * (Keras's `exclude_from_weight_decay(var_names=…)`), e.g. `['bias']`. Needs
   * `UpdateArgs.variables`.
   */
  excludeFromWeightDecay?: string[] | null;
}

/** Arguments of one in-place update. */
export interface UpdateArgs {
  /** Flat parameter vector; updated in place over [start, end). */
  params: Float32Array;
  /** Gradient of the loss w.r.t. `params`, same length. */
  grads: Float32Array;
  /** One array per `slotNames` entry, same length as `params`; updated in place. */
  slots: readonly Float32Array[];
  /** 1-based number of this update; the same for every slice of one step. */
  iteration: number;
  /** First index to update (default 0). */
  start?: number;
  /** One past the last index to update (default `params.length`). */
  end?: number;
  /**
   * L2 norm of the whole gradient, for `globalClipnorm`. A caller that updates slices of
   * a gradient it does not hold whole (each worker summing only its own part) computes
   * `sqrt(Σ partial sums of squares)` once per step and passes it to every slice; without
   * it the norm is taken over all of `grads` (the whole vector, not just [start, end)).
   */
  globalNorm?: number;
  /**
   * Where each variable lies in `params` (names and ranges), for `clipnorm` and
   * `excludeFromWeightDecay`; `model.fit` passes the trainable weights'.
   */
  variables?: readonly VariableRange[];
  /**
   * L2 norm of each variable's whole gradient, in `variables` order, for `clipnorm`. A
   * caller that holds only a slice of the gradient (each worker summing its own part)
   * passes the norms of the whole; without them each norm is taken over the variable's
   * range of `grads`.
   */
  variableNorms?: ArrayLike<number>;
}

/** The option keys every optimizer takes (each subclass adds its own). */
export const BASE_KEYS = [
  'learningRate',
  'weightDecay',
  'clipvalue',
  'globalClipnorm',
  'clipnorm',
  'excludeFromWeightDecay',
] as const;

/** What every update loop needs, checked once per call. */
export interface UpdateContext {
  /** First index. */
  start: number;
  /** One past the last index. */
  end: number;
  /** Learning rate of this iteration. */
  lr: number;
  /** `weightDecay · lr`, 0 without weight decay. */
  decay: number;
  /** The gradient to use over [start, end): `args.grads`, or a clipped copy of it. */
  grads: Float32Array;
}

/**
 * Base class of every optimizer. Subclasses declare `className`, `slotNames` and the update
 * loop. Slots always start at zero, so a caller may allocate them as zero-filled memory
 * (a fresh SharedArrayBuffer is) — see `createSlots`.
 *
 * ```ts
 * const opt = new Adam({ learningRate: 1e-3 });
 * const slots = createSlots(opt, params.length);
 * opt.applyUpdate({ params, grads, slots, iteration: 1 });
 * ```
 */
export abstract class Optimizer {
  /** Class name used by serialization: `'Adam'`, `'SGD'`, … */
  abstract readonly className: string;
  /** Names of per-parameter state arrays; each is as long as the flat parameter vector. */
  abstract readonly slotNames: readonly string[];
  /** Decoupled weight decay factor, or null for none. */
  readonly weightDecay: number | null;
  /** Elementwise gradient clip, or null for none. */
  readonly clipvalue: number | null;
  /** Bound on the global gradient norm, or null for none. */
  readonly globalClipnorm: number | null;
  /** Bound on each variable's gradient norm, or null for none. */
  readonly clipnorm: number | null;
  /** Patterns of variable names that get no weight decay, or null. */
  readonly excludeFromWeightDecay: readonly string[] | null;
  readonly #excluded: RegExp[] | null;
  /** Scratch for the clipped gradient (reused across steps). */
  #clipped: Float32Array | undefined;
  #learningRate: number | LearningRateSchedule;
  /** Name used in messages before subclass fields exist. */
  readonly #owner: string;

  protected constructor(owner: string, args: OptimizerArgs, defaultLearningRate: number) {
    this.#owner = owner;
    this.#learningRate = Optimizer.checkLearningRate(
      owner,
      args.learningRate ?? defaultLearningRate,
    );
    this.weightDecay =
      args.weightDecay === undefined || args.weightDecay === null
        ? null
        : numberArg(owner, 'weightDecay', args.weightDecay, 0, { min: 0 });
    this.clipvalue = optionalPositive(owner, 'clipvalue', args.clipvalue);
    this.globalClipnorm = optionalPositive(owner, 'globalClipnorm', args.globalClipnorm);
    this.clipnorm = optionalPositive(owner, 'clipnorm', args.clipnorm);
    if (this.clipnorm !== null && (this.clipvalue !== null || this.globalClipnorm !== null)) {
      throw new ValueError(
        `${owner}: only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      );
    }
    this.#excluded = excludePatterns(owner, args.excludeFromWeightDecay);
    this.excludeFromWeightDecay =
      this.#excluded === null ? null : [...(args.excludeFromWeightDecay as string[])];
  }

  /** True when an option needs `UpdateArgs.variables` (per-variable clipping or decay). */
  get perVariable(): boolean {
    return this.clipnorm !== null || (this.#excluded !== null && this.weightDecay !== null);
  }

  private static checkLearningRate(owner: string, value: unknown): number | LearningRateSchedule {
    if (isSchedule(value)) return value;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    throw new ValueError(
      received(
        `${owner}: learningRate must be a positive finite number or a LearningRateSchedule`,
        'learningRate',
        value,
      ),
    );
  }

  /** The learning rate: a number or a schedule. Settable (reduceLROnPlateau does). */
  get learningRate(): number | LearningRateSchedule {
    return this.#learningRate;
  }

  set learningRate(value: number | LearningRateSchedule) {
    this.#learningRate = Optimizer.checkLearningRate(this.#owner, value);
  }

  /** Learning rate used for the update numbered `iteration` (1-based). */
  learningRateAt(iteration: number): number {
    const lr = this.#learningRate;
    if (typeof lr === 'number') return lr;
    const value = lr.at(iteration - 1);
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new ValueError(
        `${this.#owner}: the learning-rate schedule ${lr.className} gave ${String(value)} at step ${iteration - 1}; expected a non-negative finite number`,
      );
    }
    return value;
  }

  /**
   * One update in place over [start, end) of flat float32 arrays. `iteration` is 1-based
   * and the same for every slice of one step. Elementwise only: applying over [0, k) and
   * [k, n) separately gives bitwise the same result as over [0, n).
   */
  abstract applyUpdate(args: UpdateArgs): void;

  /**
   * The fused kernel that can apply this optimizer's rule in place where the weights live
   * (the resident step's update phase), or null when only `applyUpdate` can. Only a rule
   * whose `applyUpdate` is the built-in one may answer other than null.
   */
  get fusedRule(): 'adam' | null {
    return null;
  }

  /** Checks the arguments of `applyUpdate` (O(number of slots)) and returns the loop bounds and rates. */
  protected prepare(args: UpdateArgs): UpdateContext {
    const { params, grads, slots, iteration } = args;
    if (!(params instanceof Float32Array) || !(grads instanceof Float32Array)) {
      this.fail('params and grads must be Float32Arrays', 'params', params);
    }
    const n = params.length;
    if (grads.length !== n) {
      this.fail(`grads must be as long as params (${n})`, 'grads.length', grads.length);
    }
    const names = this.slotNames;
    if (!Array.isArray(slots) || slots.length !== names.length) {
      this.fail(
        `expected ${names.length} slot arrays (${names.join(', ') || 'none'})`,
        'slots.length',
        Array.isArray(slots) ? slots.length : slots,
      );
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (!(slot instanceof Float32Array) || slot.length !== n) {
        this.fail(
          `slot '${names[i]}' must be a Float32Array as long as params (${n})`,
          `slots[${i}]`,
          slot,
        );
      }
    }
    if (!(Number.isInteger(iteration) && iteration >= 1)) {
      this.fail('iteration must be a positive integer (1-based)', 'iteration', iteration);
    }
    const start = args.start ?? 0;
    const end = args.end ?? n;
    if (
      !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= n)
    ) {
      this.fail(`expected integers 0 <= start <= end <= ${n}`, '[start, end]', [start, end]);
    }
    const lr = this.learningRateAt(iteration);
    let decay = this.weightDecay === null ? 0 : this.weightDecay * lr;
    const variables = this.perVariable ? this.variablesOf(args) : undefined;
    if (variables !== undefined && this.#excluded !== null && decay !== 0) {
      // Decay applied here, before the rule, on the variables not excluded (Keras applies
      // weight decay before the update too); the rule then runs without it.
      decayExcept(args.params, variables, this.#excluded, decay, start, end);
      decay = 0;
    }
    return { start, end, lr, decay, grads: this.clippedGrads(args, start, end, variables) };
  }

  /** `args.variables`, required by clipnorm and excludeFromWeightDecay. */
  private variablesOf(args: UpdateArgs): readonly VariableRange[] {
    const v = args.variables;
    if (!Array.isArray(v)) {
      this.fail(
        'clipnorm and excludeFromWeightDecay need the variable layout (args.variables)',
        'variables',
        v,
      );
    }
    return v;
  }

  /** `args.grads`, or (with clipping) a scratch copy clipped over [start, end). */
  private clippedGrads(
    args: UpdateArgs,
    start: number,
    end: number,
    variables: readonly VariableRange[] | undefined,
  ): Float32Array {
    const { grads } = args;
    if (this.clipnorm !== null && variables !== undefined) {
      if (this.#clipped === undefined || this.#clipped.length !== grads.length) {
        this.#clipped = new Float32Array(grads.length);
      }
      const norms = args.variableNorms;
      if (norms !== undefined && norms.length !== variables.length) {
        this.fail(
          `variableNorms needs one norm per variable (${variables.length})`,
          'variableNorms.length',
          norms.length,
        );
      }
      clipByNorm(grads, this.#clipped, variables, this.clipnorm, start, end, norms);
      return this.#clipped;
    }
    if (this.clipvalue === null && this.globalClipnorm === null) return grads;
    let scale = 1;
    if (this.globalClipnorm !== null) {
      let norm = args.globalNorm;
      if (norm === undefined) {
        let squares = 0;
        for (let i = 0; i < grads.length; i++) squares += grads[i]! * grads[i]!;
        norm = Math.sqrt(squares);
      } else if (!(Number.isFinite(norm) && norm >= 0)) {
        this.fail('globalNorm must be a non-negative finite number', 'globalNorm', norm);
      }
      if (norm > this.globalClipnorm) scale = this.globalClipnorm / norm;
    }
    const limit = this.clipvalue ?? Number.POSITIVE_INFINITY;
    if (this.#clipped === undefined || this.#clipped.length !== grads.length) {
      this.#clipped = new Float32Array(grads.length);
    }
    const out = this.#clipped;
    // Keras order: the global norm scaling first, then the elementwise clip.
    for (let i = start; i < end; i++) out[i] = Math.min(limit, Math.max(-limit, grads[i]! * scale));
    return out;
  }

  /** Throws the ValueError of a bad `applyUpdate` argument (messages built only on failure). */
  private fail(expected: string, name: string, value: unknown): never {
    throw new ValueError(received(`${this.className}.applyUpdate: ${expected}`, name, value));
  }

  /** Serializable options: `learningRate` as a number or `{ className, config }` of its schedule. */
  getConfig(): Record<string, unknown> {
    const lr = this.#learningRate;
    const learningRate: number | SerializedSchedule =
      typeof lr === 'number' ? lr : serializeSchedule(lr);
    const config: Record<string, unknown> = { learningRate, weightDecay: this.weightDecay };
    if (this.clipvalue !== null) config['clipvalue'] = this.clipvalue;
    if (this.globalClipnorm !== null) config['globalClipnorm'] = this.globalClipnorm;
    if (this.clipnorm !== null) config['clipnorm'] = this.clipnorm;
    if (this.excludeFromWeightDecay !== null)
      config['excludeFromWeightDecay'] = [...this.excludeFromWeightDecay];
    return config;
  }
}

/** Checks an option that must be a positive finite number (epsilon). */
export function positiveArg(owner: string, name: string, value: unknown, fallback: number): number {
  return numberArg(owner, name, value, fallback, POSITIVE);
}

/** An option that is absent (null) or a positive finite number. */
function optionalPositive(owner: string, name: string, value: unknown): number | null {
  return value === undefined || value === null ? null : numberArg(owner, name, value, 0, POSITIVE);
}
