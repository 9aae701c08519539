/**
 * The random noise of one training step (Dropout's masks, the noise layers' draws), keyed
 * by the step and by row chunks of its batch, so that every way of computing the step
 * draws the same values: `model.fit` on one thread, the trainer's tfjs path on any number
 * of workers (each holding a shard of the batch), and the trainer's resident step, which
 * computes the batch chunk by chunk.
 *
 * A step's batch of n rows is cut into min(n, ROW_CHUNKS) contiguous chunks whose sizes
 * differ by at most one, larger first (partOffset, partSize). Chunk c draws from
 * the stream named `dropout/<iteration>/<c>` of the run's seed: each noise layer, in the
 * order the model calls them, draws its values for the chunk's rows in row order. Noise
 * without a batch axis (a shared noise shape) draws from `dropout/<iteration>`. A layer
 * seeded by its own `seed` keeps its own stream.
 *
 * ```ts
 * const noise = new StepNoise(seed, iteration, batchRows);
 * step.computeGradients(x, y, grads, offsets, 1, { noise });
 * ```
 */
import { RngStream, received, ValueError } from '@tessera/core';

/**
 * Row chunks of a batch: the unit of noise draws, and of the resident step's gradient
 * phase, whose chunks the workers claim one at a time — a worker slowed down leaves its
 * rows to the others, and the workers finish at most one chunk apart: 16 rather than 8
 * measured 229,000 samples/s against 207,000 on two workers (steady epochs, medians of 6
 * interleaved runs; one worker 158,000 and 160,000). The same for every worker count, so
 * the chunks and their noise do not depend on it.
 */
export const ROW_CHUNKS = 16;

/**
 * Offset of part i when n items are cut into `count` contiguous parts whose sizes differ
 * by at most one, larger first: a batch's row chunks here, and the trainer's worker shards.
 */
export function partOffset(n: number, count: number, i: number): number {
  return i * Math.floor(n / count) + Math.min(i, n % count);
}

/** Size of part i of that cut (see partOffset). */
export function partSize(n: number, count: number, i: number): number {
  return Math.floor(n / count) + (i < n % count ? 1 : 0);
}

/** Chunks a batch of n rows is cut into. */
export function rowChunkCount(n: number): number {
  return Math.min(n, ROW_CHUNKS);
}

/** The name of chunk c's noise stream in step `iteration`. */
export function chunkNoiseName(iteration: number, c: number): string {
  return `dropout/${iteration}/${c}`;
}

/** The streams one training step draws its noise from (see the module comment). */
export class StepNoise {
  /** Rows of the step's whole batch. */
  readonly total: number;
  private readonly streams: (RngStream | undefined)[];
  private sharedStream: RngStream | undefined;

  constructor(
    private readonly seed: number,
    private readonly iteration: number,
    total: number,
  ) {
    if (!Number.isInteger(total) || total < 1) {
      throw new ValueError(
        received('StepNoise: the batch must have a positive whole number of rows', 'total', total),
      );
    }
    this.total = total;
    this.streams = new Array<RngStream | undefined>(rowChunkCount(total));
  }

  /** Chunk c's stream (made on first use; later draws continue it). */
  chunk(c: number): RngStream {
    let stream = this.streams[c];
    if (stream === undefined) {
      stream = RngStream.fromSeed(this.seed, chunkNoiseName(this.iteration, c));
      this.streams[c] = stream;
    }
    return stream;
  }

  /** The stream of the step's noise that has no batch axis. */
  get shared(): RngStream {
    this.sharedStream ??= RngStream.fromSeed(this.seed, `dropout/${this.iteration}`);
    return this.sharedStream;
  }

  /**
   * Values for rows [offset, offset + rows) of the batch, `perRow` values a row: every
   * chunk those rows touch draws its whole rows from its stream (`draw(stream, n)` gives n
   * values in the stream's order), and the rows asked for are kept.
   */
  rows(
    offset: number,
    rows: number,
    perRow: number,
    draw: (stream: RngStream, n: number) => Float32Array,
  ): Float32Array {
    if (offset < 0 || rows < 0 || offset + rows > this.total) {
      throw new ValueError(
        received(
          `StepNoise: rows [offset, offset + rows) must lie in the batch of ${this.total}`,
          'rows',
          `[${offset}, ${offset + rows})`,
        ),
      );
    }
    const out = new Float32Array(rows * perRow);
    const count = this.streams.length;
    for (let c = 0; c < count; c++) {
      const from = partOffset(this.total, count, c);
      const to = from + partSize(this.total, count, c);
      if (to <= offset || from >= offset + rows) continue;
      const values = draw(this.chunk(c), (to - from) * perRow);
      const keepFrom = Math.max(from, offset);
      const keepTo = Math.min(to, offset + rows);
      out.set(
        values.subarray((keepFrom - from) * perRow, (keepTo - from) * perRow),
        (keepFrom - offset) * perRow,
      );
    }
    return out;
  }
}
