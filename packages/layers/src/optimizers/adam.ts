/**
 * Adam and AdamW (Adam with decoupled weight decay), Keras 3's update rule.
 */
import { adamStep, received, ValueError } from '@tessera/core';
import { booleanArg, checkKeys, numberArg } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of Adam. */
export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first-moment average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v)` in the denominator; positive (default 1e-7). */
  epsilon?: number;
  /** Use the running maximum of `v` (AMSGrad) (default false). */
  amsgrad?: boolean;
}

const ADAM_KEYS = [...BASE_KEYS, 'beta1', 'beta2', 'epsilon', 'amsgrad'];

/**
 * Adam. At update t: `m ← m + (g - m)(1 - β1)`, `v ← v + (g² - v)(1 - β2)`,
 * `α = lr·sqrt(1 - β2^t) / (1 - β1^t)`, `w ← w - α·m / (sqrt(v) + ε)` (with AMSGrad,
 * `v̂ ← max(v̂, v)` replaces v in the last step). Default learning rate 0.001.
 *
 * ```ts
 * const opt = new Adam({ learningRate: 1e-3 }); // slotNames: ['m', 'v']
 * ```
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly slotNames: readonly string[];
  /** First-moment decay. */
  readonly beta1: number;
  /** Second-moment decay. */
  readonly beta2: number;
  /** Denominator fuzz. */
  readonly epsilon: number;
  /** Whether AMSGrad is on. */
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}) {
    // 'Adam' or 'AdamW' (or a user subclass) in messages.
    const owner = new.target.name;
    super(owner, args, 0.001);
    checkKeys(owner, args, ADAM_KEYS);
    this.beta1 = numberArg(owner, 'beta1', args.beta1, 0.9, {
      min: 0,
      max: 1,
      maxInclusive: false,
    });
    this.beta2 = numberArg(owner, 'beta2', args.beta2, 0.999, {
      min: 0,
      max: 1,
      maxInclusive: false,
    });
    this.epsilon = positiveArg(owner, 'epsilon', args.epsilon, 1e-7);
    this.amsgrad = booleanArg(owner, 'amsgrad', args.amsgrad, false);
    this.slotNames = this.amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'];
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const t = args.iteration;
    // Core's update loop (WebAssembly f64x2 or JavaScript, the same bits): per element in
    // float64, m and v first, then w - α·m / (sqrt(v or v̂) + ε), stored as float32.
    adamStep({
      params: args.params,
      grads,
      m: args.slots[0]!,
      v: args.slots[1]!,
      vhat: this.amsgrad ? args.slots[2]! : null,
      start,
      end,
      alpha: (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t),
      oneMinusBeta1: 1 - this.beta1,
      oneMinusBeta2: 1 - this.beta2,
      epsilon: this.epsilon,
      decay,
    });
  }

  /** Adam's kernel, unless a subclass changed the rule or gradients are clipped first. */
  override get fusedRule(): 'adam' | null {
    const plain = this.clipvalue === null && this.globalClipnorm === null && !this.perVariable;
    return plain && this.applyUpdate === Adam.prototype.applyUpdate ? 'adam' : null;
  }

  /**
   * Writes iteration `t`'s coefficients of the fused kernel (core's `adamSlots`) into
   * `out`: [alpha, 1 − β1, 1 − β2, ε, decay], the values `applyUpdate` passes to its loop.
   * Allocates nothing: the resident update phase calls it every step.
   */
  adamCoefficients(iteration: number, out: Float64Array): void {
    const lr = this.learningRateAt(iteration);
    out[0] = (lr * Math.sqrt(1 - this.beta2 ** iteration)) / (1 - this.beta1 ** iteration);
    out[1] = 1 - this.beta1;
    out[2] = 1 - this.beta2;
    out[3] = this.epsilon;
    out[4] = this.weightDecay === null ? 0 : this.weightDecay * lr;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

/** Options of AdamW: Adam's, with `weightDecay` defaulting to 0.004. */
export type AdamWArgs = AdamArgs;

/**
 * AdamW: Adam with decoupled weight decay `w ← w - w·weightDecay·lr` before each update
 * (Keras 3 default weightDecay 0.004, learning rate 0.001).
 *
 * ```ts
 * const opt = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(args: AdamWArgs = {}) {
    if (args.weightDecay === null) {
      throw new ValueError(
        received('AdamW: weightDecay must be a non-negative finite number', 'weightDecay', null),
      );
    }
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 });
  }
}
