/**
 * Small data: the rows `train` cuts for the test and for validation follow the rules of
 * Dataset.split and the trainer, and a part that would come out empty is one error line
 * naming what the CLI does and the rows it needs — at the boundary, one row fewer fails
 * and the minimum trains.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCsv } from '@tessera/datasets';
import { validationSplitSizes } from '@tessera/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../testing/expect-error.js';
import { runInProcess } from '../testing/run-cli.js';
import { tempFolder } from '../testing/temp.js';
import { loadTrainingData } from './resolve-dataset.js';
import { checkValidationSplit, csvTrainRows, minimumCsvRows } from './split-rows.js';

const tmp = tempFolder('tessera-split-rows-');
afterAll(() => tmp.cleanup());

/** A CSV of `rows` rows, two features, labels x and y alternating (or numbers). */
function csv(rows: number, task: 'classification' | 'regression' = 'classification'): string {
  const lines = ['a,b,label'];
  for (let i = 0; i < rows; i++)
    lines.push(`${i},${(i * 5) % 3},${task === 'regression' ? i / 2 : i % 2 === 0 ? 'x' : 'y'}`);
  return tmp.file(`${task}-${rows}.csv`, `${lines.join('\n')}\n`);
}

/** A Dense(2, softmax) model with inputShape [2], as `layers.dense` writes it. */
const model = tmp.file(
  'tm2.json',
  JSON.stringify({
    format: 'tessera-model',
    version: 1,
    className: 'Sequential',
    config: {
      name: 'tm2',
      layers: [
        { className: 'Dense', config: { units: 2, activation: 'softmax', inputShape: [2] } },
      ],
    },
  }),
);

/** `train` on `data` into a fresh folder of tmp; returns the result and the folder. */
async function train(data: string, ...flags: string[]) {
  const out = join(tmp.dir, `run-${Math.random().toString(36).slice(2)}`);
  const args = ['--model', model, '--dataset', data, '--workers', '1', '--epochs', '1'];
  const result = await runInProcess(['train', ...args, '--seed', '1', ...flags, '--out', out]);
  return { result, out };
}

describe('the rows train cuts', () => {
  it("counts a CSV's training rows as Dataset.split does", () => {
    for (const task of ['classification', 'regression'] as const) {
      for (let rows = 3; rows <= 25; rows++) {
        const [first] = loadCsv(csv(rows, task)).split(0.8, { seed: 42 });
        expect(first.size, `${rows} ${task} rows`).toBe(csvTrainRows(rows));
        const data = loadTrainingData(csv(rows, task));
        expect([data.train.size, data.test.size]).toEqual([csvTrainRows(rows), rows - first.size]);
      }
    }
  });

  it('needs 3 rows for the test split, more for a large --validation-split', () => {
    // round(2 · 0.8) = 2 leaves no test row; round(3 · 0.8) = 2 leaves one.
    expect(minimumCsvRows()).toBe(3);
    expect(minimumCsvRows(0.5)).toBe(3); // 2 train: 1 trains, 1 validates
    expect(minimumCsvRows(0.6)).toBe(4); // 2 train: ⌊2 · 0.4⌋ = 0 would train
    // In floating point 10 · (1 − 0.9) is 0.999…98: 13 rows (10 training) would train on
    // none, so 14 (11 training) it is — the count comes from the trainer's own rule.
    expect(validationSplitSizes(10, 0.9)).toEqual({ train: 0, validation: 10 });
    expect(minimumCsvRows(0.9)).toBe(14);
    expect(minimumCsvRows(1e-17)).toBeUndefined(); // 1 − 1e-17 is 1: never a held-out row
  });

  it('refuses a fraction that holds out no row, rather than validating on none', () => {
    expect(() =>
      checkValidationSplit(1e-17, { spec: 'iris', kind: 'builtin', trainRows: 120 }),
    ).toThrow(
      '--validation-split 1e-17 of the 120 training rows of --dataset iris holds out no row for validation; use 0 for no validation, or a larger fraction',
    );
    expect(() =>
      checkValidationSplit(0, { spec: 'x.csv', kind: 'csv', trainRows: 2, csvRows: 3 }),
    ).not.toThrow();
  });
});

describe('train on a CSV too small to split', () => {
  it.each([
    [1, 'regression', '1 row'],
    [2, 'classification', '2 rows'],
  ] as const)('%i %s row(s): one error line, exit 2, no run folder', async (rows, task, has) => {
    const path = csv(rows, task);
    const { result, out } = await train(path);
    expectUsageError(result, /^error: --dataset /);
    expect(result.stderr).toBe(
      `error: --dataset ${path} has ${has}: train holds out 20 % of a CSV's rows for the test and trains on the rest, so it needs at least 3 rows\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('trains on 3 rows: 2 train (too few to validate by default), 1 tests', async () => {
    const { result } = await train(csv(3));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 2 examples, 1 worker\(s\)/);
    expect(result.stdout).toMatch(/held-out 20 % of .* \(1 examples\)/);
  }, 60_000);

  it('refuses a --validation-split that leaves nothing to train on, and trains with one row more', async () => {
    const path = csv(3);
    const { result, out } = await train(path, '--validation-split', '0.6');
    expectUsageError(result, /^error: --dataset /);
    expect(result.stderr).toBe(
      `error: --dataset ${path} has 3 rows: train holds out 20 % of a CSV's rows for the test and trains on the other 2 rows, and --validation-split 0.6 holds out all of them for validation (it rounds up to whole rows), leaving none to train on; with --validation-split 0.6 it needs at least 4 rows\n`,
    );
    expect(existsSync(out)).toBe(false);
    const half = await train(path, '--validation-split', '0.5');
    expect(half.result.code, half.result.stderr).toBe(0);
    expect(half.result.stdout).toMatch(/: 1 examples \(\+1 for validation\)/);
    const four = await train(csv(4), '--validation-split', '0.6');
    expect(four.result.code, four.result.stderr).toBe(0);
    expect(four.result.stdout).toMatch(/: 1 examples \(\+2 for validation\)/);
  }, 60_000);

  it('refuses a --validation-split that holds out all of a built-in training split', async () => {
    const result = await runInProcess([
      'train',
      ...'--model iris-mlp --workers 1 --validation-split 0.999 --out'.split(' '),
      join(tmp.dir, 'iris'),
    ]);
    expectUsageError(
      result,
      /^error: --validation-split 0\.999 of the 120 training rows of --dataset iris holds out all of them for validation \(it rounds up to whole rows\), leaving none to train on; choose a smaller fraction$/,
    );
  });
});
