/**
 * The configured tfjs-core namespace: one copy of tfjs-core with every gradient
 * registered and the cpu backend active, ready to use right after import.
 *
 * ```ts
 * import { tf } from '@tessera/core';
 * const [dx] = tf.grads((x: tf.Tensor) => tf.relu(x))([tf.tensor([-1, 2])]);
 * ```
 */
import * as tfjs from '../vendor/tfjs.js';

function activateCpu(): void {
  if (tfjs.getBackend() !== 'cpu') {
    // The cpu backend initialises synchronously, so the promise is already settled.
    void tfjs.setBackend('cpu');
  }
  // The cpu backend prints a hint about tfjs-node on first use; we are the fast path.
  const backend = tfjs.backend() as unknown as { firstUse?: boolean };
  backend.firstUse = false;
}

activateCpu();

export type { DataType, Rank, Tensor, TensorLike, Variable } from '../vendor/tfjs.js';
export { tfjs as tf };

/** Resolves once the cpu backend is active. Importing `tf` already does this; kept for symmetry with async backends. */
export async function ready(): Promise<void> {
  activateCpu();
  await tfjs.ready();
}
