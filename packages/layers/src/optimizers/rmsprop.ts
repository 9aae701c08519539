/**
 * RMSprop (optionally centered, optionally with momentum), Keras 3's update rule.
 */
import { booleanArg, checkKeys, numberArg } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of RMSprop. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the mean of squared gradients, in [0, 1) (default 0.9). */
  rho?: number;
  /** Momentum factor in [0, 1] (default 0: no momentum slot). */
  momentum?: number;
  /** Added inside the square root; positive (default 1e-7). */
  epsilon?: number;
  /** Divide by the estimated variance instead of the raw second moment (default false). */
  centered?: boolean;
}

/**
 * RMSprop: `s ← ρ·s + (1 - ρ)·g²`; centered also `ḡ ← ρ·ḡ + (1 - ρ)·g` and the denominator
 * `sqrt(s - ḡ² + ε)` instead of `sqrt(s + ε)`; `Δ = lr·g / denominator`; with momentum μ
 * `u ← μ·u + Δ`, `w ← w - u`, else `w ← w - Δ`. Default learning rate 0.001.
 *
 * ```ts
 * const opt = new RMSprop({ learningRate: 1e-3, centered: true }); // slotNames: ['velocity', 'averageGradient']
 * ```
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly slotNames: readonly string[];
  /** Decay of the averages. */
  readonly rho: number;
  /** Momentum factor. */
  readonly momentum: number;
  /** Denominator fuzz. */
  readonly epsilon: number;
  /** Whether the second moment is centered. */
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    const owner = 'RMSprop';
    super(owner, args, 0.001);
    checkKeys(owner, args, [...BASE_KEYS, 'rho', 'momentum', 'epsilon', 'centered']);
    this.rho = numberArg(owner, 'rho', args.rho, 0.9, { min: 0, max: 1, maxInclusive: false });
    this.momentum = numberArg(owner, 'momentum', args.momentum, 0, { min: 0, max: 1 });
    this.epsilon = positiveArg(owner, 'epsilon', args.epsilon, 1e-7);
    this.centered = booleanArg(owner, 'centered', args.centered, false);
    const names = ['velocity'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('averageGradient');
    this.slotNames = names;
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params, slots } = args;
    const velocity = slots[0]!;
    const hasMomentum = this.momentum > 0;
    // Slot order follows slotNames: velocity, then momentum if any, then averageGradient.
    const momentum = hasMomentum ? slots[1]! : velocity;
    const average = this.centered ? slots[hasMomentum ? 2 : 1]! : velocity;
    const rho = this.rho;
    const oneMinusRho = 1 - rho;
    const mu = this.momentum;
    const eps = this.epsilon;
    const centered = this.centered;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      const s = rho * velocity[i]! + oneMinusRho * g * g;
      velocity[i] = s;
      let denominator: number;
      if (centered) {
        const a = rho * average[i]! + oneMinusRho * g;
        average[i] = a;
        denominator = s - a * a + eps;
      } else {
        denominator = s + eps;
      }
      const increment = (lr * g) / Math.sqrt(denominator);
      if (hasMomentum) {
        const u = mu * momentum[i]! + increment;
        momentum[i] = u;
        params[i] = w - u;
      } else {
        params[i] = w - increment;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
