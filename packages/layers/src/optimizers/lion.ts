/**
 * Lion (evolved sign momentum), Keras 3's rule.
 */
import { checkKeys, numberArg } from '../registry/checks.js';
import { BASE_KEYS, Optimizer, type OptimizerArgs, type UpdateArgs } from './optimizer.js';

/** Options of Lion. */
export interface LionArgs extends OptimizerArgs {
  /** Weight of the momentum in the update direction, in (0, 1] (default 0.9). */
  beta1?: number;
  /** Decay of the momentum, in [0, 1] (default 0.99). */
  beta2?: number;
}

/**
 * Lion. `w ← w - lr·sign(β1·m + (1-β1)·g)`, then `m ← β2·m + (1-β2)·g`. Default learning
 * rate 0.001; usually run 3-10× smaller than Adam's.
 *
 * ```ts
 * const opt = new Lion({ learningRate: 1e-4 }); // slotNames: ['momentum']
 * ```
 */
export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly slotNames = ['momentum'] as const;
  /** Momentum weight in the direction. */
  readonly beta1: number;
  /** Momentum decay. */
  readonly beta2: number;

  constructor(args: LionArgs = {}) {
    super('Lion', args, 0.001);
    checkKeys('Lion', args, [...BASE_KEYS, 'beta1', 'beta2']);
    // beta1 = 0 would make Lion sign SGD (Keras refuses it too).
    this.beta1 = numberArg('Lion', 'beta1', args.beta1, 0.9, {
      min: 0,
      minInclusive: false,
      max: 1,
    });
    this.beta2 = numberArg('Lion', 'beta2', args.beta2, 0.99, { min: 0, max: 1 });
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    const m = args.slots[0]!;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      params[i] = w - lr * Math.sign(this.beta1 * m[i]! + (1 - this.beta1) * g);
      m[i] = this.beta2 * m[i]! + (1 - this.beta2) * g;
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
