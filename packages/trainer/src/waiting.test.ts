/**
 * The waiting helpers. Blocking waits run on this thread while a second thread (plain
 * JavaScript, so it needs no loader) moves the word: they return when it does, whatever the
 * machine's speed, since nothing here races a clock.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  blockUntil,
  blockUntilAtLeast,
  MAX_SPIN,
  MIN_SPIN,
  SpinBudget,
  waitChange,
} from './waiting.js';

const WORD = 0;
const ABORT = 1;

/** A thread that waits for `start`, then stores `value` at `word` and notifies it. */
function storer(words: Int32Array, word: number, value: number): Promise<void> {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const words = new Int32Array(workerData.buffer);
     Atomics.wait(words, 2, 0);
     Atomics.store(words, workerData.word, workerData.value);
     Atomics.notify(words, workerData.word);`,
    { eval: true, workerData: { buffer: words.buffer, word, value } },
  );
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('online', () => {
      Atomics.store(words, 2, 1);
      Atomics.notify(words, 2);
      resolve();
    });
  });
}

const shared = (): Int32Array => new Int32Array(new SharedArrayBuffer(12));

describe('blockUntil / blockUntilAtLeast (worker side)', () => {
  it('return at once when the word is already there, false at once when aborted', () => {
    const words = shared();
    words[WORD] = 7;
    expect(blockUntilAtLeast(words, WORD, ABORT, 7, new SpinBudget())).toBe(true);
    expect(blockUntil(words, WORD, ABORT, (v) => v === 7)).toBe(true);
    words[ABORT] = 1;
    expect(blockUntilAtLeast(words, WORD, ABORT, 7, new SpinBudget())).toBe(false);
    expect(blockUntil(words, WORD, ABORT, (v) => v === 7)).toBe(false);
  });

  it('block until another thread stores the word', async () => {
    const words = shared();
    await storer(words, WORD, 3);
    expect(blockUntilAtLeast(words, WORD, ABORT, 3, new SpinBudget())).toBe(true);
    expect(words[WORD]).toBe(3);
    const again = shared();
    await storer(again, WORD, 9);
    expect(blockUntil(again, WORD, ABORT, (v) => v === 9)).toBe(true);
  });

  it('leave a blocked wait when another thread sets the abort word', async () => {
    const words = shared();
    await storer(words, ABORT, 1);
    expect(blockUntilAtLeast(words, WORD, ABORT, 1, new SpinBudget())).toBe(false);
  });
});

describe('SpinBudget', () => {
  it('first goes the sleeping way, then polls the full budget', () => {
    const budget = new SpinBudget();
    expect(budget.loads).toBe(0);
    const words = shared();
    words[WORD] = 2;
    // The word is there: the sleeping way returns without sleeping.
    expect(blockUntilAtLeast(words, WORD, ABORT, 2, budget)).toBe(true);
    expect(budget.loads).toBe(MAX_SPIN);
    // Found while polling: the budget stays.
    expect(blockUntilAtLeast(words, WORD, ABORT, 1, budget)).toBe(true);
    expect(budget.loads).toBe(MAX_SPIN);
  });

  it('on a busy machine polls MIN_SPIN loads at most, and the full budget again after', () => {
    const budget = new SpinBudget();
    budget.waited();
    expect(budget.loads).toBe(MAX_SPIN);
    budget.setBusy(true);
    expect(budget.loads).toBe(MIN_SPIN);
    budget.waited();
    expect(budget.loads).toBe(MIN_SPIN);
    budget.setBusy(false);
    expect(budget.loads).toBe(MIN_SPIN);
    budget.waited();
    expect(budget.loads).toBe(MAX_SPIN);
  });
});

describe('waitChange (main-thread side)', () => {
  it('resolves when the word is notified, the event loop running meanwhile', async () => {
    const words = shared();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    setTimeout(() => {
      Atomics.store(words, WORD, 1);
      Atomics.notify(words, WORD);
    }, 20);
    await waitChange(words, WORD, 0, undefined, new Promise<never>(() => {}));
    clearInterval(timer);
    expect(words[WORD]).toBe(1);
    expect(ticks).toBeGreaterThan(0);
  });

  it('resolves at once when the word already differs, and after the timeout otherwise', async () => {
    const words = shared();
    await waitChange(words, WORD, 5, undefined, new Promise<never>(() => {}));
    const started = performance.now();
    await waitChange(words, WORD, 0, 20, new Promise<never>(() => {}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects when the interrupt rejects first', async () => {
    const words = shared();
    const interrupt = Promise.reject(new Error('stopped'));
    await expect(waitChange(words, WORD, 0, undefined, interrupt)).rejects.toThrow('stopped');
  });
});
