/**
 * The main thread's side of the worker loops: one long-lived loop task per thread,
 * started before the first step and stopped before any other pool task (evaluation) or
 * at the end; runs of steps are posted and awaited through the step channel (protocol in
 * step-channel.ts). A worker that throws, whose thread exits, or that does not answer
 * within the step timeout fails the step with a WorkerError naming it, the step and the
 * phase; every other loop is made to leave, a hung thread is stopped, and the weights and
 * optimizer state are put back to those after the previous step: any slice already updated
 * in place in the failed step is rolled back from its backup, and on the resident step,
 * whose steps write the other copy of the state (alternation.ts), the copy the failed step
 * read becomes the store's again.
 */
import { copyAfter } from './alternation.js';
import { WorkerError } from './errors.js';
import type { WorkerPool } from './pool.js';
import type { LoopResult } from './protocol.js';
import type { Range } from './sharding.js';
import type { SharedTrainingState } from './shared-state.js';
import type { RunOrder, WorkerResult } from './step-channel.js';

/** A loop task ended while steps were still expected of it. */
class LoopEnded extends Error {
  constructor(
    readonly worker: number,
    readonly reason: unknown,
  ) {
    super('a worker loop ended');
  }
}

/** A run of consecutive steps, as `WorkerLoops.run` takes it. */
export type RunRequest = Omit<RunOrder, 'seq'>;

/** What a run produced. */
export interface RunOutcome {
  /** Results of every completed step, in order: `steps[j][worker]`. */
  steps: WorkerResult[][];
  /** False when a veto, or the loss guard, stopped the run before an update. */
  updated: boolean;
  /** With `updated` false: how many leading `steps` were applied (the rest only computed). */
  applied?: number;
  /** The iteration whose non-finite loss stopped the run (the loss guard). */
  nonFiniteAt?: number;
  /** Why the run ended after `steps.length` steps instead of all of them. */
  error?: WorkerError;
}

export interface LoopOptions {
  /** Milliseconds a step may go without progress before the missing worker is stopped. */
  timeoutMs: number | undefined;
  /** Let the main thread see each step's results before its update (callbacks with beforeUpdate). */
  veto: boolean;
  /** The workers skip the update of a step whose loss is not finite and end the run. */
  guardLoss: boolean;
  /**
   * How the store's layout changes while a run is in the workers' hands (the hidden-unit
   * split: unit-split-layout.ts): `enter` before a run is posted, `leave` once it is over
   * and whenever the main thread looks at the state in the middle of one (a veto).
   */
  layout?: RunLayout;
}

/** See LoopOptions.layout. */
export interface RunLayout {
  enter(): void;
  leave(): void;
}

export class WorkerLoops {
  private tasks: Promise<LoopResult>[] | null = null;
  /** Rejects with LoopEnded as soon as a running loop task settles. */
  private ended: Promise<never> = new Promise<never>(() => {});

  /** Whether the steps alternate between two copies of the state (the resident step). */
  private readonly alternates: boolean;

  constructor(
    private readonly pool: WorkerPool,
    private readonly state: SharedTrainingState,
    private readonly slices: readonly Range[],
    readonly options: LoopOptions,
  ) {
    this.alternates = state.wasmMemory !== undefined;
  }

  /** Starts one loop task per thread unless they run already. */
  start(): void {
    if (this.tasks !== null) return;
    const channel = this.state.channel;
    const fromSeq = channel.seq;
    const tasks = this.slices.map((slice, worker) =>
      this.pool.run<LoopResult>({
        kind: 'loop',
        worker,
        slice: { ...slice },
        fromSeq,
        veto: this.options.veto,
        guardLoss: this.options.guardLoss,
      }),
    );
    this.tasks = tasks;
    this.ended = new Promise<never>((_, reject) => {
      tasks.forEach((task, worker) => {
        task.then(
          () => reject(new LoopEnded(worker, new Error('the worker left its step loop'))),
          (reason: unknown) => reject(new LoopEnded(worker, reason)),
        );
      });
    });
    // Observed only while a step waits; a loop that ends on STOP is no failure.
    this.ended.catch(() => {});
  }

  /**
   * Runs `request.steps` consecutive steps (one with a veto: then `allow` sees the
   * results after the gradient phase and may skip the update). A worker failure ends the
   * run early: the outcome then holds the completed steps and the WorkerError, and the
   * weights are those after the last completed step. With `keepLayout`, a run that
   * completes every step leaves the store in the runs' layout (the next run follows at
   * once; `settle` puts it back otherwise); any other ending puts it back at once.
   */
  async run(
    request: RunRequest,
    allow: (results: WorkerResult[]) => boolean,
    keepLayout = false,
  ): Promise<RunOutcome> {
    this.start();
    const layout = this.options.layout;
    layout?.enter();
    let outcome: RunOutcome | undefined;
    try {
      outcome = await this.runSteps(request, allow);
      return outcome;
    } finally {
      const whole =
        outcome?.updated === true &&
        outcome.error === undefined &&
        outcome.steps.length === request.steps;
      if (!(keepLayout && whole)) layout?.leave();
    }
  }

  /** Puts the store back in the layout the main thread reads, after a run that kept the runs' one. */
  settle(): void {
    this.options.layout?.leave();
  }

  private async runSteps(
    request: RunRequest,
    allow: (results: WorkerResult[]) => boolean,
  ): Promise<RunOutcome> {
    const layout = this.options.layout;
    const channel = this.state.channel;
    if (this.alternates && request.steps > 1) {
      // Weights no step updates are read from either copy.
      this.state.mirrorUntrained(this.slices.at(-1)?.end ?? 0);
    }
    const seq = channel.post(request);
    const waitFor = async (gradientsOnly: boolean): Promise<WorkerError | undefined> => {
      const options = { gradientsOnly, timeoutMs: this.options.timeoutMs, failed: this.ended };
      try {
        if (await channel.waitRun(seq, options)) return undefined;
        return this.fail(request, undefined);
      } catch (error) {
        if (!(error instanceof LoopEnded)) throw error;
        return this.fail(request, error);
      }
    };
    if (this.options.veto) {
      const error = await waitFor(true);
      if (error !== undefined) return { steps: [], updated: false, error };
      let update: boolean;
      try {
        // The callbacks may read the weights: row-major while they look.
        layout?.leave();
        update = allow(this.results(0));
        layout?.enter();
      } catch (err) {
        // The workers wait for GO: tell them to skip, so they stay free to stop.
        channel.go(seq, false);
        throw err;
      }
      channel.go(seq, update);
      if (!update) return { steps: [this.results(0)], updated: false, applied: 0 };
    }
    const error = await waitFor(false);
    const stoppedAt = channel.stoppedAt;
    if (error === undefined && stoppedAt > 0) {
      // The loss guard: steps before `stoppedAt` were applied; its own step only computed.
      const applied = stoppedAt - request.iteration;
      this.useCopyAfter(applied, request.steps);
      const steps = Array.from({ length: applied + 1 }, (_, j) => this.results(j));
      return { steps, updated: false, applied, nonFiniteAt: stoppedAt };
    }
    // The failed step is the first one not completed.
    const completed = error === undefined ? request.steps : error.iteration - request.iteration;
    const steps = Array.from({ length: completed }, (_, j) => this.results(j));
    return error === undefined ? { steps, updated: true } : { steps, updated: true, error };
  }

  /**
   * A rehearsal run (rehearsal.ts): `request.steps` steps (at most MAX_RUN) that read copy 0
   * of the state and write copy 1, so the store is left as it was. A failure stops every
   * loop and is returned; nothing needs rolling back.
   */
  async rehearse(request: RunRequest): Promise<WorkerError | undefined> {
    this.start();
    const layout = this.options.layout;
    layout?.enter();
    try {
      return await this.rehearseSteps(request);
    } finally {
      layout?.leave();
    }
  }

  private async rehearseSteps(request: RunRequest): Promise<WorkerError | undefined> {
    const seq = this.state.channel.post({ ...request, rehearsal: true });
    let ended: LoopEnded | undefined;
    try {
      const options = {
        gradientsOnly: false,
        timeoutMs: this.options.timeoutMs,
        failed: this.ended,
      };
      if (await this.state.channel.waitRun(seq, options)) return undefined;
    } catch (error) {
      if (!(error instanceof LoopEnded)) throw error;
      ended = error;
    }
    // Every rehearsal step has the run's first iteration.
    const { worker, cause } = await this.stopAfter(request.iteration, ended);
    return new WorkerError({
      worker,
      iteration: request.iteration,
      phase: 'rehearsing the step',
      cause,
    });
  }

  private results(step: number): WorkerResult[] {
    return this.slices.map((_, worker) => this.state.channel.result(step, worker));
  }

  /** Ends the loops (they are idle between steps) and waits for their tasks. */
  async stop(): Promise<void> {
    const tasks = this.tasks;
    if (tasks === null) return;
    this.tasks = null;
    this.state.channel.stop();
    await Promise.allSettled(tasks);
    // Whatever way the training ended, the main thread reads the store from now on.
    this.settle();
  }

  /**
   * Stops every loop after a failure (`ended`: a loop task settled; undefined: no progress
   * within the timeout), rolls back the failed step's updated slices and returns the
   * WorkerError naming the worker, the step and the phase.
   */
  private async fail(request: RunRequest, ended: LoopEnded | undefined): Promise<WorkerError> {
    const channel = this.state.channel;
    // Named after a timeout: the worker furthest behind (the others may have gone on).
    const lagging = channel.laggingIteration(request.iteration, request.steps);
    const { worker, cause } = await this.stopAfter(lagging, ended);
    // Read after every loop stopped: the first step not updated by all is the failed one.
    const iteration = request.iteration + channel.completed;
    const phase = channel.gradientsDone(worker, iteration)
      ? 'updating weights'
      : 'computing gradients';
    this.rollback(iteration);
    this.useCopyAfter(iteration - request.iteration, request.steps);
    return new WorkerError({ worker, iteration, phase, cause });
  }

  /**
   * After a failure (`ended`: a loop task settled; undefined: no progress within the
   * timeout, in the step of `iteration`): the worker to name and why, once every loop has
   * left.
   */
  private async stopAfter(
    iteration: number,
    ended: LoopEnded | undefined,
  ): Promise<{ worker: number; cause: unknown }> {
    const channel = this.state.channel;
    let worker: number;
    let cause: unknown;
    if (ended === undefined) {
      const missing = channel.missing(iteration, 'gradients');
      worker = missing >= 0 ? missing : Math.max(0, channel.missing(iteration, 'update'));
      cause = new Error(
        `no answer within stepTimeoutMs=${this.options.timeoutMs} ms; the thread was stopped`,
      );
    } else {
      worker = ended.worker;
      cause = ended.reason;
    }
    await this.halt(ended === undefined);
    return { worker, cause };
  }

  /**
   * Makes every loop leave. Loops that are computing finish their phase first; a hung
   * thread is stopped with the pool (as is every thread when the step timed out).
   */
  private async halt(timedOut: boolean): Promise<void> {
    const tasks = this.tasks ?? [];
    this.tasks = null;
    this.state.channel.abort();
    if (!timedOut) {
      const limit = this.options.timeoutMs;
      const settled = Promise.allSettled(tasks).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        if (limit !== undefined) timer = setTimeout(resolve, limit, false);
      });
      const done = await Promise.race([settled, late]);
      clearTimeout(timer);
      if (done) return;
    }
    await this.pool.close();
  }

  /**
   * After a run stopped early with `applied` of its `steps` applied: makes the store hold
   * the state after them, when the alternation left it in the other copy.
   */
  private useCopyAfter(applied: number, steps: number): void {
    if (this.alternates && copyAfter(applied, steps) === 1) this.state.settleFromAlternate();
  }

  /** Puts back every slice whose owner had started updating it in the failed step. */
  private rollback(iteration: number): void {
    const { state } = this;
    const params = state.store.data;
    const optimizerSlots = state.optimizerSlots();
    this.slices.forEach((r, slice) => {
      if (state.channel.backupStep(slice) !== iteration) return;
      params.set(state.backupArray(0).subarray(r.start, r.end), r.start);
      optimizerSlots.forEach((slot, i) => {
        slot.set(state.backupArray(1 + i).subarray(r.start, r.end), r.start);
      });
    });
  }
}
