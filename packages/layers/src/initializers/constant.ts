/**
 * Deterministic initializers: zeros, ones, constant(value). They take the stream argument
 * like every initializer and never draw from it.
 */

import type { RngStream, Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import { numberArg } from '../registry/checks.js';
import type { Initializer } from './initializer.js';
import { checkShape } from './initializer.js';

/** All zeros (the Keras default bias initializer). */
export class Zeros implements Initializer {
  readonly className = 'Zeros';

  generate(shape: number[], _rng?: RngStream): Tensor {
    return tf.zeros(checkShape(this.className, shape), 'float32');
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** All ones. */
export class Ones implements Initializer {
  readonly className = 'Ones';

  generate(shape: number[], _rng?: RngStream): Tensor {
    return tf.ones(checkShape(this.className, shape), 'float32');
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Arguments of `Constant`. */
export interface ConstantArgs {
  /** The value of every element (default 0). */
  value?: number;
}

/**
 * Every element set to `value`.
 *
 * ```ts
 * initializers.constant({ value: 0.1 }).generate([3], rng); // [0.1, 0.1, 0.1]
 * ```
 */
export class Constant implements Initializer {
  readonly className = 'Constant';
  /** The value of every element. */
  readonly value: number;

  constructor(args: ConstantArgs = {}) {
    this.value = numberArg(this.className, 'value', args.value, 0);
  }

  generate(shape: number[], _rng?: RngStream): Tensor {
    return tf.fill(checkShape(this.className, shape), this.value, 'float32');
  }

  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}
