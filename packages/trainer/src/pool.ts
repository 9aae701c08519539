/**
 * The worker pool: a fixed number of Piscina threads that live for one `fit`. A task that
 * fails, or whose thread exits, rejects with the cause (the caller names worker and step;
 * hangs are the step channel's to detect, by watching its counters). After `close()`
 * nothing more runs (Piscina may still settle a `run()` after destroy, so the pool guards
 * use-after-close itself).
 */
import { fileURLToPath } from 'node:url';
import { StateError } from '@tessera/core';
import { Piscina } from 'piscina';
import { MODEL_REBUILD_FAILED, WorkerError } from './errors.js';
import type { SessionInit, Task } from './protocol.js';

/**
 * The worker entry: worker.js beside the module (dist/bundle/worker.js, as the package is
 * imported; dist/worker.js from the per-file build); when it runs from
 * source (vitest loads src/*.ts), test/fixtures/worker-from-source.mjs, which registers
 * tsx's ESM loader in the thread (worker threads do not get vitest's transform) and loads
 * src/worker.ts. So tests always run the worker code they see, never a stale dist/ build.
 */
export function workerEntry(moduleUrl: string = import.meta.url): string {
  const file = moduleUrl.endsWith('.ts')
    ? '../test/fixtures/worker-from-source.mjs'
    : './worker.js';
  return fileURLToPath(new URL(file, moduleUrl));
}

export interface PoolOptions {
  workers: number;
}

export class WorkerPool {
  private readonly piscina: Piscina<Task, unknown>;
  private closed = false;
  /** Errors Piscina reported outside any task (a thread dying between tasks). */
  private readonly poolErrors: Error[] = [];
  private readonly workers: number;

  private constructor(options: PoolOptions) {
    this.workers = options.workers;
    this.piscina = new Piscina<Task, unknown>({
      filename: workerEntry(),
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
    });
    this.piscina.on('error', (err: Error) => {
      this.poolErrors.push(err);
    });
  }

  /**
   * Starts the threads. Each loads the worker's modules at once (a few hundred
   * milliseconds), while the caller lays out the run; `ready` then gives them the session.
   */
  static spawn(options: PoolOptions): WorkerPool {
    return new WorkerPool(options);
  }

  /**
   * Has every thread build its session from `init` and waits until all have (see
   * ReadyTask), so start-up is not counted in any step's time or timeout. A thread that
   * fails to start closes the pool and rejects with a WorkerError naming it.
   */
  async ready(init: SessionInit, readyTimeoutMs = 120_000): Promise<void> {
    const workers = this.workers;
    const task: Task = { kind: 'ready', workers, timeoutMs: readyTimeoutMs, init };
    // The first thread that fails to start ends the wait: the others would only time out.
    const started = Array.from({ length: workers }, (_, worker) =>
      this.run<number>(task).catch((cause: unknown) => {
        throw new WorkerError({
          worker,
          iteration: 0,
          phase: 'starting',
          cause,
          userError: cause instanceof Error && cause.message.startsWith(MODEL_REBUILD_FAILED),
        });
      }),
    );
    try {
      await Promise.all(started);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  /** Runs one task; rejects with the raw cause (the caller names worker and step). */
  async run<R>(task: Task): Promise<R> {
    if (this.closed) throw new StateError('WorkerPool: the pool is closed; no more tasks can run');
    const pending = this.poolErrors.shift();
    if (pending !== undefined) throw pending;
    const result = (await this.piscina.run(task)) as R;
    if (this.closed) throw new StateError('WorkerPool: the pool closed while the task ran');
    return result;
  }

  /** Stops every thread. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina.destroy();
  }
}
