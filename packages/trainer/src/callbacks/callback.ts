/**
 * The callback shape `fit` calls. It is the Keras one (epoch and batch hooks with logs,
 * `model.stopTraining` to stop), plus hooks only a data-parallel trainer has: `setTrainer`
 * (access to the shared state), `beforeUpdate` (veto an update before any weight changes)
 * and `onInterrupt` (an abort is stopping the run: save what must be saved). Every
 * `Callback` from @tessera/layers fits it, and so does a plain object with these methods.
 */
import type { FitParams, Model, Optimizer } from '@tessera/layers';
import type { CheckpointData } from '../checkpoint.js';

export type Logs = Record<string, number>;

/** What a callback may use of the run in progress. */
export interface TrainerContext {
  readonly model: Model;
  readonly optimizer: Optimizer;
  /** Optimizer updates applied so far. */
  readonly iteration: number;
  /** A copy of every weight, by name. */
  snapshotWeights(): Record<string, Float32Array>;
  /** Writes weights back into the shared store (every worker sees them at its next step). */
  restoreWeights(values: Record<string, Float32Array>): void;
  /** Everything a checkpoint holds, as of now. */
  capture(): CheckpointData;
}

export interface TrainerCallback {
  setModel?(model: Model): void;
  setParams?(params: FitParams): void;
  setTrainer?(context: TrainerContext): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** Called after the gradients of a step, before the update; false skips the update and stops training. */
  beforeUpdate?(iteration: number, logs: Logs): boolean;
  /** An AbortSignal is stopping the run between two steps. */
  onInterrupt?(): void | Promise<void>;
  /**
   * The next optimizer iteration after `iteration` at which this callback reads the run's
   * state (weights, optimizer) in `onBatchEnd`, or undefined for none. The workers run
   * several steps on their own between visits of the main thread, and batch hooks are
   * called after each such run; a run ends at every iteration a callback names here, so
   * that its hook sees the state of exactly that step.
   */
  nextStop?(iteration: number): number | undefined;
  /**
   * Present: the workers themselves skip the update of a step whose loss is not finite and
   * end training there (no step waits for the main thread, as `beforeUpdate` makes it);
   * this is then called with that step's iteration and logs. The weights stay those after
   * the step before.
   */
  onNonFiniteLoss?(iteration: number, logs: Logs): void;
}

/** Calls every callback's hook in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: readonly TrainerCallback[]) {}

  bind(model: Model, context: TrainerContext, params: FitParams): void {
    for (const c of this.callbacks) {
      c.setModel?.(model);
      c.setParams?.(params);
      c.setTrainer?.(context);
    }
  }

  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  async batchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }
  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
  /** True when every callback lets the update go ahead. */
  allowUpdate(iteration: number, logs: Logs): boolean {
    return this.callbacks.every((c) => c.beforeUpdate?.(iteration, logs) ?? true);
  }
  async interrupt(): Promise<void> {
    for (const c of this.callbacks) await c.onInterrupt?.();
  }
  /** True when some callback asks the workers to guard against a non-finite loss. */
  get guardsLoss(): boolean {
    return this.callbacks.some((c) => c.onNonFiniteLoss !== undefined);
  }
  /** Tells the guarding callbacks which step's loss was not finite. */
  lossNotFinite(iteration: number, logs: Logs): void {
    for (const c of this.callbacks) c.onNonFiniteLoss?.(iteration, logs);
  }
  /** The nearest iteration after `iteration` some callback must see the state of (Infinity for none). */
  nextStop(iteration: number): number {
    let stop = Number.POSITIVE_INFINITY;
    for (const c of this.callbacks) {
      const at = c.nextStop?.(iteration);
      if (at !== undefined && at > iteration) stop = Math.min(stop, at);
    }
    return stop;
  }
  /** True when some callback may veto an update (the workers then wait for its answer). */
  get wantsVeto(): boolean {
    return this.callbacks.some((c) => c.beforeUpdate !== undefined);
  }
  /** True when some callback has a batch hook (then per-batch logs are worth building). */
  get wantsBatches(): boolean {
    return this.callbacks.some(
      (c) =>
        c.onBatchBegin !== undefined || c.onBatchEnd !== undefined || c.beforeUpdate !== undefined,
    );
  }
}
