/**
 * How one global batch is cut into worker shards, and how the parameter vector is cut
 * into update slices. Both are pure functions of their sizes, so every thread and every
 * resumed run agrees on them.
 */
import { PARAMETER_ALIGNMENT } from '@tessera/core';
import { partOffset, partSize } from '@tessera/layers';

/** A half-open range [start, end). */
export interface Range {
  start: number;
  end: number;
}

/**
 * Cuts [start, end) into at most `parts` contiguous, non-empty ranges whose sizes differ
 * by at most one (the first ones get the extra example). A batch smaller than `parts`
 * gives fewer shards: one example each.
 */
export function splitEvenly(start: number, end: number, parts: number): Range[] {
  const n = end - start;
  const count = Math.min(parts, n);
  const out: Range[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + shardOffset(n, count, i);
    out.push({ start: at, end: at + shardSize(n, count, i) });
  }
  return out;
}

/**
 * Offset of part i when n items are cut into `count` contiguous parts whose sizes
 * differ by at most one, larger first: the cut of layers' step-noise.ts, which keys the
 * noise of a batch's row chunks by it.
 */
export const shardOffset: (n: number, count: number, i: number) => number = partOffset;

/** Size of part i of that cut (see shardOffset). */
export const shardSize: (n: number, count: number, i: number) => number = partSize;

/**
 * Cuts the first `length` floats of the parameter vector into `parts` disjoint slices on
 * PARAMETER_ALIGNMENT boundaries (so no two threads write the same cache line). Slices
 * may be empty when the vector is small; every float belongs to exactly one slice.
 */
export function splitAligned(length: number, parts: number): Range[] {
  const blocks = Math.ceil(length / PARAMETER_ALIGNMENT);
  const out: Range[] = [];
  for (let i = 0; i < parts; i++) {
    const start = Math.min(length, Math.floor((blocks * i) / parts) * PARAMETER_ALIGNMENT);
    const end = Math.min(length, Math.floor((blocks * (i + 1)) / parts) * PARAMETER_ALIGNMENT);
    out.push({ start, end });
  }
  return out;
}
