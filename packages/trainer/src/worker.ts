/**
 * Worker-thread entry (Piscina). Each thread builds its session once from workerData:
 * imports the custom-object modules, rebuilds the model from its config, binds its
 * weights to the shared parameter store without copying, and attaches the shared dataset.
 * Then it runs a step loop (gradients of its shard, then reduce + update of its slice of
 * the parameter vector, for every step the main thread posts through the step channel),
 * or evaluates a range of examples.
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { RngStream, StateError, type Tensor, tf } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import {
  bindWeights,
  losses,
  Model,
  metrics,
  type Optimizer,
  optimizers,
  TrainingStep,
} from '@tessera/layers';
import { workerData } from 'piscina';
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
import { splitEvenly } from './sharding.js';
import { SharedTrainingState } from './shared-state.js';
import { Word } from './step-channel.js';
import { targetShape } from './targets.js';

interface Session {
  init: SessionInit;
  shared: SharedTrainingState;
  step: TrainingStep;
  optimizer: Optimizer;
  slots: Float32Array[];
  offsets: number[];
  /** Gradient slot k of the shared buffer, for every worker k. */
  gradSlots: Float32Array[];
  /** Backup arrays: params, then each optimizer slot. */
  backups: Float32Array[];
  train: Dataset;
  validation: Dataset | undefined;
  /** Reused gather buffers, grown on demand. */
  xBuffer: Float32Array;
  yBuffer: Float32Array;
}

/** Largest number of examples one evaluation chunk holds in memory. */
const EVAL_CHUNK = 2048;

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
  return {
    init,
    shared,
    step: new TrainingStep(model, { loss, metrics: metricList }),
    optimizer,
    slots: shared.optimizerSlots(),
    offsets: model.trainableWeights.map((w) => shared.store.entry(w.name).offset),
    gradSlots: Array.from({ length: shared.workers }, (_, k) => shared.gradSlot(k)),
    backups: Array.from({ length: 1 + shared.slotCount }, (_, i) => shared.backupArray(i)),
    train,
    validation: init.validation === undefined ? undefined : Dataset.attach(init.validation),
    xBuffer: new Float32Array(0),
    yBuffer: new Float32Array(0),
  };
}

function buffers(s: Session, data: Dataset, n: number): { x: Float32Array; y: Float32Array } {
  const xLen = n * data.featureSize;
  const yLen = n * (s.init.targets === 'one-hot' ? (data.numClasses ?? 1) : data.targetSize);
  if (s.xBuffer.length < xLen) s.xBuffer = new Float32Array(xLen);
  if (s.yBuffer.length < yLen) s.yBuffer = new Float32Array(yLen);
  return { x: s.xBuffer.subarray(0, xLen), y: s.yBuffer.subarray(0, yLen) };
}

function batchTensors(
  s: Session,
  data: Dataset,
  order: ArrayLike<number>,
  start: number,
  end: number,
): [Tensor, Tensor] {
  const n = end - start;
  const out = buffers(s, data, n);
  const xs = data.gatherFeatures(order, start, end, out.x);
  const ys = data.gatherTargets(order, start, end, { oneHot: s.init.targets === 'one-hot' }, out.y);
  return [
    tf.tensor(xs, [n, ...data.featureShape], 'float32'),
    tf.tensor(ys, targetShape(s.init.targets, data, n), 'float32'),
  ];
}

/** One step of a run: its iteration and its batch, permutation[start, end). */
interface Step {
  iteration: number;
  start: number;
  end: number;
  learningRate: number | undefined;
}

/** Loss and metrics of one shard; its scaled gradient goes into gradient slot `worker`. */
function gradients(
  s: Session,
  worker: number,
  step: Step,
  shard: { start: number; end: number },
): { loss: number; metrics: number[] } {
  const [x, y] = batchTensors(s, s.train, s.shared.permutation, shard.start, shard.end);
  try {
    const rng = RngStream.fromSeed(s.init.seed, `dropout/${step.iteration}/${worker}`);
    return s.step.computeGradients(
      x,
      y,
      s.gradSlots[worker]!,
      s.offsets,
      (shard.end - shard.start) / (step.end - step.start),
      { rng },
    );
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * Sums the first `shards` gradient slots over the slice in fixed order 0, 1, 2, … (the
 * same bits whatever order the shards finished in), backs the slice up, then applies
 * the optimizer to it, state included. The sum goes into this worker's own gradient slot
 * (its cache lines then stay with this thread for the next step's gradient).
 */
function update(
  s: Session,
  worker: number,
  step: Step,
  slice: { start: number; end: number },
  shards: number,
): void {
  const { shared } = s;
  const { start, end } = slice;
  if (start === end) return;
  const slots = s.gradSlots;
  const g0 = slots[0]!;
  // One shard: its slot is the sum already.
  const sum = shards === 1 ? g0 : slots[worker]!;
  if (shards === 2) {
    const g1 = slots[1]!;
    for (let i = start; i < end; i++) sum[i] = g0[i]! + g1[i]!;
  } else if (shards > 2) {
    for (let i = start; i < end; i++) {
      let acc = g0[i]!;
      for (let k = 1; k < shards; k++) acc = Math.fround(acc + slots[k]![i]!);
      sum[i] = acc;
    }
  }
  const params = shared.store.data;
  s.backups[0]!.set(params.subarray(start, end), start);
  s.slots.forEach((slot, i) => {
    s.backups[1 + i]!.set(slot.subarray(start, end), start);
  });
  shared.channel.backedUp(worker, step.iteration);
  if (step.learningRate !== undefined) s.optimizer.learningRate = step.learningRate;
  s.optimizer.applyUpdate({
    params,
    grads: sum,
    slots: s.slots,
    iteration: step.iteration,
    start,
    end,
  });
}

/** The step loop (protocol in step-channel.ts): runs until STOP or ABORT. */
function runLoop(s: Session, task: LoopTask): LoopResult {
  const channel = s.shared.channel;
  const { worker } = task;
  let seq = task.fromSeq;
  let steps = 0;
  for (;;) {
    const order = channel.nextRun(seq);
    if (order === null) return { steps };
    seq = order.seq;
    for (let j = 0; j < order.steps; j++) {
      const t0 = performance.now();
      // Every slice of the previous step must be updated before this step reads weights.
      if (j > 0 && !channel.updatesBarrier(j - 1)) return { steps };
      const t1 = performance.now();
      const start = order.start + j * order.batchSize;
      const step: Step = {
        iteration: order.iteration + j,
        start,
        end: Math.min(start + order.batchSize, order.total),
        learningRate: order.learningRate,
      };
      const shards = splitEvenly(step.start, step.end, channel.workers);
      const shard = shards[worker];
      const r = shard === undefined ? { loss: 0, metrics: [] } : gradients(s, worker, step, shard);
      const t2 = performance.now();
      channel.gradientsFinished(j, worker, step.iteration, {
        loss: r.loss,
        metrics: r.metrics,
        examples: shard === undefined ? 0 : shard.end - shard.start,
        gradMs: t2 - t1,
        tensors: tf.memory().numTensors,
      });
      if (!channel.gradientsBarrier(j)) return { steps };
      if (task.veto) {
        const go = channel.awaitGo(seq);
        if (go === 'abort') return { steps };
        if (go === 'skip') break;
      }
      const t3 = performance.now();
      update(s, worker, step, task.slice, shards.length);
      const waitMs = t1 - t0 + (t3 - t2);
      channel.updateFinished(order, j, worker, { waitMs, updateMs: performance.now() - t3 });
      steps++;
    }
  }
}

function evaluate(s: Session, task: EvaluateTask): EvaluateResult {
  const data = task.split === 'train' ? s.train : s.validation;
  if (data === undefined) throw new StateError('evaluate: this session has no validation data');
  const order = new Int32Array(EVAL_CHUNK);
  let lossSum = 0;
  let metricSums: number[] = [];
  for (let at = task.start; at < task.end; at += EVAL_CHUNK) {
    const to = Math.min(task.end, at + EVAL_CHUNK);
    for (let i = at; i < to; i++) order[i - at] = i;
    const [x, y] = batchTensors(s, data, order, 0, to - at);
    try {
      const r = s.step.evaluate(x, y);
      const n = to - at;
      lossSum += r.loss * n;
      metricSums = r.metrics.map((m, i) => (metricSums[i] ?? 0) + m * n);
    } finally {
      tf.dispose([x, y]);
    }
  }
  return { lossSum, metricSums, examples: task.end - task.start };
}

async function ready(task: ReadyTask): Promise<number> {
  session ??= createSession(workerData as SessionInit);
  const s = await session;
  const control = s.shared.channel.words;
  Atomics.add(control, Word.READY, 1);
  Atomics.notify(control, Word.READY);
  const deadline = performance.now() + task.timeoutMs;
  for (;;) {
    const seen = Atomics.load(control, Word.READY);
    if (seen >= task.workers) return threadId;
    const left = deadline - performance.now();
    if (left <= 0)
      throw new StateError(
        `start-up: only ${seen} of ${task.workers} worker threads became ready within ${task.timeoutMs} ms`,
      );
    Atomics.wait(control, Word.READY, seen, Math.min(left, 50));
  }
}

export default async function run(task: Task): Promise<LoopResult | EvaluateResult | number> {
  if (task.kind === 'ready') return ready(task);
  session ??= createSession(workerData as SessionInit);
  const s = await session;
  switch (task.kind) {
    case 'loop':
      return runLoop(s, task);
    case 'evaluate':
      return evaluate(s, task);
  }
}
