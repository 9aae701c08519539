/**
 * Row chunks finished by whichever worker gets there first. With several workers, a
 * worker that loses its CPU in the middle of a row chunk (the host's time slices of a
 * virtual CPU, another thread of the process: 3.7–4 ms at a time on this project's
 * machines) would hold the others at the end of the gradient phase, while two separate
 * processes would each lose only their own time (docs/resident-step.md, "Where two workers
 * lose against two processes"). So each worker computes its chunks in private buffers and
 * publishes one (copies it into the batch-wide rows) only once it has marked it finished
 * for the step here; a worker with no chunk left to claim computes any chunk that has been
 * held for several times a chunk's usual time. Whoever finishes a chunk first publishes
 * it; the other's copy is thrown away unread, and the stopped worker, when it runs again,
 * writes nothing shared for that chunk. Both compute the same bits from the same inputs,
 * so the step's result does not depend on who finished what.
 *
 * Shared state, per chunk (laid out by `rowChunkStateBytes`): the float64 time it was last
 * claimed (`clock()`), then the int32 ticket + 1 of the step it was last finished for (0:
 * never).
 */
import { performance } from 'node:perf_hooks';
import { finishedSoFar, laterStep } from './claims.js';

/**
 * This thread's time origin: each worker thread has its own (`performance.now()` counts
 * from it).
 */
const origin = performance.timeOrigin;

/** Milliseconds on a clock every thread of the process reads alike (since the Unix epoch). */
export function clock(): number {
  return origin + performance.now();
}

/** A chunk held this many times the waiting worker's usual chunk time is computed again. */
export const TAKE_OVER_FACTOR = 4;

/** … and held at least this long (ms): a chunk's time is measured only roughly. */
export const TAKE_OVER_MIN_MS = 0.1;

/**
 * How long a worker with no row chunk left looks for a chunk to take over (ms) before it
 * waits at the barrier as usual: a chunk whose worker stopped is taken over long before.
 */
export const TAKE_OVER_WAIT_MS = 2;

/**
 * Loads of the finished count between two looks at the chunks' claim times (a few
 * microseconds): each look reads words the other workers write as they claim and finish.
 */
const POLLS = 256;

/** Bytes of the state of `chunks` row chunks. */
export function rowChunkStateBytes(chunks: number): number {
  return chunks * 12;
}

/** Whether a chunk's finished word `seen` says it is finished for step `ticket` (or later). */
function finishedFor(seen: number, ticket: number): boolean {
  const step = seen - 1;
  return step === ticket || (step >= 0 && laterStep(step, ticket));
}

export class RowChunkStates {
  private readonly claimedAt: Float64Array;
  private readonly finished: Int32Array;

  constructor(buffer: ArrayBufferLike, offset: number, chunks: number) {
    this.claimedAt = new Float64Array(buffer, offset, chunks);
    this.finished = new Int32Array(buffer, offset + chunks * 8, chunks);
  }

  /**
   * Chunk `c` was claimed at `now` (by the worker about to compute it). Written and read
   * without atomics: a stale time only moves a take-over, it never changes a result.
   */
  claimed(c: number, now: number): void {
    this.claimedAt[c] = now;
  }

  /** Whether chunk `c` is finished for step `ticket` (or the run is past that step). */
  isFinished(c: number, ticket: number): boolean {
    return finishedFor(Atomics.load(this.finished, c), ticket);
  }

  /**
   * Marks chunk `c` finished for step `ticket` unless it already is; whether this call did
   * (then the caller publishes the chunk, else it drops its copy).
   */
  finish(c: number, ticket: number): boolean {
    for (;;) {
      const seen = Atomics.load(this.finished, c);
      if (finishedFor(seen, ticket)) return false;
      if (Atomics.compareExchange(this.finished, c, seen, ticket + 1) === seen) return true;
    }
  }

  /**
   * For a worker with no chunk of step `ticket` left to claim: polls the count of finished
   * chunks (claim word 1 of `claimWords`, claims.ts) until all `count` are finished (-1),
   * one has been held for `heldMs` (that chunk, to compute too) or `deadline` (clock())
   * passes (-1).
   */
  nextHeld(
    claimWords: Int32Array,
    ticket: number,
    count: number,
    heldMs: number,
    deadline: number,
  ): number {
    for (;;) {
      // Mostly the count only: the chunks' words are written by the workers finishing them.
      for (let i = 0; i < POLLS; i++) {
        if (finishedSoFar(claimWords, 1, ticket) >= count) return -1;
      }
      const now = clock();
      const c = this.heldSince(count, ticket, now - heldMs);
      if (c >= 0 || now > deadline) return c;
    }
  }

  /**
   * The first of chunks 0 … count − 1 not finished for step `ticket` and claimed before
   * `before`, or -1.
   */
  heldSince(count: number, ticket: number, before: number): number {
    for (let c = 0; c < count; c++) {
      if (this.claimedAt[c]! < before && !this.isFinished(c, ticket)) return c;
    }
    return -1;
  }
}
