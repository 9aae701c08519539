/**
 * Adamax: Adam with the infinity norm in place of the second moment, Keras 3's rule.
 */
import { checkKeys, numberArg, UNIT_RATE } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of Adamax. */
export interface AdamaxArgs extends OptimizerArgs {
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the norm in the denominator; positive (default 1e-7). */
  epsilon?: number;
}

/**
 * Adamax. At update t: `m ← m + (g - m)(1 - β1)`, `u ← max(β2·u, |g|)`,
 * `w ← w - lr·m / ((1 - β1^t)(u + ε))`. Default learning rate 0.001.
 *
 * ```ts
 * const opt = new Adamax({ learningRate: 2e-3 }); // slotNames: ['m', 'u']
 * ```
 */
export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly slotNames = ['m', 'u'] as const;
  /** First-moment decay. */
  readonly beta1: number;
  /** Infinity-norm decay. */
  readonly beta2: number;
  /** Denominator fuzz. */
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super('Adamax', args, 0.001);
    checkKeys('Adamax', args, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon']);
    this.beta1 = numberArg('Adamax', 'beta1', args.beta1, 0.9, UNIT_RATE);
    this.beta2 = numberArg('Adamax', 'beta2', args.beta2, 0.999, UNIT_RATE);
    this.epsilon = positiveArg('Adamax', 'epsilon', args.epsilon, 1e-7);
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    const m = args.slots[0]!;
    const u = args.slots[1]!;
    const rate = lr / (1 - this.beta1 ** args.iteration);
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      const mi = m[i]! + (g - m[i]!) * (1 - this.beta1);
      const ui = Math.max(this.beta2 * u[i]!, Math.abs(g));
      m[i] = mi;
      u[i] = ui;
      params[i] = w - (rate * mi) / (ui + this.epsilon);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
