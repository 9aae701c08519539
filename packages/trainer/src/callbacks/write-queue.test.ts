import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue.js';

/** A job that runs only when the test lets it finish, and records its start and end. */
function gate(log: string[], name: string) {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const job = async (): Promise<void> => {
    log.push(`${name} start`);
    await done;
    log.push(`${name} end`);
  };
  return { job, open, fail };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A queue holding two gated jobs, a then b, and the log they write. */
function twoJobs() {
  const log: string[] = [];
  const queue = new WriteQueue();
  const a = gate(log, 'a');
  const b = gate(log, 'b');
  queue.add(a.job);
  queue.add(b.job);
  return { log, queue, a, b };
}

describe('WriteQueue', () => {
  it('returns at once and runs the jobs one at a time, in the order queued', async () => {
    const { log, queue, a, b } = twoJobs();
    log.push('queued');
    await turn();
    expect(log).toEqual(['queued', 'a start']);
    let drained = false;
    const drain = queue.drain().then(() => {
      drained = true;
    });
    b.open(); // b is done before it started: it still waits for a
    await turn();
    expect(log).toEqual(['queued', 'a start']);
    a.open();
    await drain;
    expect(log).toEqual(['queued', 'a start', 'a end', 'b start', 'b end']);
    expect(drained).toBe(true);
  });

  it('keeps the first failure: later jobs do not run, add and drain throw it, settled does not', async () => {
    const { log, queue, a } = twoJobs();
    a.fail(new Error('disk full'));
    await queue.settled();
    expect(log).toEqual(['a start']);
    await expect(queue.drain()).rejects.toThrow('disk full');
    expect(() => queue.add(async () => void log.push('c'))).toThrow('disk full');
    await queue.settled();
    expect(log).toEqual(['a start']);
  });

  it('drains at once when nothing is queued', async () => {
    const queue = new WriteQueue();
    await expect(queue.drain()).resolves.toBeUndefined();
  });
});
