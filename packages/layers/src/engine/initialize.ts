/**
 * Seeded (re)initialisation of weights: each weight, in Keras order, draws fresh values
 * from its own initializer and the given stream. Models with a `seed` use this so that
 * their weights do not depend on what else the process created before them.
 */
import { Rng, type RngStream, received, tf, ValueError } from '@tessera/core';
import type { Weight } from './layer-weight.js';

/** The weight-initialisation stream of a model seed. */
export function initStreamFor(seed: number): RngStream {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ValueError(received('Model: seed must be an integer in [0, 2^32)', 'seed', seed));
  }
  return new Rng(seed).stream('init');
}

/** Overwrites each weight with values from its initializer drawn from `stream`. */
export function initializeWeights(weights: readonly Weight[], stream: RngStream): void {
  for (const w of weights) {
    const values = tf.tidy(() => w.initializer.generate(w.shape, stream));
    w.write(values);
    values.dispose();
  }
}
