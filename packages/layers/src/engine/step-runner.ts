/**
 * What the epoch loop (epoch-loop.ts) asks of a fit's way of executing steps: runs of
 * consecutive steps (one on the main thread in-process, several on the trainer's worker
 * threads), their results, and validation. The loop does the rest.
 */
/** Loss and metric statistics of some rows: the loss's mean, the statistics' means, the rows. */
export interface Measured {
  loss: number;
  /** Per-row means of the metric statistics (MetricStatistics layout). */
  statistics: ArrayLike<number>;
  examples: number;
}

/** A run of consecutive steps, as the loop asks a StepRunner for it. */
export interface StepRun {
  /** Batch index (in the epoch) of the run's first step. */
  batch: number;
  /** Optimizer iteration (1-based) of the run's first step. */
  iteration: number;
  /** Steps in the run (1 when `allow` is set). */
  steps: number;
  /** Skip the update of a step whose loss is not finite and end the run there. */
  guardLoss: boolean;
  /** Set when a callback may veto: asked with the step's results before its update. */
  allow?: (step: Measured) => boolean;
  /**
   * Once it has applied all its steps, the loop posts the next run before calling this
   * one's batch hooks, or calls `StepRunner.settle`: the runner may leave the state as its
   * runs want it rather than as the main thread reads it.
   */
  continued?: boolean;
}

/** What a run did. */
export interface RunResult {
  /** Leading steps of the run whose update was applied. */
  applied: number;
  /** Why the step after the applied ones was computed but not applied. */
  skipped?: 'veto' | 'nonFinite';
  /** A failure after `applied` steps; the loop throws it once those are recorded. */
  error?: Error;
  /**
   * Results of step j (j < applied, or j = applied when skipped), read before the next run;
   * the next call may reuse the object.
   */
  step(j: number): Measured;
}

/** How one fit executes steps and evaluates validation data; the loop does the rest. */
export interface StepRunner {
  /** Most steps the next run may take (at least 1); the loop takes fewer at stops. */
  runLength(): number;
  /** Called at the start of every epoch (also a resumed one), after the order was drawn. */
  startEpoch?(epoch: number): void;
  /** Executes a run of steps on batches `run.batch …` of the current order. */
  run(run: StepRun): Promise<RunResult>;
  /** Loss and metric statistics of the validation data, or undefined when there is none. */
  validate(): Promise<Measured | undefined>;
  /** Whether runs may be posted `continued` (epoch-loop.ts, "Overlap"). */
  overlaps?(): boolean;
  /**
   * After a `continued` run that applied all its steps when no run follows after all: puts
   * the state back as the main thread reads it.
   */
  settle?(): void;
}
