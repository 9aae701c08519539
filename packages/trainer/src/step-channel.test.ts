/**
 * The step channel's main-thread half, driven from this thread: the workers' calls are
 * made here by hand (those that do not block), so each protocol rule is checked without
 * threads or timing. The worker half under real threads is covered by every `fit` test.
 */
import { describe, expect, it } from 'vitest';
import { Command, channelBytes, MAX_RUN, StepChannel, Word } from './step-channel.js';

function channel(workers: number, metrics = 1): StepChannel {
  return new StepChannel(new SharedArrayBuffer(channelBytes(workers, metrics)), workers, metrics);
}

const never = new Promise<never>(() => {});
const order = { iteration: 5, start: 16, batchSize: 8, total: 40, steps: 2, learningRate: 0.01 };

/** What worker `w` does for step `step` of the run it read, minus the arithmetic. */
function workerStep(
  c: StepChannel,
  run: NonNullable<ReturnType<StepChannel['nextRun']>>,
  step: number,
  w: number,
  loss = 0.5,
): void {
  c.gradientsFinished(step, w, run.iteration + step, Float64Array.of(loss, 0.75), 4, 1, 0);
  c.backedUp(w, run.iteration + step);
  c.updateFinished(run, step, w, 0.1, 0.2);
}

describe('StepChannel: main-thread half', () => {
  it('posts a run that the workers read back whole, numbering runs', () => {
    const c = channel(2);
    expect(c.seq).toBe(0);
    const seq = c.post(order);
    expect(seq).toBe(1);
    expect(c.nextRun(0)).toEqual({ ...order, seq: 1, rehearsal: false });
    expect(c.post({ ...order, learningRate: undefined })).toBe(2);
    expect(c.nextRun(1)).toEqual({ ...order, learningRate: undefined, seq: 2, rehearsal: false });
    expect(c.words[Word.COMMAND]).toBe(Command.RUN);
    // A rehearsal (rehearsal.ts) is a run the workers know as one.
    expect(c.post({ ...order, rehearsal: true })).toBe(3);
    expect(c.words[Word.COMMAND]).toBe(Command.REHEARSE);
    expect(c.nextRun(2)).toEqual({ ...order, seq: 3, rehearsal: true });
    c.stop();
    expect(c.nextRun(3)).toBeNull();
  });

  it('names as missing a worker the others wait for in the collective exchange, not one waiting', () => {
    const c = channel(3);
    c.post(order);
    const run = c.nextRun(0)!;
    const waiting = new Set([0, 2]);
    c.exchangeWaits((w) => waiting.has(w));
    expect(c.missing(run.iteration, 'gradients')).toBe(1);
    // Everyone missing is waiting (a stuck exchange): the first of them.
    waiting.add(1);
    expect(c.missing(run.iteration, 'gradients')).toBe(0);
    workerStep(c, run, 0, 0);
    expect(c.missing(run.iteration, 'gradients')).toBe(1);
  });

  it('resolves waitRun once every worker finished every step, with each result readable', async () => {
    const c = channel(2);
    const seq = c.post(order);
    const run = c.nextRun(0)!;
    const done = c.waitRun(seq, { gradientsOnly: false, timeoutMs: undefined, failed: never });
    for (let step = 0; step < 2; step++) {
      expect(c.missing(run.iteration + step, 'gradients')).toBe(0);
      workerStep(c, run, step, 0);
      expect(c.missing(run.iteration + step, 'gradients')).toBe(1);
      expect(c.missing(run.iteration + step, 'update')).toBe(1);
      workerStep(c, run, step, 1, 0.25);
      expect(c.missing(run.iteration + step, 'update')).toBe(-1);
    }
    await expect(done).resolves.toBe(true);
    expect(c.completed).toBe(2);
    expect(c.gradientsDone(1, 6)).toBe(true);
    expect(c.backupStep(0)).toBe(6);
    expect(c.result(1, 1)).toEqual({
      loss: 0.25,
      examples: 4,
      gradMs: 1,
      waitMs: 0.1,
      updateMs: 0.2,
      tensors: 0,
      metrics: [0.75],
    });
  });

  it('a worker with no examples weighs nothing, whatever values it reports', () => {
    const c = channel(1);
    c.post(order);
    c.gradientsFinished(0, 0, 5, Float64Array.of(Number.NaN, 9), 0, 1, 0);
    expect(c.result(0, 0)).toMatchObject({ loss: 0, examples: 0, metrics: [0] });
    expect(c.lossFinite(0)).toBe(true);
  });

  it('waitRun gives false when no counter moves for timeoutMs (nothing runs: no race)', async () => {
    const c = channel(2);
    const seq = c.post(order);
    await expect(
      c.waitRun(seq, { gradientsOnly: false, timeoutMs: 20, failed: never }),
    ).resolves.toBe(false);
  });

  it('waitRun rejects as soon as a worker task fails', async () => {
    const c = channel(2);
    const seq = c.post(order);
    const failed = Promise.reject(new Error('worker died'));
    await expect(
      c.waitRun(seq, { gradientsOnly: false, timeoutMs: undefined, failed }),
    ).rejects.toThrow('worker died');
  });

  it('with a veto, waits only for the gradients, then hands the decision to the workers', async () => {
    const c = channel(2);
    const seq = c.post({ ...order, steps: 1 });
    const run = c.nextRun(0)!;
    const grads = c.waitRun(seq, { gradientsOnly: true, timeoutMs: undefined, failed: never });
    c.gradientsFinished(0, 0, 5, Float64Array.of(1, 0), 4, 1, 0);
    c.gradientsFinished(0, 1, 5, Float64Array.of(1, 0), 4, 1, 0);
    await expect(grads).resolves.toBe(true);
    c.go(seq, false);
    expect(c.awaitGo(run.seq)).toBe('skip');
    c.go(seq, true);
    expect(c.awaitGo(run.seq)).toBe('update');
  });

  it('the loss guard: a non-finite loss stops the run once every worker saw it', async () => {
    const c = channel(2);
    const seq = c.post(order);
    const run = c.nextRun(0)!;
    const done = c.waitRun(seq, { gradientsOnly: false, timeoutMs: undefined, failed: never });
    c.gradientsFinished(0, 0, 5, Float64Array.of(1, 0), 4, 1, 0);
    c.gradientsFinished(0, 1, 5, Float64Array.of(Number.POSITIVE_INFINITY, 0), 4, 1, 0);
    expect(c.lossFinite(0)).toBe(false);
    c.stopRun(run, 0);
    expect(c.stoppedAt).toBe(0);
    c.stopRun(run, 0);
    expect(c.stoppedAt).toBe(5);
    await expect(done).resolves.toBe(true);
    expect(c.completed).toBe(0);
  });

  it('a worker left behind: the steps whose every chunk is finished count, and hold no one', async () => {
    const c = channel(2);
    const seq = c.post({ ...order, steps: 3 });
    const run = c.nextRun(0)!;
    const done = c.waitRun(seq, { gradientsOnly: false, timeoutMs: undefined, failed: never });
    // Worker 0 runs steps 0 and 1 alone (it finished every chunk of both); worker 1 has
    // not begun. Neither barrier waits for worker 1.
    for (let step = 0; step < 2; step++) {
      c.gradientsFinished(step, 0, run.iteration + step, Float64Array.of(0.5, 1), 8, 1, 0);
      c.gradientsComplete(step);
      expect(c.gradientsCompleteBarrier(step)).toBe(true);
      expect(c.lossFinite(step)).toBe(true);
      c.updatesComplete(step);
      c.updateFinished(run, step, 0, 0, 0.2);
      expect(c.updatesCompleteBarrier(step)).toBe(true);
    }
    // Two steps are applied though worker 1 arrived at none (a failure now keeps both).
    expect(c.completed).toBe(2);
    expect(c.missing(run.iteration, 'gradients')).toBe(1);
    // Worker 1 catches up: it finished no chunk, so it reports no examples.
    for (let step = 0; step < 2; step++) {
      c.gradientsFinished(step, 1, run.iteration + step, Float64Array.of(0, 0), 0, 0, 0);
      expect(c.gradientsCompleteBarrier(step)).toBe(true);
      c.updateFinished(run, step, 1, 0, 0);
    }
    // The last step together: the run is done once both finished it.
    for (const w of [0, 1]) {
      c.gradientsFinished(2, w, run.iteration + 2, Float64Array.of(0.5, 1), w === 0 ? 8 : 0, 1, 0);
    }
    c.gradientsComplete(2);
    c.updatesComplete(2);
    c.updateFinished(run, 2, 0, 0, 0.2);
    expect(c.completed).toBe(3);
    c.updateFinished(run, 2, 1, 0, 0.2);
    await expect(done).resolves.toBe(true);
    // A new run starts with no step complete.
    c.post(order);
    expect(c.completed).toBe(0);
    expect(c.words[Word.GRAD_COMPLETE]).toBe(0);
  });

  it('the complete counts only go up, and the worker furthest behind is found', () => {
    const c = channel(3);
    c.post({ ...order, steps: 4 });
    const run = c.nextRun(0)!;
    // The finisher of step 0 stores late, after the others completed steps 1 and 2.
    c.gradientsComplete(2);
    c.gradientsComplete(0);
    expect(c.words[Word.GRAD_COMPLETE]).toBe(3);
    c.updatesComplete(2);
    c.updatesComplete(1);
    expect(c.words[Word.UPDATE_COMPLETE]).toBe(3);
    expect(c.gradientsCompleteBarrier(1)).toBe(true);
    // Nobody updated anything yet in this run: the run's first iteration.
    expect(c.laggingIteration(run.iteration, 4)).toBe(run.iteration);
    for (const w of [0, 2]) {
      for (let step = 0; step < 3; step++) c.updateFinished(run, step, w, 0, 0);
    }
    c.updateFinished(run, 0, 1, 0, 0);
    // Worker 1 updated step 0 only: it is at step 1 (iteration 6), the others at step 3.
    expect(c.laggingIteration(run.iteration, 4)).toBe(run.iteration + 1);
    expect(c.missing(run.iteration + 1, 'update')).toBe(1);
  });

  it('the loss guard reads no result of an earlier run from a worker left behind', () => {
    const c = channel(2);
    c.post(order);
    // Worker 1 reported a non-finite loss in step 1 of some run…
    c.gradientsFinished(1, 1, 6, Float64Array.of(Number.NaN, 0), 4, 1, 0);
    expect(c.lossFinite(1)).toBe(false);
    // …and has not reached step 1 of the next when worker 0 checks it.
    c.post(order);
    c.gradientsFinished(1, 0, 6, Float64Array.of(0.5, 1), 8, 1, 0);
    expect(c.result(1, 1).examples).toBe(0);
    expect(c.lossFinite(1)).toBe(true);
  });

  it('stop and abort end the workers’ wait for the next run', () => {
    const c = channel(2);
    c.stop();
    expect(c.nextRun(0)).toBeNull();
    const d = channel(2);
    d.abort();
    expect(d.nextRun(0)).toBeNull();
    expect(d.awaitGo(1)).toBe('abort');
    expect(d.gradientsBarrier(0)).toBe(false);
    expect(d.gradientsCompleteBarrier(0)).toBe(false);
    expect(d.updatesCompleteBarrier(0)).toBe(false);
  });

  it('the start-up barrier counts threads, and a run holds at most MAX_RUN steps of results', () => {
    const c = channel(3, 2);
    c.arriveReady();
    c.arriveReady();
    expect(c.readyCount()).toBe(2);
    c.post({ ...order, steps: MAX_RUN });
    c.gradientsFinished(MAX_RUN - 1, 2, 5, Float64Array.of(3, 1, 2), 1, 0, 0);
    expect(c.result(MAX_RUN - 1, 2).metrics).toEqual([1, 2]);
  });
});
