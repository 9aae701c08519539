/**
 * Norm constraints: max_norm, unit_norm, min_max_norm. Each rescales the slices of a weight
 * along `axis` (default 0: for a Dense kernel [in, out], the incoming weights of each unit),
 * with Keras's formulas and epsilon 1e-7.
 */

import type { Tensor } from '@tessera/core';
import { formatValue, tf, ValueError } from '@tessera/core';
import { numberArg } from '../registry/checks.js';
import type { Axis, Constraint } from './constraint.js';
import { checkAxis, EPSILON, norms } from './constraint.js';

/** Arguments of `MaxNorm`. */
export interface MaxNormArgs {
  /** Largest allowed norm, >= 0 (default 2). */
  maxValue?: number;
  /** Axis (or axes) the norm is taken over (default 0). */
  axis?: Axis;
}

/** Arguments of `UnitNorm`. */
export interface UnitNormArgs {
  /** Axis (or axes) the norm is taken over (default 0). */
  axis?: Axis;
}

/** Arguments of `MinMaxNorm`. */
export interface MinMaxNormArgs {
  /** Smallest allowed norm, >= 0 (default 0). */
  minValue?: number;
  /** Largest allowed norm, >= minValue (default 1). */
  maxValue?: number;
  /** How far to move toward the allowed range each time, in [0, 1]: 1 = all the way (default 1). */
  rate?: number;
  /** Axis (or axes) the norm is taken over (default 0). */
  axis?: Axis;
}

/** Scales slices whose norm exceeds `maxValue` down to it: `w · clip(n, 0, max) / (ε + n)`. */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  constructor(args: MaxNormArgs = {}) {
    this.maxValue = numberArg(this.className, 'maxValue', args.maxValue, 2, { min: 0 });
    this.axis = checkAxis(this.className, args.axis, 0);
  }

  apply(w: Tensor): Tensor {
    return tf.tidy(() => {
      const n = norms(this.className, w, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }

  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Scales every slice to norm 1: `w / (ε + n)`. */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;

  constructor(args: UnitNormArgs = {}) {
    this.axis = checkAxis(this.className, args.axis, 0);
  }

  apply(w: Tensor): Tensor {
    return tf.tidy(() => tf.div(w, tf.add(norms(this.className, w, this.axis), EPSILON)));
  }

  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * Moves every slice's norm toward [minValue, maxValue]:
 * `w · (rate · clip(n, min, max) + (1 − rate) · n) / (ε + n)`.
 */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  constructor(args: MinMaxNormArgs = {}) {
    this.minValue = numberArg(this.className, 'minValue', args.minValue, 0, { min: 0 });
    this.maxValue = numberArg(this.className, 'maxValue', args.maxValue, 1, { min: 0 });
    if (this.maxValue < this.minValue) {
      throw new ValueError(
        `${this.className}: maxValue must be >= minValue. Received: minValue=${formatValue(this.minValue)}, maxValue=${formatValue(this.maxValue)}`,
      );
    }
    this.rate = numberArg(this.className, 'rate', args.rate, 1, { min: 0 });
    if (this.rate > 1) {
      throw new ValueError(
        `${this.className}: rate must be in [0, 1]. Received: rate=${formatValue(this.rate)}`,
      );
    }
    this.axis = checkAxis(this.className, args.axis, 0);
  }

  apply(w: Tensor): Tensor {
    return tf.tidy(() => {
      const n = norms(this.className, w, this.axis);
      const clipped = tf.clipByValue(n, this.minValue, this.maxValue);
      const desired = tf.add(tf.mul(this.rate, clipped), tf.mul(1 - this.rate, n));
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }

  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
