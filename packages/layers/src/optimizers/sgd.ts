/**
 * Stochastic gradient descent with optional (Nesterov) momentum, Keras 3's update rule.
 */
import { booleanArg, checkKeys, numberArg } from '../registry/checks.js';
import { BASE_KEYS, Optimizer, type OptimizerArgs, type UpdateArgs } from './optimizer.js';

/** Options of SGD. */
export interface SGDArgs extends OptimizerArgs {
  /** Momentum factor in [0, 1] (default 0: plain gradient descent, no slot). */
  momentum?: number;
  /** Use Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * SGD. Without momentum: `w ← w - lr·g`. With momentum μ: `v ← μ·v - lr·g`, then
 * `w ← w + v`, or with Nesterov `w ← w + μ·v - lr·g`. Default learning rate 0.01.
 *
 * ```ts
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly slotNames: readonly string[];
  /** Momentum factor. */
  readonly momentum: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super('SGD', args, 0.01);
    checkKeys('SGD', args, [...BASE_KEYS, 'momentum', 'nesterov']);
    this.momentum = numberArg('SGD', 'momentum', args.momentum, 0, { min: 0, max: 1 });
    this.nesterov = booleanArg('SGD', 'nesterov', args.nesterov, false);
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    if (this.momentum === 0) {
      for (let i = start; i < end; i++) {
        let w = params[i]!;
        if (decay !== 0) w -= w * decay;
        params[i] = w - lr * grads[i]!;
      }
      return;
    }
    const velocity = args.slots[0]!;
    const mu = this.momentum;
    const nesterov = this.nesterov;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const step = lr * grads[i]!;
      const v = mu * velocity[i]! - step;
      velocity[i] = v;
      params[i] = nesterov ? w + (mu * v - step) : w + v;
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
