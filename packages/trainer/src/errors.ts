/**
 * Errors of the data-parallel trainer. A failed step always leaves weights and
 * optimizer state as they were before it; the message says which worker, which step and why.
 */
import { TesseraError } from '@tessera/core';

/**
 * How a worker's message starts when the user's model cannot be rebuilt there (an
 * unregistered custom function): the pool reports that as the user's error, not ours.
 */
export const MODEL_REBUILD_FAILED = 'the worker could not rebuild the model';

/** A worker threw, exited or ran past the step timeout. */
export class WorkerError extends TesseraError {
  readonly worker: number;
  readonly iteration: number;
  private readonly causedByInput: boolean;
  constructor(options: {
    worker: number;
    iteration: number;
    phase: string;
    cause: unknown;
    userError?: boolean;
  }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    // A step that fails is rolled back; validation runs after step `iteration` completed.
    const kept = options.phase === 'validating' ? options.iteration : options.iteration - 1;
    super(
      'WORKER_ERROR',
      `fit: worker ${options.worker} failed ${options.iteration > 0 ? `at step ${options.iteration} ` : ''}(${options.phase}): ${reason}. ` +
        (kept > 0
          ? `Weights and optimizer state are those after step ${kept}.`
          : 'Weights and optimizer state are unchanged.'),
      { cause: options.cause },
    );
    this.worker = options.worker;
    this.iteration = options.iteration;
    this.causedByInput = options.userError ?? false;
  }

  /** True when the user's model or modules, not Tessera, made the worker fail. */
  override get userError(): boolean {
    return this.causedByInput;
  }
}

/** Training stopped by an AbortSignal; a checkpoint was written first when one was configured. */
export class TrainingAbortedError extends TesseraError {
  readonly checkpoint: string | undefined;
  constructor(message: string, checkpoint: string | undefined) {
    super('ABORTED', message);
    this.checkpoint = checkpoint;
  }
}
