/**
 * Worker-thread entry (Piscina). Each thread builds its session once, from its ReadyTask:
 * imports the custom-object modules, rebuilds the model from its config, binds its
 * weights to the shared parameter store without copying, and attaches the shared dataset.
 * Then it runs a step loop (gradients of its shard, then reduce + update of its slice of
 * the parameter vector, for every step the main thread posts through the step channel),
 * or evaluates a range of examples. The arithmetic is a stepper's: the resident step when
 * the main thread planned one, else the tfjs autodiff path (stepper.ts).
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { formatValue, StateError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import { bindWeights, losses, Model, metrics, optimizers, TrainingStep } from '@tessera/layers';
import { REHEARSAL_POSITION, updatesInPlace } from './alternation.js';
import { dataMismatch } from './check-fit.js';
import { stepTicket } from './claims.js';
import { Collective, ExchangeAborted } from './collective.js';
import { MODEL_REBUILD_FAILED } from './errors.js';
import type {
  EvaluateResult,
  EvaluateTask,
  LoopResult,
  LoopTask,
  ReadyTask,
  SessionInit,
  Task,
} from './protocol.js';
import { ResidentStepper } from './resident-stepper.js';
import { SharedTrainingState } from './shared-state.js';
import { Word } from './step-channel.js';
import type { Batch, Stepper, StepperContext } from './stepper.js';
import { TfjsStepper } from './tfjs-stepper.js';
import { UnitSplitStepper } from './unit-split-stepper.js';
import { emptyYoungGeneration } from './young-generation.js';

interface Session extends StepperContext {
  validation: Dataset | undefined;
  /** Steppers by worker index (a thread may serve different indices over a run). */
  steppers: Map<number, Stepper>;
  makeStepper: (worker: number) => Stepper;
}

let session: Promise<Session> | undefined;

async function createSession(init: SessionInit): Promise<Session> {
  for (const url of init.customObjects) await import(url);
  let model: Model;
  try {
    model = Model.fromJSON(init.model);
  } catch (err) {
    throw new Error(
      `${MODEL_REBUILD_FAILED}: ${(err as Error).message}. Custom activations and Lambda ` +
        'functions must be registered in a module that every worker imports: pass its path in fit(..., { customObjects: [path] })',
      { cause: err },
    );
  }
  const shared = SharedTrainingState.attach(init.shared);
  const train = Dataset.attach(init.train);
  if (!model.built) model.build([null, ...train.featureShape]);
  bindWeights(model, shared.store, { copy: false });
  const loss = losses.get(init.loss as Parameters<typeof losses.get>[0]);
  const metricList = init.metrics.map((m) =>
    metrics.get(m as Parameters<typeof metrics.get>[0], { loss: loss.name }),
  );
  const optimizer = optimizers.deserialize(
    init.optimizer as Parameters<typeof optimizers.deserialize>[0],
  );
  const context: StepperContext = { init, shared, train };
  const resident = init.resident;
  // The exchange among the workers inside a step (collective.ts); it leaves on ABORT.
  const collective = Collective.attach(init.collective, {
    words: shared.channel.words,
    index: Word.ABORT,
  });
  const makeStepper = (worker: number): Stepper =>
    resident?.split !== undefined
      ? new UnitSplitStepper(context, resident, worker, optimizer)
      : resident !== undefined
        ? new ResidentStepper(context, resident, worker, optimizer)
        : new TfjsStepper(
            context,
            new TrainingStep(model, { loss, metrics: metricList }),
            optimizer,
            collective,
            worker,
          );
  const validation = init.validation === undefined ? undefined : Dataset.attach(init.validation);
  // The steppers gather the validation targets into buffers sized for the training set's
  // (fit checked that the sets match: check-fit.ts); any other set would be read past.
  const mismatch = validation === undefined ? undefined : dataMismatch(train, validation);
  if (mismatch !== undefined) {
    throw new StateError(
      `session: the validation set's ${mismatch.field} ${formatValue(mismatch.received)} is not the training set's ${formatValue(mismatch.expected)}`,
    );
  }
  return {
    ...context,
    validation,
    steppers: new Map(),
    makeStepper,
  };
}

function stepperFor(s: Session, worker: number): Stepper {
  let stepper = s.steppers.get(worker);
  if (stepper === undefined) {
    stepper = s.makeStepper(worker);
    s.steppers.set(worker, stepper);
  }
  return stepper;
}

/**
 * The step loop (protocol in step-channel.ts): runs until STOP or ABORT. Nothing in the
 * inner loop allocates: shard bounds are computed in place and results go to the
 * channel from the stepper's own array.
 */
function runLoop(s: Session, task: LoopTask): LoopResult {
  const channel = s.shared.channel;
  const { worker } = task;
  const stepper = stepperFor(s, worker);
  const sliceStart = task.slice.start;
  const sliceEnd = task.slice.end;
  const batch: Batch = { start: 0, end: 0, shards: 0, ticket: 0, step: 0, steps: 0 };
  const chunked = stepper.chunked;
  let seq = task.fromSeq;
  let steps = 0;
  // Never inside a run (young-generation.ts): when the loop starts, at the end of each
  // rehearsal run (below) and at the end of an evaluation task.
  emptyYoungGeneration();
  for (;;) {
    const order = channel.nextRun(seq);
    if (order === null) return { steps };
    seq = order.seq;
    // A rehearsal (rehearsal.ts) runs its steps on consecutive batches like a run, but
    // every step reads copy 0 of the state and writes copy 1 as a run's first step of two
    // does, at the run's first iteration; it has no loss guard and no veto.
    const rehearsal = order.rehearsal === true;
    for (let j = 0; j < order.steps; j++) {
      const t0 = performance.now();
      const iteration = rehearsal ? order.iteration : order.iteration + j;
      batch.start = order.start + j * order.batchSize;
      batch.end = Math.min(batch.start + order.batchSize, order.total);
      const n = batch.end - batch.start;
      batch.shards = Math.min(channel.workers, n);
      batch.ticket = stepTicket(seq, j);
      batch.step = rehearsal ? REHEARSAL_POSITION.step : j;
      batch.steps = rehearsal ? REHEARSAL_POSITION.steps : order.steps;
      // A stepper that shares each phase out in chunks waits for the phase's chunks, not for
      // every worker (step-channel.ts, "A worker left behind"), except where every worker
      // must be there: a step that updates in place, and a veto.
      const byChunks = chunked && !task.veto && !updatesInPlace(batch.step, batch.steps);
      // Every slice of the previous step must be updated before this step reads weights.
      if (
        j > 0 &&
        !(chunked ? channel.updatesCompleteBarrier(j - 1) : channel.updatesBarrier(j - 1))
      ) {
        return { steps };
      }
      const t1 = performance.now();
      const examples = stepper.gradients(worker, iteration, batch);
      stepper.beforeBarrier(worker, iteration, sliceStart, sliceEnd, batch);
      const t2 = performance.now();
      channel.gradientsFinished(
        j,
        worker,
        iteration,
        stepper.values,
        examples,
        t2 - t1,
        stepper.tensors(),
      );
      // With chunks, the worker that finished the step's last row chunk reports the batch.
      if (chunked && examples > 0) channel.gradientsComplete(j);
      if (!(byChunks ? channel.gradientsCompleteBarrier(j) : channel.gradientsBarrier(j))) {
        return { steps };
      }
      if (!rehearsal && task.guardLoss && !channel.lossFinite(j)) {
        channel.stopRun(order, j);
        break;
      }
      if (!rehearsal && task.veto) {
        const go = channel.awaitGo(seq);
        if (go === 'abort') return { steps };
        if (go === 'skip') break;
      }
      const t3 = performance.now();
      const last = stepper.update(
        worker,
        iteration,
        order.learningRate,
        batch,
        sliceStart,
        sliceEnd,
      );
      if (last) channel.updatesComplete(j);
      const updateMs = performance.now() - t3;
      // After a rehearsal run, before its last step is reported: the main thread then hears
      // of the run's end only once every worker has collected, before the epoch begins.
      if (rehearsal && j === order.steps - 1) emptyYoungGeneration();
      channel.updateFinished(order, j, worker, t1 - t0 + (t3 - t2), updateMs);
      steps++;
    }
  }
}

function evaluate(s: Session, task: EvaluateTask): EvaluateResult {
  const data = task.split === 'train' ? s.train : s.validation;
  if (data === undefined) throw new StateError('evaluate: this session has no validation data');
  const weights = s.init.sampleWeight;
  const sampleWeight = task.split === 'train' ? weights?.train : weights?.validation;
  const result = stepperFor(s, task.worker).evaluate(
    task.split,
    data,
    task.start,
    task.end,
    sampleWeight,
  );
  // Before the main thread has the result, so before it starts the loops again.
  emptyYoungGeneration();
  return result;
}

async function ready(task: ReadyTask): Promise<number> {
  session ??= createSession(task.init);
  const s = await session;
  const channel = s.shared.channel;
  channel.arriveReady();
  const deadline = performance.now() + task.timeoutMs;
  for (;;) {
    const seen = channel.readyCount();
    if (seen >= task.workers) return threadId;
    const left = deadline - performance.now();
    if (left <= 0)
      throw new StateError(
        `start-up: only ${seen} of ${task.workers} worker threads became ready within ${task.timeoutMs} ms`,
      );
    channel.waitReady(seen, Math.min(left, 50));
  }
}

export default async function run(task: Task): Promise<LoopResult | EvaluateResult | number> {
  if (task.kind === 'ready') return ready(task);
  if (session === undefined) {
    throw new StateError(
      `worker: the ${task.kind} task came before the ready task that starts the session`,
    );
  }
  const s = await session;
  switch (task.kind) {
    case 'loop':
      try {
        return runLoop(s, task);
      } catch (error) {
        // Another worker failed while this one waited in a step's exchange (collective.ts):
        // leave as on ABORT (the failure is that worker's, already reported; this count of
        // steps is lost with the stack, and nothing reads it after an abort).
        if (error instanceof ExchangeAborted) return { steps: 0 };
        throw error;
      }
    case 'evaluate':
      return evaluate(s, task);
  }
}
