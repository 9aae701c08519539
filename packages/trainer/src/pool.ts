/**
 * The worker pool: a fixed number of Piscina threads that live for one `fit`. Each task
 * may carry a timeout; a task that fails, times out, or whose thread exits rejects with
 * the worker's index and the cause. After `close()` nothing more runs (Piscina may still
 * settle a `run()` after destroy, so the pool guards use-after-close itself).
 */
import { fileURLToPath } from 'node:url';
import { StateError } from '@tessera/core';
import { Piscina } from 'piscina';
import { MODEL_REBUILD_FAILED, WorkerError } from './errors.js';
import type { SessionInit, Task } from './protocol.js';

/** Built worker entry. Both src/ and dist/ sit one level below the package root. */
const WORKER_FILE = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

export interface PoolOptions {
  workers: number;
  init: SessionInit;
  /** Milliseconds a single task may run before its thread is killed (undefined: no limit). */
  taskTimeoutMs: number | undefined;
}

export class WorkerPool {
  private readonly piscina: Piscina<Task, unknown>;
  private readonly taskTimeoutMs: number | undefined;
  private closed = false;
  /** Errors Piscina reported outside any task (a thread dying between tasks). */
  private readonly poolErrors: Error[] = [];

  private constructor(options: PoolOptions) {
    this.taskTimeoutMs = options.taskTimeoutMs;
    this.piscina = new Piscina<Task, unknown>({
      filename: WORKER_FILE,
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
      workerData: options.init,
    });
    this.piscina.on('error', (err: Error) => {
      this.poolErrors.push(err);
    });
  }

  /**
   * Starts the threads and waits until every one has built its session (see ReadyTask),
   * so start-up is not counted in any step's time or timeout.
   */
  static async start(options: PoolOptions & { readyTimeoutMs?: number }): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    const task: Task = {
      kind: 'ready',
      workers: options.workers,
      timeoutMs: options.readyTimeoutMs ?? 120_000,
    };
    // The first thread that fails to start ends the wait: the others would only time out.
    const started = Array.from({ length: options.workers }, (_, worker) =>
      pool.run<number>(task, { timed: false }).catch((cause: unknown) => {
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
      await pool.close();
      throw err;
    }
    return pool;
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  /** Runs one task; rejects with the raw cause (the caller names worker and step). `timed: false` skips the task timeout. */
  async run<R>(task: Task, options: { timed?: boolean } = {}): Promise<R> {
    if (this.closed) throw new StateError('WorkerPool: the pool is closed; no more tasks can run');
    const pending = this.poolErrors.shift();
    if (pending !== undefined) throw pending;
    const timed = options.timed !== false && this.taskTimeoutMs !== undefined;
    const signal = timed ? AbortSignal.timeout(this.taskTimeoutMs!) : undefined;
    try {
      const result = (await this.piscina.run(task, signal === undefined ? {} : { signal })) as R;
      if (this.closed) throw new StateError('WorkerPool: the pool closed while the task ran');
      return result;
    } catch (err) {
      if (signal?.aborted) {
        throw new Error(
          `no answer within stepTimeoutMs=${this.taskTimeoutMs} ms; the thread was stopped`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  /** Stops every thread. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina.destroy();
  }
}
