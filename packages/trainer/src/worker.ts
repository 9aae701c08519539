/**
 * Worker-thread entry (Piscina). Each thread builds its session once from workerData:
 * imports the custom-object modules, rebuilds the model from its config, binds its
 * weights to the shared parameter store without copying, and attaches the shared dataset.
 * Then it runs three kinds of small tasks: gradients of one shard, reduce + update of one
 * slice of the parameter vector, and evaluation of a range of examples.
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
import type {
  EvaluateResult,
  EvaluateTask,
  GradientResult,
  GradientTask,
  ReadyTask,
  SessionInit,
  Task,
  UpdateResult,
  UpdateTask,
} from './protocol.js';
import { Control, SharedTrainingState } from './shared-state.js';
import { targetShape } from './targets.js';

interface Session {
  init: SessionInit;
  shared: SharedTrainingState;
  step: TrainingStep;
  optimizer: Optimizer;
  slots: Float32Array[];
  offsets: number[];
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
      `the worker could not rebuild the model: ${(err as Error).message}. Custom activations and Lambda ` +
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

function gradients(s: Session, task: GradientTask): GradientResult {
  const t0 = performance.now();
  const [x, y] = batchTensors(s, s.train, s.shared.permutation, task.start, task.end);
  const examples = task.end - task.start;
  try {
    const rng = RngStream.fromSeed(s.init.seed, `dropout/${task.iteration}/${task.shard}`);
    const r = s.step.computeGradients(
      x,
      y,
      s.shared.gradSlot(task.shard),
      s.offsets,
      examples / task.batchSize,
      { rng },
    );
    Atomics.add(s.shared.control, Control.GRAD_DONE, 1);
    tf.dispose([x, y]);
    const busyMs = performance.now() - t0;
    return {
      shard: task.shard,
      loss: r.loss,
      metrics: r.metrics,
      examples,
      busyMs,
      tensors: tf.memory().numTensors,
    };
  } catch (err) {
    tf.dispose([x, y]);
    throw err;
  }
}

function update(s: Session, task: UpdateTask): UpdateResult {
  const t0 = performance.now();
  const { shared } = s;
  const done = Atomics.load(shared.control, Control.GRAD_DONE);
  if (done !== task.shards) {
    throw new StateError(
      `update of step ${task.iteration} started with ${done} of ${task.shards} gradient shards done`,
    );
  }
  const { start, end } = task;
  const sum = shared.gradSlot(0);
  // Fixed order 0, 1, 2, …: the same bits whatever order the shards finished in.
  for (let k = 1; k < task.shards; k++) {
    const g = shared.gradSlot(k);
    for (let i = start; i < end; i++) sum[i] = sum[i]! + g[i]!;
  }
  const params = shared.store.data;
  shared.backupArray(0).set(params.subarray(start, end), start);
  s.slots.forEach((slot, i) => {
    shared.backupArray(1 + i).set(slot.subarray(start, end), start);
  });
  Atomics.store(shared.control, Control.BACKUP_STEP + task.slice, task.iteration);
  if (task.learningRate !== undefined) s.optimizer.learningRate = task.learningRate;
  s.optimizer.applyUpdate({
    params,
    grads: sum,
    slots: s.slots,
    iteration: task.iteration,
    start,
    end,
  });
  Atomics.add(shared.control, Control.UPDATE_DONE, 1);
  return { slice: task.slice, busyMs: performance.now() - t0 };
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
  const control = s.shared.control;
  Atomics.add(control, Control.READY, 1);
  const deadline = performance.now() + task.timeoutMs;
  for (;;) {
    const seen = Atomics.load(control, Control.READY);
    if (seen >= task.workers) return threadId;
    const left = deadline - performance.now();
    if (left <= 0)
      throw new StateError(
        `start-up: only ${seen} of ${task.workers} worker threads became ready within ${task.timeoutMs} ms`,
      );
    Atomics.wait(control, Control.READY, seen, Math.min(left, 50));
  }
}

export default async function run(
  task: Task,
): Promise<GradientResult | UpdateResult | EvaluateResult | number> {
  if (task.kind === 'ready') return ready(task);
  session ??= createSession(workerData as SessionInit);
  const s = await session;
  switch (task.kind) {
    case 'gradients':
      return gradients(s, task);
    case 'update':
      return update(s, task);
    case 'evaluate':
      return evaluate(s, task);
  }
}
