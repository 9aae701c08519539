// One epoch loop: the same scenario through in-process model.fit and the trainer's fit with
// one worker gives the same callback calls (hook, epoch or batch, log keys, iteration), the
// same logs and history (to float rounding), the same epoch lines and the same weights. The
// trainer runs several steps per run here (no callback asks for every step), so this also
// checks that batch hooks after a run are the calls model.fit makes step by step.
import { tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { type Callback, callbacks, type History, type Logs, type Model } from '@tessera/layers';
import { type CallbackRecorder, callbackRecorder } from '@tessera/layers/testing';
import { describe, expect, it } from 'vitest';
import type { TrainerCallback, TrainerContext } from './callbacks/callback.js';
import { fit } from './fit.js';
import {
  blobs,
  classifier,
  faultProbe,
  type ModelFactory,
  maxAbsDiff,
  probedClassifier,
  registerFaultProbe,
  weightsOf,
  withSentinel,
} from './testing/fixtures.js';
import { weightRecorder } from './testing/recorders.js';

registerFaultProbe();

interface Scenario {
  factory: () => ModelFactory;
  data: Dataset;
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  shuffle?: boolean;
  initialEpoch?: number;
  /** Callbacks besides the recorder, made fresh for each fit. */
  extra?: () => TrainerCallback[];
}

interface Outcome {
  recorder: CallbackRecorder;
  history: { epoch: number[]; history: Record<string, number[]> };
  lines: string[];
  model: Model;
  extra: TrainerCallback[];
}

async function inProcess(s: Scenario, factory: ModelFactory): Promise<Outcome> {
  const model = factory.make();
  const recorder = callbackRecorder();
  const extra = s.extra?.() ?? [];
  const lines: string[] = [];
  const { x, y } = s.data.toTensors({ oneHot: true });
  let history: History;
  try {
    history = await model.fit(x, y, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      seed: 9,
      shuffle: s.shuffle ?? true,
      ...(s.validationSplit === undefined ? {} : { validationSplit: s.validationSplit }),
      ...(s.initialEpoch === undefined ? {} : { initialEpoch: s.initialEpoch }),
      callbacks: [recorder, ...(extra as Callback[])],
      printFn: (line) => lines.push(line),
    });
  } finally {
    tf.dispose([x, y]);
  }
  return { recorder, history, lines, model, extra };
}

async function oneWorker(s: Scenario, factory: ModelFactory): Promise<Outcome> {
  const model = factory.make();
  const recorder = callbackRecorder();
  const extra = s.extra?.() ?? [];
  const lines: string[] = [];
  const history = await fit(model, s.data, {
    workers: 1,
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: 9,
    shuffle: s.shuffle ?? true,
    ...(s.validationSplit === undefined ? {} : { validationSplit: s.validationSplit }),
    ...(s.initialEpoch === undefined ? {} : { initialEpoch: s.initialEpoch }),
    // The same TrainingStep as model.fit (the resident step agrees only to float rounding).
    trainingPath: 'tfjs',
    customObjects: [faultProbe],
    callbacks: [recorder, ...extra],
    printFn: (line) => lines.push(line),
  });
  return { recorder, history, lines, model, extra };
}

/** Runs the scenario both ways and checks everything the loop decides is the same. */
async function expectSameRun(s: Scenario): Promise<[Outcome, Outcome]> {
  const factory = s.factory();
  const a = await inProcess(s, factory);
  const b = await oneWorker(s, factory);
  expect(b.recorder.sequence()).toEqual(a.recorder.sequence());
  const shape = (c: CallbackRecorder) =>
    c.calls.map((call) => ({
      hook: call.hook,
      index: call.index,
      keys: Object.keys(call.logs),
      iteration: call.iteration,
    }));
  expect(shape(b.recorder)).toEqual(shape(a.recorder));
  b.recorder.calls.forEach((call, i) => {
    expectCloseLogs(call.logs, a.recorder.calls[i]!.logs, `${call.hook} ${call.index}`);
  });
  expect(b.history.epoch).toEqual(a.history.epoch);
  expect(Object.keys(b.history.history)).toEqual(Object.keys(a.history.history));
  for (const [key, values] of Object.entries(a.history.history)) {
    values.forEach((v, i) => {
      expect(b.history.history[key]![i], `history ${key}[${i}]`).toBeCloseTo(v, 5);
    });
  }
  // Epoch lines: the same text but for the times and rates.
  const timeless = (line: string) =>
    line
      .replace(/\d+ms/, 'T')
      .replace(/\d+ samples\/s/, 'R')
      .replace(/\d\.\d{4}/g, 'V');
  expect(b.lines.map(timeless)).toEqual(a.lines.map(timeless));
  expect(b.lines).toHaveLength(a.history.epoch.length);
  expect(maxAbsDiff(weightsOf(a.model), weightsOf(b.model))).toBeLessThanOrEqual(1e-5);
  return [a, b];
}

function expectCloseLogs(actual: Logs, expected: Logs, where: string): void {
  for (const [key, value] of Object.entries(expected))
    expect(actual[key], `${where}: ${key}`).toBeCloseTo(value, 5);
}

describe('one epoch loop: model.fit and fit with one worker run alike', () => {
  it('calls every hook in the same order with the same logs, validation and history', async () => {
    const [a] = await expectSameRun({
      factory: () => classifier({ optimizer: 'sgd' }),
      data: blobs(50),
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.2,
    });
    // 40 training rows in batches of 8: 5 batches per epoch, each with begin and end.
    expect(a.recorder.sequence().slice(0, 4)).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0',
    ]);
    expect(a.recorder.calls.filter((c) => c.hook === 'batchEnd')).toHaveLength(15);
    const epochEnd = a.recorder.calls.find((c) => c.hook === 'epochEnd')!;
    expect(Object.keys(epochEnd.logs)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(Object.keys(a.recorder.calls[3]!.logs)).toEqual(['loss', 'accuracy']);
    // onTrainEnd gets the last epoch's logs, as Keras.
    expect(a.recorder.calls.at(-1)!.logs).toEqual(a.recorder.calls.at(-2)!.logs);
  });

  it('splits validation rows alike (Keras: the first floor(n·(1 − split)) rows train)', async () => {
    // 100·0.29 is 28.999…: 71 training rows, so batches of 71 make one step per epoch.
    const [a] = await expectSameRun({
      factory: () => classifier(),
      data: blobs(100),
      epochs: 1,
      batchSize: 71,
      validationSplit: 0.29,
    });
    expect(a.recorder.calls.filter((c) => c.hook === 'batchEnd')).toHaveLength(1);
  });

  it('starts at initialEpoch without shuffling alike', async () => {
    const [a] = await expectSameRun({
      factory: () => classifier(),
      data: blobs(30),
      epochs: 3,
      batchSize: 7,
      shuffle: false,
      initialEpoch: 1,
    });
    expect(a.history.epoch).toEqual([1, 2]);
    expect(a.lines[0]).toMatch(/^Epoch 2\/3 - 5 steps - \d+ms - loss: /);
  });

  it('earlyStopping ends both after the same epoch', async () => {
    const [a, b] = await expectSameRun({
      factory: () => classifier(),
      data: blobs(40),
      epochs: 10,
      batchSize: 16,
      extra: () => [callbacks.earlyStopping({ monitor: 'loss', mode: 'max', patience: 1 })],
    });
    expect(a.history.epoch).toEqual([0, 1]);
    expect((b.extra[0] as ReturnType<typeof callbacks.earlyStopping>).stoppedEpoch).toBe(1);
  });

  it('a stop asked in a batch hook ends that epoch with the logs of its batches', async () => {
    // 30 training rows in batches of 8: iteration 7 is batch 2 of epoch 1.
    const stopAt = (at: number): TrainerCallback => {
      let context: TrainerContext | undefined;
      return {
        setTrainer: (c) => {
          context = c;
        },
        // The trainer's run must end at that step for the stop to come right after it.
        nextStop: (iteration) => (iteration < at ? at : undefined),
        onBatchEnd: () => {
          if (context?.iteration === at) context.model.stopTraining = true;
        },
      };
    };
    const [a] = await expectSameRun({
      factory: () => classifier(),
      data: blobs(40),
      epochs: 4,
      batchSize: 8,
      validationSplit: 0.25,
      extra: () => [stopAt(7)],
    });
    expect(a.history.epoch).toEqual([0, 1]);
    expect(a.recorder.sequence().slice(-4)).toEqual([
      'batchBegin 2',
      'batchEnd 2',
      'epochEnd 1',
      'trainEnd',
    ]);
    // The stopped epoch was validated too.
    expect(a.history.history['val_loss']).toHaveLength(2);
  });

  it('terminateOnNaN skips the bad update and stops both at the same step', async () => {
    const [a, b] = await expectSameRun({
      factory: probedClassifier,
      data: withSentinel(20, 4000), // row 20: the third batch of 8 without shuffling
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      extra: () => [callbacks.terminateOnNaN()],
    });
    const stopped = (o: Outcome) =>
      (o.extra[0] as ReturnType<typeof callbacks.terminateOnNaN>).stoppedAt;
    expect(stopped(a)).toBe(3);
    expect(stopped(b)).toBe(3);
    expect(a.history.epoch).toEqual([0]);
    expect(a.recorder.sequence()).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0',
      'batchBegin 1',
      'batchEnd 1',
      'batchBegin 2',
      'epochEnd 0',
      'trainEnd',
    ]);
    expect(Number.isFinite(a.history.history['loss']![0]!)).toBe(true);
  });

  it('a veto skips the update in both, and per-step weights agree', async () => {
    const veto = (): TrainerCallback => ({ beforeUpdate: (iteration) => iteration !== 4 });
    const factory = classifier();
    const scenario: Scenario = {
      factory: () => factory,
      data: blobs(40),
      epochs: 2,
      batchSize: 8,
      extra: () => [veto(), weightRecorder('step')],
    };
    const [a, b] = await expectSameRun(scenario);
    expect(a.history.epoch).toEqual([0]);
    expect(a.recorder.calls.filter((c) => c.hook === 'batchEnd')).toHaveLength(3);
    const steps = (o: Outcome) => (o.extra[1] as ReturnType<typeof weightRecorder>).snapshots;
    expect(steps(a)).toHaveLength(3);
    steps(a).forEach((w, i) => {
      expect(maxAbsDiff(w, steps(b)[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-6);
    });
    // The vetoed step changed nothing: the final weights are those after step 3.
    expect(maxAbsDiff(weightsOf(a.model), steps(a)[2]!)).toBe(0);
  });
});
