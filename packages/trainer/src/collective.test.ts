/**
 * The collective exchange, under real threads (test/fixtures/collective-worker.mjs runs the
 * source in each): sums in worker order, the same bits in every participant, rounds longer
 * than the capacity, subsets of participants, reuse of the two parities over many
 * exchanges, and leaving at once on abort. Nothing here races a clock.
 */
import { Worker } from 'node:worker_threads';
import { StateError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  Collective,
  collectiveBytes,
  collectiveCapacity,
  ExchangeAborted,
  WorkerExchange,
} from './collective.js';
import { fixture } from './testing/fixtures.js';

interface Call {
  participants: number;
  values: number[];
}

const workerScript = fixture('collective-worker.mjs');

/** Starts worker `worker` on `script`; resolves `started` once it is attached. */
function participant(
  collective: Collective,
  abort: Int32Array,
  worker: number,
  script: Call[][],
): { started: Promise<void>; done: Promise<(number[] | null)[]> } {
  const thread = new Worker(workerScript, {
    workerData: {
      description: collective.describe(),
      abort: abort.buffer,
      worker,
      script: script.map((calls) => calls[worker] ?? { participants: 0, values: [] }),
    },
  });
  let started!: () => void;
  const startedP = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = new Promise<(number[] | null)[]>((resolve, reject) => {
    thread.on('error', reject);
    thread.on('message', (m: unknown) => {
      if (m === 'started') started();
      else {
        resolve((m as { results: (number[] | null)[] }).results);
        void thread.terminate();
      }
    });
  });
  return { started: startedP, done };
}

const abortWord = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

/** Each participant's values in worker order, added left to right as the exchange must. */
function ordered(calls: Call[]): number[] {
  const length = calls[0]!.values.length;
  return Array.from({ length }, (_, i) => {
    let acc = calls[0]!.values[i]!;
    for (let k = 1; k < calls.length; k++) acc += calls[k]!.values[i]!;
    return acc;
  });
}

describe('Collective: an all-reduce among worker threads', () => {
  it('gives every participant the worker-order sum, bit for bit, over many exchanges', async () => {
    const workers = 3;
    const collective = Collective.create(workers, 4, { words: abortWord(), index: 0 });
    // Each exchange: calls[w] is worker w's. Lengths above the capacity (4) run in rounds;
    // every third exchange is among the first two workers only, so worker 2 runs ahead
    // into the next exchange of all three while they are still in it.
    const script: Call[][] = [];
    for (let e = 0; e < 30; e++) {
      const participants = e % 3 === 2 ? 2 : 3;
      const length = [1, 10, 4][e % 3]!;
      script.push(
        Array.from({ length: participants }, (_, w) => ({
          participants,
          values: Array.from({ length }, (_, i) => Math.sin(w * 31 + i * 7 + e) * 10 ** (i % 5)),
        })),
      );
    }
    // Worker order, not arrival order: 1 + 1e16 - 1e16 is 0 left to right, 1 right to left.
    script.push([1, 1e16, -1e16].map((v) => ({ participants: 3, values: [v, v * 2] })));
    const threads = Array.from({ length: workers }, (_, w) =>
      participant(collective, abortWord(), w, script),
    );
    const results = await Promise.all(threads.map((t) => t.done));
    for (let w = 0; w < workers; w++) {
      const mine = script.filter((calls) => calls[w] !== undefined);
      expect(results[w]).toHaveLength(mine.length);
      mine.forEach((calls, k) => {
        expect(results[w]![k]).toEqual(ordered(calls));
      });
    }
    expect(results[0]!.at(-1)).toEqual([0, 0]);
  });

  it('leaves a wait at once when the abort word is set, and says so', async () => {
    const abort = abortWord();
    const collective = Collective.create(2, 8, { words: abort, index: 0 });
    // Worker 1 never comes: worker 0 waits until the main thread aborts.
    const script: Call[][] = [[{ participants: 2, values: [1, 2, 3] }]];
    const lonely = participant(collective, abort, 0, script);
    await lonely.started;
    // Seen waiting (no clock: it says so once it got there).
    while (!collective.waiting(0)) await new Promise((resolve) => setImmediate(resolve));
    expect(collective.waiting(1)).toBe(false);
    Atomics.store(abort, 0, 1);
    collective.wake();
    expect(await lonely.done).toEqual([null]);
    expect(collective.waiting(0)).toBe(false);
  });

  it('alone: returns the values as they are; aborted: false; as a BatchExchange: throws', () => {
    const abort = abortWord();
    const collective = Collective.create(2, 4, { words: abort, index: 0 });
    const values = Float64Array.of(0.1, 0.2);
    expect(collective.sum(0, 1, values)).toBe(true);
    expect(Array.from(values)).toEqual([0.1, 0.2]);
    const exchange = new WorkerExchange(collective, 0);
    exchange.sum(values);
    Atomics.store(abort, 0, 1);
    expect(collective.sum(0, 1, values)).toBe(false);
    expect(() => exchange.sum(values)).toThrow(ExchangeAborted);
  });

  it('checks its arguments with one clear message each', () => {
    const abort = { words: abortWord(), index: 0 };
    expect(() => Collective.create(0, 4, abort)).toThrow(
      new ValueError('Collective: workers must be a positive integer. Received: workers=0'),
    );
    expect(() => Collective.create(2, 1.5, abort)).toThrow(
      'Collective: capacity must be a positive integer. Received: capacity=1.5',
    );
    const collective = Collective.create(2, 4, abort);
    expect(() => collective.sum(2, 2, new Float64Array(1))).toThrow(StateError);
    expect(() => collective.sum(0, 3, new Float64Array(1))).toThrow(
      'Collective: worker 0 is not one of 3 participants (of 2 workers)',
    );
    // Groups of 2 and 3 participants: 2 + 3 blocks per parity, after 2 words per group and
    // one per worker (7 words, padded to 32 bytes).
    expect(collectiveBytes(3, 4)).toBe(32 + 2 * (2 + 3) * 4 * 8);
    expect(collectiveCapacity(4, 100)).toBe(100);
    expect(collectiveBytes(64, collectiveCapacity(64, 4096))).toBeLessThanOrEqual(8 * 1024 ** 2);
  });
});
