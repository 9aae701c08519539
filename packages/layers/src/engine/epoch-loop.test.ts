import { describe, expect, it } from 'vitest';
import type { Logs, RunContext } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback-list.js';
import type { CallbackLike } from '../callbacks/plain-callback.js';
import { layers } from '../layers/index.js';
import { MetricStatistics } from '../metrics/statistics.js';
import { optimizers } from '../optimizers/index.js';
import { callbackRecorder } from '../testing/callback-recorder.js';
import { EpochLoop, freshStart, type LoopStart } from './epoch-loop.js';
import { sequential } from './sequential.js';
import type { RunResult, StepRun } from './step-runner.js';

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

/** A FakeRunner whose runs may overlap the batch hooks (as the trainer's), logging into `events`. */
class OverlapRunner extends FakeRunner {
  constructor(
    readonly events: string[],
    length: number,
    fail?: { at: number; how: 'nonFinite' | 'veto' | 'error' },
  ) {
    super(length, 26, 4, fail);
  }
  override run(run: StepRun): Promise<RunResult> {
    this.events.push(`run ${run.iteration}${run.continued === true ? ' continued' : ''}`);
    return super.run(run);
  }
  overlaps(): boolean {
    return true;
  }
  settle(): void {
    this.events.push('settle');
  }
}

/** A callback whose batch hooks only read their logs, logging its batch ends into `events`. */
function logReader(events: string[], onEnd: (batch: number) => void = () => {}) {
  return {
    batchHooksReadLogsOnly: true,
    onBatchEnd: (batch: number) => {
      events.push(`end ${batch}`);
      onEnd(batch);
    },
  };
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

  describe('overlap: the next run posted before the hooks of the last', () => {
    it('when every batch hook reads only its logs: same hooks, same logs, runs go on meanwhile', async () => {
      const events: string[] = [];
      const rec = callbackRecorder();
      const runner = new OverlapRunner(events, 3);
      const run = loopWith(runner, [{ ...rec, batchHooksReadLogsOnly: true }, logReader(events)]);
      await run.loop.run();
      // Each epoch's last run is not continued; the run after a continued one is posted
      // before the continued one's hooks are called.
      expect(events.slice(0, 9)).toEqual([
        'run 1 continued',
        'run 4 continued',
        'end 0',
        'end 1',
        'end 2',
        'run 7',
        'end 3',
        'end 4',
        'end 5',
      ]);
      expect(runner.runs.map((r) => r.steps)).toEqual([3, 3, 1, 3, 3, 1]);
      expect(events).not.toContain('settle');
      const plain = callbackRecorder();
      const reference = loopWith(new FakeRunner(3, 26, 4), [plain]);
      await reference.loop.run();
      expect(rec.calls).toEqual(plain.calls);
      expect(run.records).toEqual(reference.records);
    });

    it('not when some batch hook may read the state, and never past a named stop', async () => {
      const events: string[] = [];
      const runner = new OverlapRunner(events, 3);
      await loopWith(runner, [logReader(events), { onBatchEnd: () => {} }]).loop.run();
      expect(runner.runs.some((r) => r.continued === true)).toBe(false);
      const stops = new OverlapRunner([], 64);
      const stop = { nextStop: (i: number) => (i < 5 ? 5 : undefined) };
      await loopWith(stops, [logReader([]), stop], { epochs: 1 }).loop.run();
      expect(stops.runs.map((r) => [r.iteration, r.steps, r.continued === true])).toEqual([
        [1, 5, false],
        [6, 2, false],
      ]);
    });

    it('an abort during the hooks: no run follows, the state is settled, then onInterrupt', async () => {
      const controller = new AbortController();
      const events: string[] = [];
      const runner = new OverlapRunner(events, 2);
      const { loop } = loopWith(
        runner,
        [
          logReader(events, (b) => {
            if (b === 2) controller.abort();
          }),
          { onInterrupt: () => void events.push('interrupt') },
        ],
        { signal: controller.signal },
      );
      await expect(loop.run()).rejects.toThrow('aborted here');
      // Run 5 was posted before the abort (before the hooks of run 3): it is taken in and
      // its hooks called; no run follows it.
      expect(events).toEqual([
        'run 1 continued',
        'run 3 continued',
        'end 0',
        'end 1',
        'run 5 continued',
        'end 2',
        'end 3',
        'settle',
        'end 4',
        'end 5',
        'interrupt',
      ]);
      expect(loop.iteration).toBe(6);
    });

    it('a hook that throws: the run in flight ends and the state is settled before the error', async () => {
      const events: string[] = [];
      const runner = new OverlapRunner(events, 2);
      const throwing = logReader(events, (b) => {
        if (b === 1) throw new Error('hook failed');
      });
      await expect(loopWith(runner, [throwing]).loop.run()).rejects.toThrow('hook failed');
      expect(events).toEqual(['run 1 continued', 'run 3 continued', 'end 0', 'end 1', 'settle']);
    });

    it('a continued run that fails is thrown after its applied steps; no run follows', async () => {
      const events: string[] = [];
      const rec = { ...callbackRecorder(), batchHooksReadLogsOnly: true };
      const runner = new OverlapRunner(events, 2, { at: 4, how: 'error' });
      await expect(loopWith(runner, [rec]).loop.run()).rejects.toThrow('step failed');
      expect(events).toEqual(['run 1 continued', 'run 3 continued']);
      expect(rec.sequence().slice(-2)).toEqual(['batchBegin 2', 'batchEnd 2']);
    });
  });
});
