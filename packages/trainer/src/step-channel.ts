/**
 * The step protocol between the main thread and the worker loops, over one shared
 * control buffer: int32 words (only Atomics touch them) followed by float64 numbers.
 *
 * A worker loop is ONE long-lived pool task per thread (worker.ts `runLoop`). The main
 * thread posts a run of consecutive steps (one step when callbacks must see every batch,
 * several otherwise); the workers carry the run out among themselves, synchronising on
 * two shared counters per step, and the main thread is woken once, when it is done.
 *
 * A run, numbered `seq` (the main thread counts them), of STEPS steps:
 *   main     resets GRAD_DONE, UPDATE_DONE, GO, STOPS, STOP_ITERATION, GRAD_COMPLETE and
 *            UPDATE_COMPLETE to 0 (and the EXAMPLES of the run's result blocks), writes
 *            ITERATION (of the first step), START (its first example in the
 *            permutation), BATCH, TOTAL (examples in the epoch), STEPS and the
 *            LEARNING_RATE number, then COMMAND = RUN, and
 *            stores SEQ = seq (release) and notifies SEQ. Every worker is waiting on SEQ
 *            then: none reads those words while the main thread writes them.
 *   Step j of the run (iteration ITERATION + j, batch START + j·BATCH … min(+BATCH, TOTAL)):
 *   worker i computes the gradient of its shard into gradient slot i, writes its results
 *            (loss, metrics, times) into block (j, i) of the results, stores
 *            GRAD_STEP[i] = iteration and adds 1 to GRAD_DONE; then waits until GRAD_DONE
 *            reaches workers·(j + 1): the barrier. With a veto (runs of one step), it
 *            then waits until the main thread stores GO = seq (update) or -seq (skip).
 *   worker i sums the gradient slots over its slice of the parameter vector in fixed
 *            worker order, backs the slice up (BACKUP_STEP[i] = iteration once done),
 *            applies the optimizer there, stores UPDATE_STEP[i] = iteration and adds 1
 *            to UPDATE_DONE. Before step j + 1 it waits until UPDATE_DONE reaches
 *            workers·(j + 1): no gradient of the next step reads a half-updated weight.
 *            The worker completing the last step stores RUN_DONE = seq and notifies it.
 *   main     waits on RUN_DONE without blocking its event loop (waking every step
 *            timeout to check the counters still move); only then does it read weights,
 *            results, run callbacks or post again. No two threads write the same bytes,
 *            except the words any worker may raise (GRAD_COMPLETE, UPDATE_COMPLETE, below),
 *            which only go up.
 *
 * A worker left behind. The resident step shares each phase out in chunks that any worker
 * may take (claims.ts), so a phase is over when its last chunk is, whoever ran it: the
 * worker finishing a step's last row chunk stores GRAD_COMPLETE = j + 1 after its results,
 * the one finishing the last update chunk stores UPDATE_COMPLETE = j + 1 (both only ever
 * raise the word), and the others wait for those instead of for every worker's arrival. A
 * worker that lost its CPU between two chunks (the host's time slices of a virtual CPU last
 * milliseconds) then holds no one up: the others run the step, and the next ones,
 * without it; when it runs again it finds every chunk of its step taken and the phases
 * complete, and goes through the steps it missed without computing anything until it is
 * back with the others. It still counts
 * GRAD_DONE and UPDATE_DONE at every step, so RUN_DONE waits for it. A worker that lost its
 * CPU in the middle of a row chunk holds no one up either: the others compute that chunk
 * too, and whoever finishes it first publishes it (row-chunks.ts). Steps that update
 * the state in place (alternation.ts) and steps under a veto wait for every worker, as
 * above: every slice must be backed up before any is updated, and the main thread decides
 * once every worker is there. Every chunk's result is the same bits whoever computes it,
 * so a step's result does not depend on who was late.
 *
 * A rehearsal (rehearsal.ts) is posted the same way with COMMAND = REHEARSE: the workers
 * run it as a run whose every step reads copy 0 of the state and writes copy 1, at the
 * same iteration, with no loss guard and no veto.
 *
 * Leaving: COMMAND = STOP with a new SEQ ends every loop (before evaluation tasks, at the
 * end of training). ABORT = 1 (notified on every word a worker waits on) makes a waiting
 * worker leave at once: the main thread sets it when a worker failed, before it rolls back
 * the slices whose BACKUP_STEP shows they were touched in the failed step. GRAD_STEP and
 * UPDATE_STEP tell it which worker is missing when a step times out, and in which phase.
 */

import { BarrierSpins } from './barrier-spins.js';
import {
  BACKUP_STEP,
  Command,
  GRAD_STEP,
  layout,
  type RunOrder,
  UPDATE_STEP,
  Word,
  type WorkerResult,
} from './step-layout.js';
import { StepResults } from './step-results.js';
import { blockUntil, blockUntilAtLeast, type SpinBudget, waitChange } from './waiting.js';

export {
  Command,
  channelBytes,
  MAX_RUN,
  Result,
  type RunOrder,
  Word,
  type WorkerResult,
} from './step-layout.js';

/** Both ends of the protocol over one control buffer (see the module comment). */
export class StepChannel {
  readonly words: Int32Array;
  readonly workers: number;
  /** The run's learning rate and each step's results (step-results.ts). */
  private readonly results: StepResults;
  /** Main thread: what `abort` also wakes (the collective exchange's waiters, collective.ts). */
  private readonly alsoWake: (() => void)[] = [];
  /** Main thread: whether a worker waits for the others in the collective exchange. */
  private exchangeWait: ((worker: number) => boolean) | undefined;
  /** Worker thread: how long it polls at each barrier before sleeping (barrier-spins.ts). */
  private readonly spins = new BarrierSpins();

  constructor(buffer: SharedArrayBuffer, workers: number, metrics: number) {
    const l = layout(workers, metrics);
    this.workers = workers;
    this.words = new Int32Array(buffer, 0, l.words);
    const numbers = new Float64Array(buffer, l.wordBytes, l.numbers);
    this.results = new StepResults(numbers, workers, metrics, l.block);
  }

  private own(worker: number, offset: number): number {
    return Word.PER_WORKER + worker * 3 + offset;
  }

  private load(word: number): number {
    return Atomics.load(this.words, word);
  }

  // ---- main thread ----

  /** Posts a run and wakes every worker; returns its sequence number. */
  post(run: Omit<RunOrder, 'seq'>): number {
    const w = this.words;
    for (const word of [
      Word.GRAD_DONE,
      Word.UPDATE_DONE,
      Word.GO,
      Word.STOPS,
      Word.STOP_ITERATION,
      Word.GRAD_COMPLETE,
      Word.UPDATE_COMPLETE,
    ]) {
      Atomics.store(w, word, 0);
    }
    this.results.clearExamples(run.steps);
    Atomics.store(w, Word.ITERATION, run.iteration);
    Atomics.store(w, Word.START, run.start);
    Atomics.store(w, Word.BATCH, run.batchSize);
    Atomics.store(w, Word.TOTAL, run.total);
    Atomics.store(w, Word.STEPS, run.steps);
    this.results.learningRate = run.learningRate;
    Atomics.store(w, Word.COMMAND, run.rehearsal === true ? Command.REHEARSE : Command.RUN);
    return this.publish();
  }

  /** Ends every worker loop (they return from their tasks). */
  stop(): void {
    Atomics.store(this.words, Word.COMMAND, Command.STOP);
    this.publish();
  }

  private publish(): number {
    const seq = this.load(Word.SEQ) + 1;
    Atomics.store(this.words, Word.SEQ, seq);
    Atomics.notify(this.words, Word.SEQ);
    return seq;
  }

  /** The current sequence number (a new loop waits for the next one). */
  get seq(): number {
    return this.load(Word.SEQ);
  }

  /** With a veto: lets the workers update (true) or skip the update of run `seq`. */
  go(seq: number, update: boolean): void {
    Atomics.store(this.words, Word.GO, update ? seq : -seq);
    Atomics.notify(this.words, Word.GO);
  }

  /** Makes every waiting worker leave its loop now. */
  abort(): void {
    Atomics.store(this.words, Word.ABORT, 1);
    for (const word of [
      Word.SEQ,
      Word.GRAD_DONE,
      Word.UPDATE_DONE,
      Word.GO,
      Word.GRAD_COMPLETE,
      Word.UPDATE_COMPLETE,
    ]) {
      Atomics.notify(this.words, word);
    }
    for (const wake of this.alsoWake) wake();
  }

  /**
   * Main thread: `abort` also calls `wake`, for waits on words outside this buffer that
   * check ABORT too (the collective exchange inside a step, collective.ts).
   */
  wakeOnAbort(wake: () => void): void {
    this.alsoWake.push(wake);
  }

  /**
   * Main thread: `missing` passes over workers for which `waiting` is true (they wait in
   * the collective exchange for the one that is missing).
   */
  exchangeWaits(waiting: (worker: number) => boolean): void {
    this.exchangeWait = waiting;
  }

  /** The iteration at which the loss guard stopped the current run, or 0. */
  get stoppedAt(): number {
    return this.load(Word.STOPS) === this.workers ? this.load(Word.STOP_ITERATION) : 0;
  }

  /**
   * Steps of the current run whose every slice is updated: every worker finished them, or
   * every chunk of their update phase is finished (the others may be ahead of a worker).
   */
  get completed(): number {
    return Math.max(
      Math.floor(this.load(Word.UPDATE_DONE) / this.workers),
      this.load(Word.UPDATE_COMPLETE),
    );
  }

  /**
   * Resolves true once run `seq` is done (or, with `gradientsOnly`, once every worker
   * finished the gradients of a one-step run); false when neither counter moved for
   * `timeoutMs`; rejects as soon as `failed` rejects. The event loop runs meanwhile.
   */
  async waitRun(
    seq: number,
    options: { gradientsOnly: boolean; timeoutMs: number | undefined; failed: Promise<never> },
  ): Promise<boolean> {
    const word = options.gradientsOnly ? Word.GRAD_DONE : Word.RUN_DONE;
    const done = (v: number) => (options.gradientsOnly ? v >= this.workers : v === seq);
    const progress = () => this.load(Word.GRAD_DONE) + this.load(Word.UPDATE_DONE);
    const limit = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    let seen = progress();
    let deadline = performance.now() + limit;
    for (;;) {
      const value = this.load(word);
      if (done(value)) return true;
      let left = deadline - performance.now();
      if (left <= 0) {
        // Some worker moved since the last look: it is slow, not stuck.
        const now = progress();
        if (now === seen) return false;
        seen = now;
        deadline = performance.now() + limit;
        left = limit;
      }
      await waitChange(
        this.words,
        word,
        value,
        Number.isFinite(left) ? left : undefined,
        options.failed,
      );
    }
  }

  /**
   * The first worker that has not finished phase `phase` of `iteration` and is not waiting
   * for the others in the collective exchange (else the first that has not finished), or -1.
   */
  missing(iteration: number, phase: 'gradients' | 'update'): number {
    const offset = phase === 'gradients' ? GRAD_STEP : UPDATE_STEP;
    let first = -1;
    for (let i = 0; i < this.workers; i++) {
      if (this.load(this.own(i, offset)) >= iteration) continue;
      if (this.exchangeWait?.(i) !== true) return i;
      if (first < 0) first = i;
    }
    return first;
  }

  /**
   * The first iteration of the run (`first`, `steps` steps) that some worker has not
   * updated yet: where the worker furthest behind is (the others may have gone on).
   */
  laggingIteration(first: number, steps: number): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.workers; i++) {
      lowest = Math.min(lowest, this.load(this.own(i, UPDATE_STEP)) + 1);
    }
    return Math.min(first + steps - 1, Math.max(first, lowest));
  }

  /** Whether worker `worker` had finished its gradients of `iteration`. */
  gradientsDone(worker: number, iteration: number): boolean {
    return this.load(this.own(worker, GRAD_STEP)) >= iteration;
  }

  /** The iteration whose backup of slice `worker` is complete. */
  backupStep(worker: number): number {
    return this.load(this.own(worker, BACKUP_STEP));
  }

  /** Worker `worker`'s results of step `step` of the last run (read once that step is counted done). */
  result(step: number, worker: number): WorkerResult {
    return this.results.read(step, worker);
  }

  // ---- worker thread ----

  /** Start-up barrier: counts this thread as ready (its session is built). */
  arriveReady(): void {
    Atomics.add(this.words, Word.READY, 1);
    Atomics.notify(this.words, Word.READY);
  }

  /** Threads counted ready so far. */
  readyCount(): number {
    return this.load(Word.READY);
  }

  /** Sleeps until the ready count may differ from `seen`, or `timeoutMs` pass. */
  waitReady(seen: number, timeoutMs: number): void {
    Atomics.wait(this.words, Word.READY, seen, timeoutMs);
  }

  /** Blocks until the main thread posts after `lastSeq`; null when it is STOP or ABORT is set. */
  nextRun(lastSeq: number): RunOrder | null {
    const posted = blockUntil(this.words, Word.SEQ, Word.ABORT, (seq) => seq !== lastSeq);
    const command = this.load(Word.COMMAND);
    if (!posted || (command !== Command.RUN && command !== Command.REHEARSE)) return null;
    // Measured over the run before (and the wait for this one), on this worker's thread.
    this.spins.sample();
    return {
      seq: this.load(Word.SEQ),
      iteration: this.load(Word.ITERATION),
      start: this.load(Word.START),
      batchSize: this.load(Word.BATCH),
      total: this.load(Word.TOTAL),
      steps: this.load(Word.STEPS),
      learningRate: this.results.learningRate,
      rehearsal: command === Command.REHEARSE,
    };
  }

  /**
   * Publishes worker `worker`'s gradient results for step `step` (iteration `iteration`):
   * `values` holds the loss, then each metric. Allocates nothing (called every step).
   */
  gradientsFinished(
    step: number,
    worker: number,
    iteration: number,
    values: Float64Array,
    examples: number,
    gradMs: number,
    tensors: number,
  ): void {
    this.results.writeGradients(step, worker, values, examples, gradMs, tensors);
    Atomics.store(this.words, this.own(worker, GRAD_STEP), iteration);
    this.arrive(Word.GRAD_DONE);
  }

  /** Blocks until every worker finished the gradients of step `step`; false on ABORT. */
  gradientsBarrier(step: number): boolean {
    return this.countUntil(Word.GRAD_DONE, this.workers * (step + 1), this.spins.gradients);
  }

  /** Blocks until every slice of step `step` is updated; false on ABORT. */
  updatesBarrier(step: number): boolean {
    return this.countUntil(Word.UPDATE_DONE, this.workers * (step + 1), this.spins.updates);
  }

  /**
   * The worker that finished the last row chunk of step `step`, after its results: the
   * step's gradient phase is complete.
   */
  gradientsComplete(step: number): void {
    this.raise(Word.GRAD_COMPLETE, step + 1);
  }

  /** The worker that finished the last update chunk of step `step`: the step is applied. */
  updatesComplete(step: number): void {
    this.raise(Word.UPDATE_COMPLETE, step + 1);
  }

  /**
   * Raises `word` to `value` unless it is already as high, and wakes its waiters. Only
   * raises: at a step that waits for every worker, the others can pass the barrier and
   * complete later steps while the finisher of this one is descheduled between its arrival
   * and this store, which must then not take the count back.
   */
  private raise(word: number, value: number): void {
    for (;;) {
      const seen = Atomics.load(this.words, word);
      if (seen >= value) return;
      if (Atomics.compareExchange(this.words, word, seen, value) === seen) break;
    }
    Atomics.notify(this.words, word);
  }

  /** Blocks until every row chunk of step `step` is finished; false on ABORT. */
  gradientsCompleteBarrier(step: number): boolean {
    return this.countUntil(Word.GRAD_COMPLETE, step + 1, this.spins.gradients);
  }

  /** Blocks until every update chunk of step `step` is finished; false on ABORT. */
  updatesCompleteBarrier(step: number): boolean {
    return this.countUntil(Word.UPDATE_COMPLETE, step + 1, this.spins.updates);
  }

  /**
   * Whether every reported loss of step `step` is finite (read after its gradient barrier:
   * every worker reads the same values, so all decide alike).
   */
  lossFinite(step: number): boolean {
    return this.results.lossFinite(step);
  }

  /**
   * The loss guard ends run `order` before the update of its step `step`: no worker
   * updates; the last worker to stop records the iteration and signals RUN_DONE.
   */
  stopRun(order: RunOrder, step: number): void {
    Atomics.store(this.words, Word.STOP_ITERATION, order.iteration + step);
    if (Atomics.add(this.words, Word.STOPS, 1) + 1 === this.workers) {
      Atomics.store(this.words, Word.RUN_DONE, order.seq);
      Atomics.notify(this.words, Word.RUN_DONE);
    }
  }

  /** With a veto: blocks until the main thread decides; 'update', 'skip' or 'abort'. */
  awaitGo(seq: number): 'update' | 'skip' | 'abort' {
    const decided = blockUntil(this.words, Word.GO, Word.ABORT, (go) => go === seq || go === -seq);
    if (!decided) return 'abort';
    return this.load(Word.GO) === seq ? 'update' : 'skip';
  }

  /** Records that slice `worker` is backed up as of `iteration` (before it is updated). */
  backedUp(worker: number, iteration: number): void {
    Atomics.store(this.words, this.own(worker, BACKUP_STEP), iteration);
  }

  /** Publishes worker `worker`'s update of step `step`; the last one of the run signals RUN_DONE. */
  updateFinished(
    order: RunOrder,
    step: number,
    worker: number,
    waitMs: number,
    updateMs: number,
  ): void {
    this.results.writeUpdate(step, worker, waitMs, updateMs);
    Atomics.store(this.words, this.own(worker, UPDATE_STEP), order.iteration + step);
    const done = this.arrive(Word.UPDATE_DONE);
    if (done === this.workers * order.steps) {
      Atomics.store(this.words, Word.RUN_DONE, order.seq);
      Atomics.notify(this.words, Word.RUN_DONE);
    }
  }

  /** Counts one arrival; the one completing a step wakes whoever waits on `word`. */
  private arrive(word: number): number {
    const count = Atomics.add(this.words, word, 1) + 1;
    if (count % this.workers === 0) Atomics.notify(this.words, word);
    return count;
  }

  /** Blocks until `word` reaches `target` (polling as `budget` says); false on ABORT. */
  private countUntil(word: number, target: number, budget: SpinBudget): boolean {
    return blockUntilAtLeast(this.words, word, Word.ABORT, target, budget);
  }
}
