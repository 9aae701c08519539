/**
 * Adadelta: per-parameter step sizes from running averages of squared gradients and
 * squared updates, Keras 3's rule.
 */
import { checkKeys, numberArg } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of Adadelta. */
export interface AdadeltaArgs extends OptimizerArgs {
  /** Decay of both running averages, in [0, 1] (default 0.95). */
  rho?: number;
  /** Added inside both square roots; positive (default 1e-7). */
  epsilon?: number;
}

/**
 * Adadelta. `a ← ρa + (1-ρ)g²`, `Δ = -sqrt(d + ε) / sqrt(a + ε) · g`,
 * `d ← ρd + (1-ρ)Δ²`, `w ← w + lr·Δ`. Default learning rate 0.001 (Keras 3).
 *
 * ```ts
 * const opt = new Adadelta({ learningRate: 1 }); // slotNames: ['accumulatedGrad', 'accumulatedDelta']
 * ```
 */
export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly slotNames = ['accumulatedGrad', 'accumulatedDelta'] as const;
  /** Decay of the running averages. */
  readonly rho: number;
  /** Fuzz inside the square roots. */
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super('Adadelta', args, 0.001);
    checkKeys('Adadelta', args, [...BASE_KEYS, 'rho', 'epsilon']);
    this.rho = numberArg('Adadelta', 'rho', args.rho, 0.95, { min: 0, max: 1 });
    this.epsilon = positiveArg('Adadelta', 'epsilon', args.epsilon, 1e-7);
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    const accGrad = args.slots[0]!;
    const accDelta = args.slots[1]!;
    const rho = this.rho;
    const eps = this.epsilon;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      const a = rho * accGrad[i]! + (1 - rho) * g * g;
      const delta = (-Math.sqrt(accDelta[i]! + eps) / Math.sqrt(a + eps)) * g;
      accGrad[i] = a;
      accDelta[i] = rho * accDelta[i]! + (1 - rho) * delta * delta;
      params[i] = w + lr * delta;
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
