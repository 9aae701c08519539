import { describe, expect, it } from 'vitest';
import type { Logs, RunContext } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback-list.js';
import type { CallbackLike } from '../callbacks/plain-callback.js';
import { layers } from '../layers/index.js';
import { MetricStatistics } from '../metrics/statistics.js';
import { optimizers } from '../optimizers/index.js';
import { callbackRecorder } from '../testing/callback-recorder.js';
import {
  EpochLoop,
  freshStart,
  type LoopStart,
  type RunResult,
  type StepRun,
} from './epoch-loop.js';
import { sequential } from './sequential.js';

/**
 * A StepRunner without a model: step i (1-based iteration) has loss i and takes its batch's
 * rows. `fail` makes the step of that iteration skipped ('nonFinite' / 'veto') or an error.
 */
class FakeRunner {
  readonly runs: StepRun[] = [];
  constructor(
    private readonly length: number,
    private readonly rows: number,
    private readonly batchSize: number,
    private readonly fail:
      | { at: number; how: 'nonFinite' | 'veto' | 'error' }
      | undefined = undefined,
  ) {}
  runLength(): number {
    return this.length;
  }
  async run(run: StepRun): Promise<RunResult> {
    this.runs.push(run);
    const step = (j: number) => ({
      loss: run.iteration + j,
      statistics: [],
      examples: Math.min(this.batchSize, this.rows - (run.batch + j) * this.batchSize),
    });
    for (let j = 0; j < run.steps; j++) {
      if (this.fail?.at !== run.iteration + j) continue;
      if (this.fail.how === 'error') return { applied: j, error: new Error('step failed'), step };
      if (this.fail.how === 'nonFinite' && !run.guardLoss) continue;
      return { applied: j, skipped: this.fail.how, step };
    }
    return { applied: run.steps, step };
  }
  async validate() {
    return undefined;
  }
}

function loopWith(
  runner: FakeRunner,
  callbacks: CallbackLike<RunContext>[],
  options: { epochs?: number; start?: LoopStart; signal?: AbortSignal } = {},
) {
  const model = sequential([layers.dense({ units: 1, inputShape: [1] })]);
  const records: Array<[number, Logs]> = [];
  const lines: string[] = [];
  const list = new CallbackList<RunContext>(callbacks);
  const loop: EpochLoop<RunContext> = new EpochLoop({
    model,
    callbacks: list,
    runner,
    record: (epoch, logs) => records.push([epoch, logs]),
    metricNames: [],
    statistics: new MetricStatistics([], [[null, 1]]),
    epochs: options.epochs ?? 2,
    batchSize: 4,
    samples: 26, // 7 batches: six of 4 rows, one of 2
    order: new Int32Array(26),
    shuffle: true,
    start: options.start ?? freshStart(1),
    verbose: 1,
    printFn: (line) => lines.push(line),
    signal: options.signal,
    abortError: () => new Error('aborted here'),
  });
  list.setTrainer({
    model,
    optimizer: optimizers.sgd(),
    get iteration() {
      return loop.iteration;
    },
    snapshotWeights: () => ({}),
    restoreWeights: () => {},
  });
  return { loop, model, records, lines };
}

/** Mean loss of iterations `from`…`to` (loss = iteration; the 7th batch of an epoch has 2 rows). */
function meanLoss(from: number, to: number): number {
  let sum = 0;
  let rows = 0;
  for (let i = from; i <= to; i++) {
    const n = (i - 1) % 7 === 6 ? 2 : 4;
    sum += i * n;
    rows += n;
  }
  return sum / rows;
}

describe('EpochLoop', () => {
  it('calls the batch hooks of runs of several steps as runs of one step, counters included', async () => {
    const one = callbackRecorder();
    const single = loopWith(new FakeRunner(1, 26, 4), [one]);
    await single.loop.run();
    const three = callbackRecorder();
    const runner = new FakeRunner(3, 26, 4);
    const triple = loopWith(runner, [three]);
    await triple.loop.run();
    expect(runner.runs.map((r) => r.steps)).toEqual([3, 3, 1, 3, 3, 1]);
    expect(three.calls).toEqual(one.calls);
    expect(one.sequence().slice(0, 6)).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0',
      'batchBegin 1',
      'batchEnd 1',
    ]);
    // onBatchBegin sees the iteration before its step, onBatchEnd the one after.
    expect(one.calls.slice(2, 6).map((c) => c.iteration)).toEqual([0, 1, 1, 2]);
    expect(one.calls[3]!.logs).toEqual({ loss: 1 });
    expect(single.records).toEqual([
      [0, { loss: meanLoss(1, 7) }],
      [1, { loss: meanLoss(8, 14) }],
    ]);
    expect(triple.records).toEqual(single.records);
    expect(single.lines[1]).toMatch(
      new RegExp(
        `^Epoch 2/2 - 7 steps - \\d+ms - loss: ${meanLoss(8, 14).toFixed(4)} - \\d+ samples/s$`,
      ),
    );
    expect(one.calls.at(-1)).toMatchObject({ hook: 'trainEnd', logs: { loss: meanLoss(8, 14) } });
  });

  it('ends runs where a callback names a stop (nextStop)', async () => {
    const runner = new FakeRunner(64, 26, 4);
    await loopWith(runner, [{ nextStop: (i: number) => (i < 5 ? 5 : i < 9 ? 9 : undefined) }], {
      epochs: 2,
    }).loop.run();
    expect(runner.runs.map((r) => [r.iteration, r.steps])).toEqual([
      [1, 5],
      [6, 2],
      [8, 2],
      [10, 5],
    ]);
  });

  it('the loss guard: the skipped step begins but does not end, and its epoch ends early', async () => {
    const rec = callbackRecorder();
    const seen: number[] = [];
    const runner = new FakeRunner(4, 26, 4, { at: 3, how: 'nonFinite' });
    const run = loopWith(runner, [rec, { onNonFiniteLoss: (i: number) => seen.push(i) }]);
    await run.loop.run();
    expect(runner.runs[0]).toMatchObject({ guardLoss: true, steps: 4 });
    expect(seen).toEqual([3]);
    expect(run.model.stopTraining).toBe(true);
    expect(rec.sequence()).toEqual([
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
    expect(run.records).toEqual([[0, { loss: meanLoss(1, 2) }]]);
  });

  it("a veto at an epoch's first step leaves that epoch without an end", async () => {
    const rec = callbackRecorder();
    const runner = new FakeRunner(4, 26, 4, { at: 8, how: 'veto' });
    const { loop, records } = loopWith(runner, [rec, { beforeUpdate: () => true }]);
    await loop.run();
    expect(runner.runs.every((r) => r.steps === 1 && r.allow !== undefined)).toBe(true);
    expect(rec.sequence().slice(-5)).toEqual([
      'batchEnd 6',
      'epochEnd 0',
      'epochBegin 1',
      'batchBegin 0',
      'trainEnd',
    ]);
    expect(records.map(([epoch]) => epoch)).toEqual([0]);
  });

  it('throws a failed step after recording the steps before it', async () => {
    const rec = callbackRecorder();
    const runner = new FakeRunner(4, 26, 4, { at: 3, how: 'error' });
    await expect(loopWith(runner, [rec]).loop.run()).rejects.toThrow('step failed');
    expect(rec.sequence().slice(-2)).toEqual(['batchBegin 1', 'batchEnd 1']);
  });

  it('an abort calls onInterrupt between runs, then throws abortError()', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const runner = new FakeRunner(1, 26, 4);
    const { loop } = loopWith(
      runner,
      [
        {
          onBatchEnd: (b: number) => {
            if (b === 1) controller.abort();
          },
          onInterrupt: () => {
            events.push('interrupt');
          },
        },
      ],
      { signal: controller.signal },
    );
    await expect(loop.run()).rejects.toThrow('aborted here');
    expect(events).toEqual(['interrupt']);
    expect(loop.progress).toMatchObject({ epoch: 0, batch: 2 });
    expect(loop.iteration).toBe(2);
  });

  it('resumes in the middle of an epoch: no onEpochBegin, and its logs count the earlier steps', async () => {
    const rec = callbackRecorder();
    const full = loopWith(new FakeRunner(1, 26, 4), [], { epochs: 1 });
    await full.loop.run();
    const start = freshStart(1);
    // After iterations 1-3 (12 rows): the sums of those steps, the order of epoch 0.
    start.iteration = 3;
    start.progress = { epoch: 0, batch: 3, lossSum: (1 + 2 + 3) * 4, metricSums: [], examples: 12 };
    const resumed = loopWith(new FakeRunner(2, 26, 4), [rec], { epochs: 1, start });
    await resumed.loop.run();
    expect(rec.sequence().slice(0, 3)).toEqual(['trainBegin', 'batchBegin 3', 'batchEnd 3']);
    expect(resumed.records).toEqual(full.records);
  });
});
