/**
 * Adagrad, Keras 3's update rule.
 */
import { checkKeys, numberArg } from '../registry/checks.js';
import {
  BASE_KEYS,
  Optimizer,
  type OptimizerArgs,
  positiveArg,
  type UpdateArgs,
} from './optimizer.js';

/** Options of Adagrad. */
export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulator of squared gradients; non-negative (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added inside the square root; positive (default 1e-7). */
  epsilon?: number;
}

/**
 * Adagrad: `A ← A + g²`, `w ← w - lr·g / sqrt(A + ε)`, where A starts at
 * `initialAccumulatorValue`. Default learning rate 0.001.
 *
 * The slot `'accumulator'` holds the sum of squared gradients so far and
 * `initialAccumulatorValue` is added when it is read, so — like every optimizer's slots — it
 * starts at zero and zero-filled shared memory is a valid initial state.
 *
 * ```ts
 * const opt = new Adagrad({ learningRate: 0.01 }); // slotNames: ['accumulator']
 * ```
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly slotNames: readonly string[] = ['accumulator'];
  /** Starting value of the accumulator. */
  readonly initialAccumulatorValue: number;
  /** Denominator fuzz. */
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    const owner = 'Adagrad';
    super(owner, args, 0.001);
    checkKeys(owner, args, [...BASE_KEYS, 'initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = numberArg(
      owner,
      'initialAccumulatorValue',
      args.initialAccumulatorValue,
      0.1,
      { min: 0 },
    );
    this.epsilon = positiveArg(owner, 'epsilon', args.epsilon, 1e-7);
  }

  applyUpdate(args: UpdateArgs): void {
    const { start, end, lr, decay, grads } = this.prepare(args);
    const { params } = args;
    const sumOfSquares = args.slots[0]!;
    const offset = this.initialAccumulatorValue + this.epsilon;
    for (let i = start; i < end; i++) {
      let w = params[i]!;
      if (decay !== 0) w -= w * decay;
      const g = grads[i]!;
      const sum = sumOfSquares[i]! + g * g;
      sumOfSquares[i] = sum;
      params[i] = w - (lr * g) / Math.sqrt(sum + offset);
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}
