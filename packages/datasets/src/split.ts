/**
 * Which rows go where when a dataset is split: pure index planning, so the rules are
 * visible and testable without building datasets.
 *
 * - `fraction` is the share of rows in the FIRST part: `split(0.8)` gives [80 %, 20 %].
 *   The first part has `round(size * fraction)` rows.
 * - Stratified: each class contributes `floor(count * fraction)` rows to the first part,
 *   and the rows still missing go to the classes with the largest remainders (ties: lower
 *   class id first), so every class keeps its proportion to within one row.
 * - With a seed, rows are drawn in a random order (and both parts come out shuffled); without a
 *   seed, rows keep their order: the first part takes the first rows (of each class).
 */
import { RngStream, received, ValueError } from '@tessera/core';

/** What `planSplit` needs to know. */
export interface SplitPlanArgs {
  /** Rows in the dataset. */
  size: number;
  /** Share of rows in the first part, strictly between 0 and 1. */
  fraction: number;
  /** Seed for the random draw; absent keeps row order. */
  seed?: number;
  /** Class id of each row, to stratify on; absent splits without regard to class. */
  labels?: Int32Array;
  /** Number of classes (`labels` lie in [0, numClasses)). */
  numClasses?: number;
}

function checkFraction(fraction: number, size: number): number {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new ValueError(
      received('Dataset.split: fraction must be in (0, 1)', 'fraction', fraction),
    );
  }
  const first = Math.round(size * fraction);
  if (first < 1 || first > size - 1) {
    throw new ValueError(
      received(
        `Dataset.split: fraction leaves an empty part of a dataset of ${size} rows`,
        'fraction',
        fraction,
      ),
    );
  }
  return first;
}

/** Seeded permutation, or the identity when no seed is given. */
function order(size: number, seed: number | undefined): Int32Array {
  if (seed === undefined) {
    const identity = new Int32Array(size);
    for (let i = 0; i < size; i++) identity[i] = i;
    return identity;
  }
  return RngStream.fromSeed(seed, 'dataset/split').permutation(size);
}

/** Rows of the first and second part, as index arrays into the dataset. */
export function planSplit(args: SplitPlanArgs): [Int32Array, Int32Array] {
  const { size, fraction, seed, labels, numClasses } = args;
  const firstSize = checkFraction(fraction, size);
  const rows = order(size, seed);
  if (labels === undefined || numClasses === undefined) {
    return [rows.slice(0, firstSize), rows.slice(firstSize)];
  }

  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < size; i++) counts[labels[i]!]!++;
  const quota = counts.map((c) => Math.floor(c * fraction));
  let missing = firstSize - quota.reduce((a, b) => a + b, 0);
  const byRemainder = counts
    .map((c, k) => ({ k, remainder: c * fraction - quota[k]! }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (missing === 0) break;
    if (quota[k]! < counts[k]!) {
      quota[k]!++;
      missing--;
    }
  }

  // Walk rows in draw order (random with a seed, so both parts come out mixed); each
  // class fills its quota of the first part first.
  const taken = new Array<number>(numClasses).fill(0);
  const first = new Int32Array(firstSize);
  const second = new Int32Array(size - firstSize);
  let f = 0;
  let s = 0;
  for (let i = 0; i < size; i++) {
    const row = rows[i]!;
    const k = labels[row]!;
    if (taken[k]! < quota[k]!) {
      taken[k]!++;
      first[f++] = row;
    } else {
      second[s++] = row;
    }
  }
  return [first, second];
}
