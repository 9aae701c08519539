/**
 * A model file without an input shape: `train` builds it for the data's example shape
 * (as Keras builds on the first fit), before counting its parameters for the workers;
 * the checkpoint then holds a built model that reloads. `summary` and `plot` have no data
 * to build it for and say so (model-argument.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, restoreModel } from '@tessera/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../testing/expect-error.js';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { planRun } from './plan.js';

const tmp = tempFolder('tessera-plan-');
afterAll(() => tmp.cleanup());

/** A model file of a Sequential model `name` with these layer entries. */
function sequentialFile(file: string, name: string, layers: unknown[]): string {
  return tmp.file(
    file,
    JSON.stringify({
      format: 'tessera-model',
      version: 1,
      className: 'Sequential',
      config: { name, layers },
    }),
  );
}

/** A Dense(2, softmax) with no inputShape: the first layer learns its width from the data. */
const shapeless = sequentialFile('shapeless.json', 't', [
  { className: 'Dense', config: { units: 2, activation: 'softmax' } },
]);
const rows = ['a,b,label'];
for (let i = 0; i < 20; i++) rows.push(`${i},${(i * 3) % 7},${i % 2 === 0 ? 'x' : 'y'}`);
const csv = tmp.file('two-features.csv', `${rows.join('\n')}\n`);

describe('a model file without an input shape', () => {
  it('is built for the data before its parameters are counted', async () => {
    const plan = await planRun({ model: shapeless, dataset: csv, workers: 1, seed: 1 });
    expect(plan.model.built).toBe(true);
    // Dense(2) on 2 features: a 2×2 kernel and 2 biases.
    expect(plan.model.countParams()).toBe(6);
  });

  it('trains, and its checkpoint reloads as a built model that summary reads', async () => {
    const out = join(tmp.dir, 'run');
    const quick = ['--workers', '1', '--epochs', '2', '--seed', '3', '--out', out];
    const trained = await runInProcess(['train', '--model', shapeless, '--dataset', csv, ...quick]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toBe('');
    const latest = join(out, 'checkpoints', 'latest.tsr');
    expect(existsSync(latest)).toBe(true);
    const model = restoreModel(await loadCheckpoint(latest), latest);
    expect(model.built).toBe(true);
    expect(model.countParams()).toBe(6);
    const summary = await runInProcess(['summary', '--checkpoint', latest]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/Total params: 6\b/);
    // Resuming names the same model file and goes on from the checkpoint.
    const resumed = await runInProcess([
      'train',
      '--resume',
      latest,
      '--model',
      shapeless,
      '--workers',
      '1',
      '--epochs',
      '3',
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from epoch 2/);
  }, 60_000);

  it('does not fit data of another width: one error line, exit 2, before any worker', async () => {
    const wide = tmp.file('three-features.csv', 'a,b,c,label\n1,2,3,x\n2,3,4,y\n3,4,5,x\n');
    const model = sequentialFile('fixed.json', 't', [
      { className: 'Dense', config: { units: 4 } },
      { className: 'Reshape', config: { targetShape: [3, 3] } },
    ]);
    const out = join(tmp.dir, 'misfit');
    expectUsageError(
      await runInProcess(['train', '--model', model, '--dataset', wide, '--out', out]),
      /^error: --model .*fixed\.json does not fit --dataset .*three-features\.csv: /,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('is refused before it is built when the data would make it too big', async () => {
    const header = [...Array.from({ length: 3000 }, (_, i) => `f${i}`), 'label'].join(',');
    const row = (k: number): string =>
      `${Array.from({ length: 3000 }, () => k).join(',')},c${k % 2}`;
    const wide = tmp.file(
      '3000-features.csv',
      `${[header, ...[0, 1, 2, 3].map(row)].join('\n')}\n`,
    );
    const huge = sequentialFile('huge.json', 'h', [
      { className: 'Dense', config: { units: 50_000_000 } },
    ]);
    const out = join(tmp.dir, 'huge');
    // 3000 × 50,000,000 weights: refused by the estimate, never allocated.
    expectUsageError(
      await runInProcess([
        'train',
        '--model',
        huge,
        '--dataset',
        wide,
        '--workers',
        '1',
        '--out',
        out,
      ]),
      /^error: .*huge\.json: the model has about 150,050,000,000 parameters, needing .* GiB to train; the limit is /,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('has no shapes for summary and plot, which have no data to build it for', async () => {
    const message =
      /^error: .*shapeless\.json: the model has no input shape yet, so its shapes and parameter counts are unknown; give its first layer an inputShape \(or start it with an input layer\)$/;
    expectUsageError(await runInProcess(['summary', '--model', shapeless]), message);
    expectUsageError(
      await runInProcess(['plot', '--model', shapeless, '--out', join(tmp.dir, 'model.dot')]),
      message,
    );
  });
});
