import { describe, expect, it, vi } from 'vitest';

// The scheduler statistics the watch reads, as this test sets them.
const stat = { text: '0 0 0\n', missing: false };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    readFileSync: (path: string, encoding: string) => {
      if (path !== '/proc/thread-self/schedstat')
        return fs.readFileSync(path, encoding as 'latin1');
      if (stat.missing) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return stat.text;
    },
  };
});
const { BUSY_WAIT_FRACTION, RunQueueWatch } = await import('./run-queue.js');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RunQueueWatch', () => {
  it('is 0 the first time, then the fraction of the time since spent waiting for a CPU', async () => {
    const watch = new RunQueueWatch();
    stat.text = '5000000 1000000 10\n';
    expect(watch.sample()).toBe(0);
    await pause(5);
    // No more waiting since: not busy.
    expect(watch.busy()).toBe(false);
    await pause(5);
    // 10 s of waiting within a few milliseconds: far above any threshold.
    stat.text = '6000000 10001000000 12\n';
    expect(watch.sample()).toBeGreaterThan(BUSY_WAIT_FRACTION * 100);
  });

  it('says 0 (never busy) where the statistics cannot be read', async () => {
    stat.missing = true;
    const watch = new RunQueueWatch();
    expect(watch.sample()).toBe(0);
    await pause(2);
    expect(watch.busy()).toBe(false);
    stat.missing = false;
  });
});
