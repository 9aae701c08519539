/**
 * The parity harness of the data-parallel features (issue: "N workers still equal 1"): a
 * model trains in-process with `model.fit`, then with the trainer's `fit` on 1, 2 and 4
 * workers, and every run must end with the same weights (moving statistics included),
 * within `tolerance` relative; the same worker count run twice gives the same bits; and
 * the workers hold as many tensors after the last epoch as after the second, and the main
 * thread as many after `fit` as before (no leak).
 */
import { type Tensor, tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { FitArgs, History, Model } from '@tessera/layers';
import { expect } from 'vitest';
import { fit } from '../fit.js';
import type { TrainingHistory } from '../history.js';
import type { FitOptions } from '../options.js';
import { bitwiseEqual, weightsOf } from './fixtures.js';

export interface ParityCase {
  /** A new model, compiled, with the same initial weights every time. */
  make: () => Model;
  data: Dataset;
  /** Options of both fits (epochs ≥ 3, so the leak check sees two epochs apart). */
  epochs: number;
  batchSize: number;
  seed: number;
  /** Extra options of the in-process `model.fit` (sampleWeight, classWeight). */
  inProcess?: Partial<FitArgs>;
  /** Extra options of the trainer's `fit`. */
  trainer?: FitOptions;
  /** Largest |a − b| / max(1, |a|) allowed against the in-process weights (default 1e-5). */
  tolerance?: number;
  /** Targets as one-hot rows (default true; false: class ids, for sparse losses). */
  oneHot?: boolean;
  /** More checks of each trainer run against the in-process one (its logs, say). */
  check?: (got: TrainingHistory, reference: History, workers: number) => void;
  /** The path every trainer run must report (default 'tfjs'). */
  path?: 'tfjs' | 'resident';
}

/** Largest |a − b| / max(1, |a|) over every weight. */
export function maxRelativeDiff(
  a: Record<string, Float32Array>,
  b: Record<string, Float32Array>,
): number {
  let max = 0;
  for (const [name, values] of Object.entries(a)) {
    const other = b[name]!;
    for (let i = 0; i < values.length; i++) {
      const d = Math.abs(values[i]! - other[i]!) / Math.max(1, Math.abs(values[i]!));
      max = Math.max(max, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
    }
  }
  return max;
}

/**
 * Runs the case (see the module comment) and returns the in-process weights, for checks
 * that the feature changed the run at all.
 */
export async function expectWorkerParity(c: ParityCase): Promise<Record<string, Float32Array>> {
  const reference = c.make();
  const { x, y } = c.data.toTensors({ oneHot: c.oneHot ?? true });
  let referenceHistory: History;
  try {
    referenceHistory = await reference.fit(x as Tensor, y as Tensor, {
      epochs: c.epochs,
      batchSize: c.batchSize,
      seed: c.seed,
      verbose: 0,
      ...c.inProcess,
    });
  } finally {
    tf.dispose([x, y]);
  }
  const expected = weightsOf(reference);
  const runs = new Map<number, Record<string, Float32Array>>();
  for (const workers of [1, 2, 4, 2, 4]) {
    const m = c.make();
    const before = tf.memory().numTensors;
    const history = await fit(m, c.data, {
      workers,
      epochs: c.epochs,
      batchSize: c.batchSize,
      seed: c.seed,
      ...c.trainer,
    });
    expect(history.trainingPath?.path, `workers=${workers}`).toBe(c.path ?? 'tfjs');
    const got = weightsOf(m);
    expect(maxRelativeDiff(expected, got), `workers=${workers}`).toBeLessThanOrEqual(
      c.tolerance ?? 1e-5,
    );
    const earlier = runs.get(workers);
    if (earlier !== undefined) expect(bitwiseEqual(earlier, got), `workers=${workers}`).toBe(true);
    runs.set(workers, got);
    c.check?.(history, referenceHistory, workers);
    const counts = history.workerTensors;
    expect(counts.at(-1), `workers=${workers}`).toEqual(counts[1]);
    expect(tf.memory().numTensors, `workers=${workers}`).toBe(before);
  }
  return expected;
}
