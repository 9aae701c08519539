import { describe, expect, it } from 'vitest';
import { claimNext, claimWordCount, countFinished, finishedSoFar, stepTicket } from './claims.js';

describe('claim words', () => {
  it('hand out each chunk of a step once, then none', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const ticket = stepTicket(7, 0);
    expect([0, 1, 2, 3].map(() => claimNext(words, 0, ticket, 3))).toEqual([0, 1, 2, -1]);
    // The next step starts again at chunk 0.
    expect(claimNext(words, 0, stepTicket(7, 1), 3)).toBe(0);
    expect(countFinished(words, 1, ticket)).toBe(1);
    expect(countFinished(words, 1, ticket)).toBe(2);
    expect(countFinished(words, 1, stepTicket(7, 1))).toBe(1);
  });

  it('give a worker left behind nothing of a step the others went past', () => {
    const words = new Int32Array(new SharedArrayBuffer(4));
    // The others claimed in step 5 of run 9; a late worker still at step 3 takes nothing.
    expect(claimNext(words, 0, stepTicket(9, 5), 4)).toBe(0);
    expect(claimNext(words, 0, stepTicket(9, 3), 4)).toBe(-1);
    expect(claimNext(words, 0, stepTicket(9, 4), 4)).toBe(-1);
    // The word is unchanged: step 5 goes on with chunk 1.
    expect(claimNext(words, 0, stepTicket(9, 5), 4)).toBe(1);
    // A ticket of another run is an earlier run's: the new run's first step starts afresh,
    // whatever its step number (the run's sequence number wraps at 256).
    expect(claimNext(words, 0, stepTicket(10, 0), 4)).toBe(0);
    expect(claimNext(words, 0, stepTicket(266, 0), 4)).toBe(1);
  });

  it('number the steps of a run in order and tell runs apart', () => {
    expect(stepTicket(1, 0)).toBe(0x100);
    expect(stepTicket(1, 255)).toBe(0x1ff);
    expect(stepTicket(257, 3)).toBe(stepTicket(1, 3));
    expect(stepTicket(2, 0)).not.toBe(stepTicket(1, 0));
    expect(claimWordCount(2)).toBe(8);
  });

  it('tell how many chunks of a step are finished without counting one', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const step = stepTicket(4, 2);
    expect(finishedSoFar(words, 1, step)).toBe(0);
    countFinished(words, 1, step);
    countFinished(words, 1, step);
    expect(finishedSoFar(words, 1, step)).toBe(2);
    expect(finishedSoFar(words, 1, step)).toBe(2);
    // An earlier step of the run, or another run: nothing of this step is counted yet.
    expect(finishedSoFar(words, 1, stepTicket(4, 3))).toBe(0);
    expect(finishedSoFar(words, 1, stepTicket(5, 0))).toBe(0);
    // The word belongs to a later step: this step is over.
    expect(finishedSoFar(words, 1, stepTicket(4, 1))).toBe(Number.POSITIVE_INFINITY);
  });
});
