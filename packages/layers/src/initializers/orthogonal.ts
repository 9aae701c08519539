/**
 * The orthogonal initializer: a random orthogonal matrix (Saxe et al., 2014) scaled by
 * `gain`, computed as in Keras from the QR decomposition of a normal matrix.
 */

import type { RngStream, Tensor } from '@tessera/core';
import { received, tf, ValueError } from '@tessera/core';
import { numberArg, seedArg } from '../registry/checks.js';
import type { Initializer } from './initializer.js';
import { checkShape, sizeOf, streamFor } from './initializer.js';
import { householderQr } from './qr.js';

/** Arguments of `Orthogonal`. */
export interface OrthogonalArgs {
  /** Multiplies the orthogonal matrix (default 1). */
  gain?: number;
  /** Own seed: every `generate` then gives the same values, whatever stream it is passed. */
  seed?: number;
}

/**
 * A weight of shape [...rows, cols] flattened to rows×cols: orthonormal columns when
 * rows >= cols (Wᵀ·W = gain²·I), orthonormal rows otherwise (W·Wᵀ = gain²·I).
 *
 * Draws a max(rows, cols)×min(rows, cols) standard normal matrix A (row-major, one
 * `normal()` per element), takes A = Q·R and flips the signs of Q's columns so R's diagonal
 * is positive — which makes Q uniformly distributed over orthogonal matrices — then
 * transposes Q when the weight is wide.
 */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | undefined;

  constructor(args: OrthogonalArgs = {}) {
    this.gain = numberArg(this.className, 'gain', args.gain, 1);
    this.seed = seedArg(this.className, args.seed);
  }

  generate(shape: number[], rng: RngStream): Tensor {
    const dims = checkShape(this.className, shape);
    if (dims.length < 2) {
      throw new ValueError(
        received(`${this.className}: the shape must have at least 2 dimensions`, 'shape', dims),
      );
    }
    const cols = dims[dims.length - 1]!;
    const rows = sizeOf(dims.slice(0, -1));
    if (rows * cols === 0) return tf.zeros(dims, 'float32');
    const stream = streamFor(this.className, this.seed, rng);
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = new Float64Array(m * n);
    for (let i = 0; i < a.length; i++) a[i] = stream.normal();
    const { q, r } = householderQr(a, m, n);
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const sign = r[j * n + j]! < 0 ? -1 : 1;
        const value = this.gain * sign * q[i * n + j]!;
        // Tall: out is Q (m×n = rows×cols). Wide: out is Qᵀ (n×m = rows×cols).
        out[rows >= cols ? i * cols + j : j * cols + i] = value;
      }
    }
    return tf.tensor(out, dims, 'float32');
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}
