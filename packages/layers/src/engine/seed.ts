/**
 * Where random numbers come from when the user gives no seed.
 *
 * Weight initialisation, dropout masks and shuffling all draw from core's seeded `Rng`.
 * A model built with `seed` (`sequential(layers, { seed: 42 })`, `model({ …, seed: 42 })`)
 * initialises its weights from its own stream, so it is the same in every process.
 * Without one, weights come from the process-wide generator below, seeded with
 * `DEFAULT_SEED` at start-up: runs are still reproducible, and `setGlobalSeed(n)` changes
 * them. `fit` without `seed` draws its seed from the same generator.
 */
import { Rng, type RngStream } from '@tessera/core';

/** Seed of the process-wide generator until `setGlobalSeed` is called. */
export const DEFAULT_SEED = 1337;

let globalRng = new Rng(DEFAULT_SEED);

/** Re-seeds the process-wide generator used by models and layers without their own seed. */
export function setGlobalSeed(seed: number): void {
  globalRng = new Rng(seed);
}

/** A named stream of the process-wide generator ('init', 'dropout', 'fit'). */
export function globalStream(name: 'init' | 'dropout' | 'fit'): RngStream {
  return globalRng.stream(name);
}

/** A fresh 32-bit seed drawn from the process-wide generator. */
export function drawSeed(): number {
  return globalStream('fit').nextUint32();
}
