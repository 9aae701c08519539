/**
 * The Keras weight penalties: L1 (`l1·Σ|x|`), L2 (`l2·Σx²`) and L1L2 (their sum).
 * Factors must be finite and >= 0.
 */

import type { Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import { numberArg } from '../registry/checks.js';
import type { Regularizer } from './regularizer.js';

/** The Keras default factor of the 'l1' and 'l2' string identifiers and of `l1()`/`l2()`. */
export const DEFAULT_FACTOR = 0.01;

/** `factor · Σ|x|`, a new scalar (call inside `tf.tidy`). */
function l1Penalty(factor: number, x: Tensor): Tensor {
  return tf.mul(factor, tf.sum(tf.abs(x)));
}

/** `factor · Σx²`, a new scalar (call inside `tf.tidy`). */
function l2Penalty(factor: number, x: Tensor): Tensor {
  return tf.mul(factor, tf.sum(tf.square(x)));
}

/** Arguments of `L1`. */
export interface L1Args {
  /** Factor of Σ|x|, finite and >= 0 (default 0.01). */
  l1?: number;
}

/** Arguments of `L2`. */
export interface L2Args {
  /** Factor of Σx², finite and >= 0 (default 0.01). */
  l2?: number;
}

/** Arguments of `L1L2`. */
export interface L1L2Args {
  /** Factor of Σ|x|, finite and >= 0 (default 0, as the Keras class; `regularizers.l1l2()` uses 0.01). */
  l1?: number;
  /** Factor of Σx², finite and >= 0 (default 0, as the Keras class; `regularizers.l1l2()` uses 0.01). */
  l2?: number;
}

/** `l1 · Σ|x|`. */
export class L1 implements Regularizer {
  readonly className = 'L1';
  readonly l1: number;

  constructor(args: L1Args = {}) {
    this.l1 = numberArg(this.className, 'l1', args.l1, DEFAULT_FACTOR, { min: 0 });
  }

  apply(x: Tensor): Tensor {
    return tf.tidy(() => l1Penalty(this.l1, x));
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** `l2 · Σx²`. */
export class L2 implements Regularizer {
  readonly className = 'L2';
  readonly l2: number;

  constructor(args: L2Args = {}) {
    this.l2 = numberArg(this.className, 'l2', args.l2, DEFAULT_FACTOR, { min: 0 });
  }

  apply(x: Tensor): Tensor {
    return tf.tidy(() => l2Penalty(this.l2, x));
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** `l1 · Σ|x| + l2 · Σx²`. */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: L1L2Args = {}) {
    this.l1 = numberArg(this.className, 'l1', args.l1, 0, { min: 0 });
    this.l2 = numberArg(this.className, 'l2', args.l2, 0, { min: 0 });
  }

  apply(x: Tensor): Tensor {
    return tf.tidy(() => tf.add(l1Penalty(this.l1, x), l2Penalty(this.l2, x)));
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}
