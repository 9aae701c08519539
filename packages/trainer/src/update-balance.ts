/**
 * How the resident step's update phase is cut among the workers, and how the cut follows
 * their measured speed. Each worker updates one contiguous chunk of the trainable
 * parameters (its home: the weights and optimizer state stay in its core's cache from
 * step to step) and takes another's chunk only when that worker has not started on it.
 * The chunks start at equal estimated cost (update-costs.ts); then every step each worker
 * records how long its own chunk took, and the worker that finishes the step's last chunk
 * moves the boundaries so that each worker's share of the cost follows its speed. A core
 * that runs slower for a while (the host gave its other half to another machine, a
 * compiler thread shares it) then gets less of the update instead of keeping the other
 * waiting at every step's barrier; the gradient phase balances itself, since its row
 * chunks are claimed one at a time.
 *
 * Where the boundaries fall changes no result: every parameter's gradient is summed over
 * the batch in the same order whichever chunk holds it (resident-step.ts).
 *
 * Shared words (in the shared memory, laid out by `UpdateBalance.bytes`): per worker three
 * float64 numbers — the cost of the chunk it last updated, the milliseconds it took (0:
 * nothing measured since the boundaries last moved), and the running estimate of its
 * milliseconds per unit of cost (0: none yet) — then `workers + 1` int32 block boundaries.
 * The claims order them: a worker writes its time after its own chunk and before counting
 * it finished, the worker counting the step's last chunk reads the times and writes the
 * boundaries, and every worker reads them only in the next step's update phase, which
 * starts after that. Nothing allocates.
 */
import { PARAMETER_ALIGNMENT } from '@tessera/core';
import type { Range } from './sharding.js';

/** Weight of the newest measurement in a worker's running estimate. */
export const BALANCE_RATE = 0.25;

/**
 * How far one measurement may move an estimate, as a factor either way: a step in which a
 * worker was descheduled for milliseconds moves its share a little, not all the way.
 */
export const BALANCE_CLAMP = 4 / 3;

const COST = 0;
const MS = 1;
const ESTIMATE = 2;
const NUMBERS = 3;

export class UpdateBalance {
  private readonly numbers: Float64Array;
  private readonly bounds: Int32Array;
  private readonly blocks: number;

  /**
   * @param cumulative cost of the first b blocks of PARAMETER_ALIGNMENT floats, for b = 0 …
   *   blocks (so `blocks + 1` numbers, increasing).
   * @param length floats of the trainable parameters.
   */
  constructor(
    buffer: ArrayBufferLike,
    offset: number,
    readonly workers: number,
    private readonly cumulative: Float64Array,
    private readonly length: number,
  ) {
    this.blocks = Math.ceil(length / PARAMETER_ALIGNMENT);
    if (cumulative.length !== this.blocks + 1) {
      throw new RangeError(
        `UpdateBalance: expected the cumulative cost of 0 … ${this.blocks} blocks (${this.blocks + 1} numbers). Received: ${cumulative.length}`,
      );
    }
    this.numbers = new Float64Array(buffer, offset, workers * NUMBERS);
    this.bounds = new Int32Array(buffer, offset + workers * NUMBERS * 8, workers + 1);
  }

  /** Bytes of the shared words for `workers` workers. */
  static bytes(workers: number): number {
    return workers * NUMBERS * 8 + (workers + 1) * 4;
  }

  /** The cumulative costs of `blockCosts` (one per block), as the constructor takes them. */
  static cumulative(blockCosts: ArrayLike<number>): Float64Array {
    const out = new Float64Array(blockCosts.length + 1);
    for (let b = 0; b < blockCosts.length; b++) out[b + 1] = out[b]! + blockCosts[b]!;
    return out;
  }

  /** Main thread, before any worker reads them: equal estimated costs, no measurements. */
  reset(): void {
    this.numbers.fill(0);
    this.bounds[0] = 0;
    this.bounds[this.workers] = this.blocks;
    const total = this.cumulative[this.blocks]!;
    for (let i = 1; i < this.workers; i++) {
      this.bounds[i] = Math.max(this.bounds[i - 1]!, this.boundaryAt((total * i) / this.workers));
    }
  }

  /** Fills `out` with chunk `i`'s floats (empty when the chunk has no block). */
  chunk(i: number, out: Range): void {
    out.start = Math.min(this.length, this.bounds[i]! * PARAMETER_ALIGNMENT);
    out.end = Math.min(this.length, this.bounds[i + 1]! * PARAMETER_ALIGNMENT);
  }

  /** Worker `worker` updated its own chunk in `ms` milliseconds. */
  record(worker: number, ms: number): void {
    const base = worker * NUMBERS;
    this.numbers[base + COST] =
      this.cumulative[this.bounds[worker + 1]!]! - this.cumulative[this.bounds[worker]!]!;
    this.numbers[base + MS] = ms;
  }

  /**
   * Between two update phases (by the worker that finished the last chunk): folds the workers' new measurements into their
   * estimates and, once every worker has one, moves the boundaries so that each chunk's
   * estimated time is the same.
   */
  rebalance(): void {
    const n = this.numbers;
    let speeds = 0;
    for (let w = 0; w < this.workers; w++) {
      const base = w * NUMBERS;
      const cost = n[base + COST]!;
      const ms = n[base + MS]!;
      n[base + MS] = 0;
      if (ms > 0 && cost > 0) {
        const measured = ms / cost;
        const estimate = n[base + ESTIMATE]!;
        n[base + ESTIMATE] =
          estimate > 0
            ? estimate +
              BALANCE_RATE *
                (Math.min(estimate * BALANCE_CLAMP, Math.max(estimate / BALANCE_CLAMP, measured)) -
                  estimate)
            : measured;
      }
      const estimate = n[base + ESTIMATE]!;
      if (!(estimate > 0)) return;
      speeds += 1 / estimate;
    }
    const total = this.cumulative[this.blocks]!;
    let share = 0;
    for (let i = 1; i < this.workers; i++) {
      share += 1 / n[(i - 1) * NUMBERS + ESTIMATE]! / speeds;
      // Every chunk keeps a block while there are enough: a worker measured very slow once
      // (its first update, a step it lost its CPU in) still takes part, and a chunk it does
      // not get to is run by another worker anyway.
      const least = Math.min(this.blocks, this.bounds[i - 1]! + 1);
      const most = Math.max(least, this.blocks - (this.workers - i));
      this.bounds[i] = Math.min(most, Math.max(least, this.boundaryAt(total * share)));
    }
  }

  /** The block boundary whose cumulative cost is nearest `goal`. */
  private boundaryAt(goal: number): number {
    const c = this.cumulative;
    let lo = 0;
    let hi = this.blocks;
    // The first boundary at or past the goal, then the nearer of it and the one before.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < goal) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && goal - c[lo - 1]! < c[lo]! - goal ? lo - 1 : lo;
  }
}
