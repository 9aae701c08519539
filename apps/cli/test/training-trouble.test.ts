/**
 * Runs that go wrong say so truthfully. A loss that stops being finite leaves the history
 * and learning curves of the epochs finished (as Ctrl-C does), never shows the epoch it cut
 * short as a finished one, and names only checkpoints that are there. More workers than
 * cores trains, with one warning line.
 */

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../src/testing/expect-error.js';
import { runInProcess } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const tmp = tempFolder('tessera-trouble-');
afterAll(() => tmp.cleanup());

const REGRESSION = fileURLToPath(new URL('./fixtures/regression.csv', import.meta.url));

/** One linear unit on regression.csv's 3 features, trained with plain SGD at a rate that blows up. */
function exploding(out: string, batchSize: number): string[] {
  const model = tmp.file(
    'linear.json',
    JSON.stringify({
      format: 'tessera-model',
      version: 1,
      className: 'Sequential',
      config: {
        name: 'linear',
        layers: [{ className: 'Dense', config: { name: 'out', units: 1, inputShape: [3] } }],
      },
    }),
  );
  return [
    ...['train', '--model', model, '--dataset', REGRESSION, '--optimizer', 'sgd'],
    ...['--learning-rate', '30', '--batch-size', String(batchSize), '--epochs', '100'],
    ...['--normalize', 'none', '--validation-split', '0', '--seed', '1', '--workers', '1'],
    ...['--out', out],
  ];
}

function historyEpochs(out: string): number[] {
  return (JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as { epoch: number[] }).epoch;
}

describe('a loss that becomes NaN or infinite', () => {
  it('after finished epochs: their history and curves are written, and the line says where', async () => {
    // 16 training rows in one step per epoch: the bad step is an epoch's first.
    const out = join(tmp.dir, 'whole-epochs');
    const result = await runInProcess(exploding(out, 64));
    expectUsageError(
      result,
      /^error: training diverged: the loss became NaN or infinite at step (\d+), in epoch \1, so training stopped; (\d+) epoch\(s\) finished before it: their history is in .*history\.json, .*latest\.tsr holds the weights after epoch (\d+); try a lower --learning-rate/,
    );
    const [, step, finished, saved] =
      /at step (\d+).* (\d+) epoch\(s\) finished.* after epoch (\d+)/
        .exec(result.stderr)!
        .map(Number);
    expect(finished).toBe(step! - 1);
    expect(finished).toBeGreaterThan(1);
    expect(saved).toBeLessThanOrEqual(finished!);
    expect(historyEpochs(out)).toEqual(Array.from({ length: finished! }, (_, i) => i));
    expect(readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n')).toHaveLength(
      finished! + 1,
    );
    const svg = readFileSync(join(out, 'learning-curves.svg'), 'utf8');
    expect(svg.match(/<circle /g)!.length).toBeGreaterThanOrEqual(finished!);
    expect(existsSync(join(out, 'learning-curves.png'))).toBe(true);
    expect(existsSync(join(out, 'checkpoints', 'latest.tsr'))).toBe(true);
  }, 60_000);

  it('inside an epoch: that epoch is shown cut short and left out of the history', async () => {
    // Batch 4: four steps per epoch, and the bad one falls inside an epoch.
    const out = join(tmp.dir, 'cut-short');
    const result = await runInProcess(exploding(out, 4));
    expectUsageError(result, /^error: training diverged: /);
    const lines = result.stdout.trimEnd().split('\n');
    const last = lines.at(-1)!;
    const match =
      /^Epoch (\d+)\/100 cut short after (\d+) of 4 steps \(the loss of step (\d+) was not finite\) - [\d.]+s - loss: /.exec(
        last,
      );
    expect(match, last).not.toBeNull();
    expect(last).not.toMatch(/samples\/s/);
    const [epoch, done, step] = match!.slice(1).map(Number) as [number, number, number];
    expect(step).toBe((epoch - 1) * 4 + done + 1);
    // Every line before it is a finished epoch.
    expect(lines.filter((line) => /^Epoch \d+\/100 - /.test(line))).toHaveLength(epoch - 1);
    expect(historyEpochs(out)).toEqual(Array.from({ length: epoch - 1 }, (_, i) => i));
    expect(result.stderr).toContain(
      `at step ${step}, in epoch ${epoch}, so training stopped; ${epoch - 1} epoch(s) finished before it:`,
    );
    // The trainer checkpoints a cut-short epoch whose logs are finite: the line says which.
    expect(result.stderr).toMatch(
      new RegExp(
        `latest\\.tsr holds the weights (after epoch ${epoch - 1}|after step ${step - 1}, in epoch ${epoch}, which the stop cut short);`,
      ),
    );
  }, 60_000);

  it('in the first epoch: nothing is shown as finished, no checkpoint is named, no folder is left', async () => {
    const out = join(tmp.dir, 'first-epoch');
    const result = await runInProcess([
      ...['train', '--model', 'iris-mlp', '--epochs', '1', '--seed', '1'],
      ...['--learning-rate', '1e20', '--workers', '1', '--out', out],
    ]);
    expectUsageError(
      result,
      /^error: training diverged: the loss became NaN or infinite at step 2, in epoch 1, so training stopped; no epoch finished and no checkpoint was saved; try a lower --learning-rate, or check the data for extreme values$/,
    );
    expect(result.stdout).not.toMatch(/^Epoch 1\/1 - /m);
    expect(result.stdout).toMatch(
      /^Epoch 1\/1 cut short after 1 of 6 steps \(the loss of step 2 was not finite\) - /m,
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('more workers than cores', () => {
  it('trains, with one warning line on stderr', async () => {
    const cores = availableParallelism();
    const out = join(tmp.dir, 'crowded');
    const result = await runInProcess([
      ...['train', '--model', 'iris-mlp', '--epochs', '1', '--seed', '1'],
      ...['--workers', String(cores + 1), '--out', out],
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      `warning: --workers ${cores + 1} is more than the ${cores} CPU core(s) of this machine; the workers take turns on them, so training is slower than with --workers ${cores}\n`,
    );
    expect(result.stdout).toMatch(/^Trained 1 epoch\(s\) on \d+ worker\(s\)/m);
    const fitting = await runInProcess([
      ...['train', '--model', 'iris-mlp', '--epochs', '1', '--seed', '1'],
      ...['--workers', String(cores), '--out', join(tmp.dir, 'fitting')],
    ]);
    expect(fitting.code, fitting.stderr).toBe(0);
    expect(fitting.stderr).toBe('');
  }, 120_000);
});
