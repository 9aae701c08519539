import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { stepTicket } from './claims.js';
import { clock, RowChunkStates, rowChunkStateBytes } from './row-chunks.js';

function states(chunks = 4): RowChunkStates {
  const buffer = new SharedArrayBuffer(rowChunkStateBytes(chunks));
  return new RowChunkStates(buffer, 0, chunks);
}

describe('row chunk states', () => {
  it('lets exactly one worker finish a chunk in a step, and again in the next step', () => {
    const s = states();
    const step1 = stepTicket(1, 0);
    const step2 = stepTicket(1, 1);
    expect(s.isFinished(2, step1)).toBe(false);
    expect(s.finish(2, step1)).toBe(true);
    // The worker that stopped in the middle of chunk 2 finishes it later: it lost.
    expect(s.finish(2, step1)).toBe(false);
    expect(s.isFinished(2, step1)).toBe(true);
    expect(s.isFinished(2, step2)).toBe(false);
    expect(s.finish(2, step2)).toBe(true);
    // A worker still in step 1 finds the chunk finished for a later step: it lost too.
    expect(s.finish(2, step1)).toBe(false);
    expect(s.isFinished(2, step1)).toBe(true);
  });

  it('counts ticket 0 (step 0 of run 256) as never finished before', () => {
    const s = states();
    const zero = stepTicket(256, 0);
    expect(zero).toBe(0);
    expect(s.isFinished(0, zero)).toBe(false);
    expect(s.finish(0, zero)).toBe(true);
    expect(s.finish(0, zero)).toBe(false);
    // A chunk finished in an earlier run does not count as finished in this one.
    expect(s.finish(1, stepTicket(255, 3))).toBe(true);
    expect(s.isFinished(1, zero)).toBe(false);
  });

  it('names the first unfinished chunk claimed before a time', () => {
    const s = states();
    const step = stepTicket(3, 5);
    s.claimed(0, 10);
    s.claimed(1, 11);
    s.claimed(2, 12);
    s.claimed(3, 13);
    s.finish(0, step);
    expect(s.heldSince(4, step, 11.5)).toBe(1);
    expect(s.heldSince(4, step, 10.5)).toBe(-1);
    s.finish(1, step);
    expect(s.heldSince(4, step, 20)).toBe(2);
    // Only the step's chunks count.
    expect(s.heldSince(2, step, 20)).toBe(-1);
  });

  it('reads one clock in every thread (a worker thread has a time origin of its own)', async () => {
    // The worker starts well after this thread, so their performance.now() differ by that much.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = clock();
    const code = `
      const { parentPort } = require('node:worker_threads');
      const { performance } = require('node:perf_hooks');
      parentPort.postMessage({ now: performance.now(), clock: performance.timeOrigin + performance.now() });
    `;
    const worker = new Worker(code, { eval: true });
    const seen = await new Promise<{ now: number; clock: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const after = clock();
    await worker.terminate();
    expect(seen.clock).toBeGreaterThanOrEqual(before - 1);
    expect(seen.clock).toBeLessThanOrEqual(after + 1);
    // What clock() is for: the thread's own performance.now() is not on this thread's scale.
    expect(Math.abs(seen.now - (before - performance.timeOrigin))).toBeGreaterThan(20);
  });
});
