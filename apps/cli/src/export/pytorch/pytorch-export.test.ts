import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { input, layers, model, sequential } from '@tessera/layers';
import { loadCheckpoint } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvaluationData } from '../../data/resolve-dataset.js';
import { exportPytorch, trainOneEpoch } from '../../testing/pytorch-runs.js';
import { runInProcess } from '../../testing/run-cli.js';
import { tempFolder } from '../../testing/temp.js';
import { HAS_TORCH, PYTHON, runCommand, TORCH_SKIP_REASON } from '../../testing/torch.js';

const tmp = tempFolder('tessera-pytorch-');
afterAll(() => tmp.cleanup());

const train = (name: string, args: string[]): Promise<string> =>
  trainOneEpoch(join(tmp.dir, name), args);
const exportTo = (checkpoint: string, name: string, extra: string[] = []): Promise<string> =>
  exportPytorch(checkpoint, join(tmp.dir, name), extra);

/** The first `rows` raw rows of a dataset as a CSV with the given header. */
function rawRows(
  dataset: string,
  wanted: number,
  header: string[] | undefined,
  task: 'classification' | 'regression',
  classNames?: string[],
): { path: string; rows: number } {
  const { data } = loadEvaluationData(dataset, { task, classNames });
  const d = data.featureSize;
  const rows = Math.min(wanted, data.size);
  const names = header ?? Array.from({ length: d }, (_, j) => `pixel${j}`);
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++)
    lines.push(Array.from(data.features.subarray(i * d, (i + 1) * d)).join(','));
  const path = join(tmp.dir, `${dataset}-rows.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, rows };
}

/** Tessera's and the exported module's outputs on the same raw rows. */
async function bothPredictions(
  checkpoint: string,
  folder: string,
  rows: string,
): Promise<[number[][], number[][]]> {
  const tessera = await runInProcess(['predict', '--checkpoint', checkpoint, '--input', rows]);
  expect(tessera.stderr).toBe('');
  const lines = tessera.stdout.trim().split('\n');
  const units = lines[0]!.split(',').filter((c) => c !== 'label').length;
  const ours = lines.slice(1).map((l) => l.split(',').slice(0, units).map(Number));
  const py = await runCommand([PYTHON, join(folder, 'model.py'), rows]);
  const theirs = py
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  return [ours, theirs];
}

function expectClose(a: number[][], b: number[][], tolerance: number): void {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    expect(b[i]!.length).toBe(a[i]!.length);
    for (let j = 0; j < a[i]!.length; j++)
      expect(Math.abs(a[i]![j]! - b[i]![j]!)).toBeLessThan(tolerance);
  }
}

describe.skipIf(!HAS_TORCH)(`export --format pytorch${TORCH_SKIP_REASON}`, () => {
  const checkpoints: Record<string, string> = {};
  beforeAll(async () => {
    checkpoints['iris'] = await train('iris', ['--model', 'iris-mlp', '--dataset', 'iris']);
    checkpoints['study-scores'] = await train('study', [
      '--model',
      'study-scores-mlp',
      '--dataset',
      'study-scores',
    ]);
    checkpoints['mnist'] = await train('mnist', ['--model', 'mnist-mlp', '--dataset', 'mnist']);
    // Two branches joined by Add and Concatenate, with Maxout, Dropout and several activations.
    const x = input({ shape: [4], name: 'features' });
    const a = layers.dense({ units: 6, activation: 'gelu' }).apply(x);
    const b = layers.maxout({ units: 6, pieces: 3 }).apply(x);
    const joined = layers.add().apply([a, b]);
    const both = layers
      .concatenate()
      .apply([joined, layers.dense({ units: 3, activation: 'tanh' }).apply(x)]);
    const dropped = layers.dropout({ rate: 0.2 }).apply(both);
    const out = layers
      .dense({ units: 3, activation: 'softmax' })
      .apply(layers.leakyReLU({ alpha: 0.1 }).apply(dropped));
    const file = tmp.file(
      'two-branches.json',
      JSON.stringify(model({ inputs: x, outputs: out, name: 'two_branches' }).toJSON()),
    );
    checkpoints['functional'] = await train('functional', ['--model', file, '--dataset', 'iris']);
    // The normalization and noise layers, and the activations Keras 3 added.
    const normalized = sequential(
      [
        layers.normalization({
          inputShape: [4],
          mean: [5.8, 3, 3.8, 1.2],
          variance: [0.7, 0.2, 3, 0.6],
        }),
        layers.dense({ units: 8, activation: 'hard_silu' }),
        layers.batchNormalization({ momentum: 0.7 }),
        layers.gaussianNoise({ stddev: 0.2 }),
        layers.dense({ units: 8, activation: 'celu' }),
        layers.layerNormalization(),
        layers.gaussianDropout({ rate: 0.2 }),
        layers.dense({ units: 8, activation: 'log_sigmoid' }),
        layers.batchNormalization({ center: false }),
        layers.alphaDropout({ rate: 0.1 }),
        layers.activityRegularization(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { name: 'normalized' },
    );
    const normalizedFile = tmp.file('normalized.json', JSON.stringify(normalized.toJSON()));
    checkpoints['normalized'] = await train('normalized', [
      '--model',
      normalizedFile,
      '--dataset',
      'iris',
    ]);
    const shapes = sequential(
      [
        layers.dense({ units: 6, activation: 'squareplus', inputShape: [2] }),
        layers.dense({ units: 6, activation: 'sparse_plus' }),
        layers.dense({ units: 1 }),
      ],
      { name: 'smooth' },
    );
    const shapesFile = tmp.file('smooth.json', JSON.stringify(shapes.toJSON()));
    checkpoints['smooth'] = await train('smooth', [
      '--model',
      shapesFile,
      '--dataset',
      'study-scores',
    ]);
    // A Softmax over two axes at once (of a [2, 3] reshape of the hidden layer).
    const axes = sequential(
      [
        layers.dense({ units: 6, inputShape: [4] }),
        layers.reshape({ targetShape: [2, 3] }),
        layers.softmax({ axis: [1, 2] }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { name: 'softmax_axes' },
    );
    const axesFile = tmp.file('softmax-axes.json', JSON.stringify(axes.toJSON()));
    checkpoints['softmax-axes'] = await train('softmax-axes', [
      '--model',
      axesFile,
      '--dataset',
      'iris',
    ]);
  }, 240_000);

  it.each([
    ['iris', 'iris', ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth']],
    ['study-scores', 'study-scores', undefined],
    ['mnist', 'mnist', undefined],
    ['functional', 'iris', ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth']],
    ['normalized', 'iris', ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth']],
    ['smooth', 'study-scores', undefined],
    ['softmax-axes', 'iris', ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth']],
  ] as [string, string, string[] | undefined][])(
    'the exported %s model predicts as Tessera does on raw rows (within 1e-5)',
    async (name, dataset, header) => {
      const checkpoint = checkpoints[name]!;
      const opened = await loadCheckpoint(checkpoint);
      const facts = (
        opened.extra as {
          data: {
            task: 'classification' | 'regression';
            classNames?: string[];
            featureNames?: string[];
          };
        }
      ).data;
      const folder = await exportTo(checkpoint, `${name}-export`);
      const { path: rows, rows: count } = rawRows(
        dataset,
        12,
        header ?? facts.featureNames,
        facts.task,
        facts.classNames,
      );
      const [ours, theirs] = await bothPredictions(checkpoint, folder, rows);
      expect(ours.length).toBe(count);
      expectClose(ours, theirs, 1e-5);
    },
    120_000,
  );

  it.each(['functional', 'normalized'])(
    'round-trips the %s model Tessera → PyTorch files → Tessera with every weight and optimizer value bitwise',
    async (name) => {
      const checkpoint = checkpoints[name]!;
      const folder = await exportTo(checkpoint, `round-trip-${name}`);
      const back = join(tmp.dir, `round-trip-${name}.tsr`);
      const result = await runInProcess(['import', '--from', folder, '--out', back]);
      expect(result.code).toBe(0);
      const [before, after] = [await loadCheckpoint(checkpoint), await loadCheckpoint(back)];
      expect(Object.keys(after.weights)).toEqual(Object.keys(before.weights));
      const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (const [name, values] of Object.entries(before.weights))
        expect(bytes(after.weights[name]!).equals(bytes(values))).toBe(true);
      expect(Object.keys(after.optimizer.slots).sort()).toEqual(
        Object.keys(before.optimizer.slots).sort(),
      );
      for (const [slot, values] of Object.entries(before.optimizer.slots))
        expect(bytes(after.optimizer.slots[slot]!).equals(bytes(values))).toBe(true);
      expect(after.optimizer.iteration).toBe(before.optimizer.iteration);
      expect(after.model).toEqual(before.model);
      expect(after.extra).toEqual(before.extra);
      expect(after.progress).toEqual(before.progress);
    },
    60_000,
  );
  it('names a custom function without a PyTorch equivalent, and uses one supplied with --pytorch-functions', async () => {
    const module = fileURLToPath(
      new URL('../../../test/fixtures/custom-model.mjs', import.meta.url),
    );
    const checkpoint = await train('lambda', ['--model', module, '--dataset', 'digits']);
    const refused = await runInProcess([
      'export',
      '--checkpoint',
      checkpoint,
      '--format',
      'pytorch',
      '--out',
      join(tmp.dir, 'refused'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^error: .*layer "my_relu" uses the custom function "fixture_my_relu"/,
    );
    const functions = tmp.file(
      'functions.py',
      'import torch\n\n\ndef fixture_my_relu(x):\n    return torch.clamp(x, min=0.0)\n',
    );
    const folder = await exportTo(checkpoint, 'lambda-export', ['--pytorch-functions', functions]);
    const { path: rows, rows: count } = rawRows('digits', 10, undefined, 'classification', [
      ...Array.from({ length: 10 }, (_, i) => String(i)),
    ]);
    const [ours, theirs] = await bothPredictions(checkpoint, folder, rows);
    expect(ours.length).toBe(count);
    expectClose(ours, theirs, 1e-5);
  }, 120_000);
});

describe('export --format pytorch errors', () => {
  it('a missing checkpoint is one clean error line, exit code 2', async () => {
    const result = await runInProcess([
      'export',
      '--checkpoint',
      join(tmp.dir, 'none.tsr'),
      '--format',
      'pytorch',
      '--out',
      join(tmp.dir, 'x'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
  });
  it('import names weights.json when the folder has none', async () => {
    const result = await runInProcess([
      'import',
      '--from',
      tmp.dir,
      '--out',
      join(tmp.dir, 'y.tsr'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/weights\.json/);
  });
});
