import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkerError } from './errors.js';
import { WorkerPool, workerEntry } from './pool.js';
import type { SessionInit } from './protocol.js';

describe('WorkerPool', () => {
  it('loads the worker the package runs as: dist/bundle/worker.js built, src/worker.ts (through tsx) from source', () => {
    expect(workerEntry('file:///repo/packages/trainer/dist/bundle/index.js')).toBe(
      '/repo/packages/trainer/dist/bundle/worker.js',
    );
    expect(workerEntry('file:///repo/packages/trainer/src/pool.ts')).toBe(
      '/repo/packages/trainer/test/fixtures/worker-from-source.mjs',
    );
    // These tests run from source: the pool they start loads the current worker source.
    expect(workerEntry()).toBe(
      fileURLToPath(new URL('../test/fixtures/worker-from-source.mjs', import.meta.url)),
    );
  });

  it('a thread that cannot start rejects ready() with a WorkerError naming it, and closes the pool', async () => {
    const init = {
      customObjects: ['file:///nowhere/missing-module.mjs'],
    } as unknown as SessionInit;
    const started = WorkerPool.spawn({ workers: 2 }).ready(init);
    const err = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).message).toMatch(/^fit: worker [01] failed \(starting\): /);
    expect((err as WorkerError).iteration).toBe(0);
  });

  it('a task before the ready task that starts the session is refused', async () => {
    const pool = WorkerPool.spawn({ workers: 1 });
    try {
      const task = { kind: 'evaluate', worker: 0, split: 'validation', start: 0, end: 1 } as const;
      await expect(pool.run(task)).rejects.toThrow(
        'worker: the evaluate task came before the ready task that starts the session',
      );
    } finally {
      await pool.close();
    }
  });
});
