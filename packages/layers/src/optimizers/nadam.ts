/**
 * Nadam: Adam with Nesterov momentum and Keras's momentum schedule, Keras 3's rule.
 */
import { checkKeys, numberArg, UNIT_RATE } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of Nadam. */
export interface NadamArgs extends OptimizerArgs {
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to `sqrt(v̂)` in the denominator; positive (default 1e-7). */
  epsilon?: number;
}

/**
 * Nadam, as Keras 3 computes it. With `μ_t = β1(1 - 0.5·0.96^t)` (Keras 2 and the paper used
 * 0.96^(0.004·t)) and `Π_t = μ_1⋯μ_t`: m and v as in Adam,
 * `m̂ = μ_{t+1}·m / (1 - Π_{t+1}) + (1 - μ_t)·g / (1 - Π_t)`, `v̂ = v / (1 - β2^t)`,
 * `w ← w - lr·m̂ / (sqrt(v̂) + ε)`. Π_t depends only on t, so it is recomputed from the
 * iteration (cached), never kept as state: every slice of a step agrees.
 *
 * ```ts
 * const opt = new Nadam({ learningRate: 1e-3 }); // slotNames: ['m', 'v']
 * ```
 */
export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly slotNames = ['m', 'v'] as const;
  /** First-moment decay. */
  readonly beta1: number;
  /** Second-moment decay. */
  readonly beta2: number;
  /** Denominator fuzz. */
  readonly epsilon: number;
  #product = { t: 0, value: 1 };

  constructor(args: NadamArgs = {}) {
    super('Nadam', args, 0.001);
    checkKeys('Nadam', args, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon']);
    this.beta1 = numberArg('Nadam', 'beta1', args.beta1, 0.9, UNIT_RATE);
    this.beta2 = numberArg('Nadam', 'beta2', args.beta2, 0.999, UNIT_RATE);
    this.epsilon = positiveArg('Nadam', 'epsilon', args.epsilon, 1e-7);
  }

  /** μ_t, the scheduled momentum of update t. */
  private momentumAt(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  /** Π_t = μ_1⋯μ_t, extended from the last one computed (or restarted from 1). */
  private productTo(t: number): number {
    if (this.#product.t > t) this.#product = { t: 0, value: 1 };
    let { t: k, value } = this.#product;
    while (k < t) {
      k += 1;
      value *= this.momentumAt(k);
    }
    this.#product = { t: k, value };
    return value;
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    const m = args.slots[0]!;
    const v = args.slots[1]!;
    const t = args.iteration;
    const mu = this.momentumAt(t);
    const muNext = this.momentumAt(t + 1);
    const product = this.productTo(t);
    const productNext = product * muNext;
    const secondCorrection = 1 - this.beta2 ** t;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      const mi = m[i]! + (g - m[i]!) * (1 - this.beta1);
      const vi = v[i]! + (g * g - v[i]!) * (1 - this.beta2);
      m[i] = mi;
      v[i] = vi;
      const mHat = (muNext * mi) / (1 - productNext) + ((1 - mu) * g) / (1 - product);
      const vHat = vi / secondCorrection;
      params[i] = w - (lr * mHat) / (Math.sqrt(vHat) + this.epsilon);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
