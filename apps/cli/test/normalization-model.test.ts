/**
 * A model module with Normalization (adapted), BatchNormalization, LayerNormalization, the
 * noise layers, ActivityRegularization and Keras 3 activations, compiled with Nadam
 * (clipvalue, weight decay excluding biases), label smoothing and precision at 0.4, through
 * the built `tessera` bin: train, summary, plot, resume (bitwise), evaluate, predict, and
 * both exports predicting what `predict` printed.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIris } from '@tessera/datasets';
import { loadCheckpoint } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';
import { loadTfjsFolder, tfjsPredict } from '../src/testing/tfjs-loader.js';
import { HAS_TORCH, PYTHON, runCommand, TORCH_SKIP_REASON } from '../src/testing/torch.js';

const MODULE = fileURLToPath(new URL('./fixtures/normalized-model.mjs', import.meta.url));
const tmp = tempFolder('tessera-normalized-');
afterAll(() => tmp.cleanup());

function ok(result: CliResult): CliResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}
const json = (result: CliResult): Record<string, unknown> =>
  JSON.parse(ok(result).stdout.trim()) as Record<string, unknown>;

const out = join(tmp.dir, 'run');
const latest = join(out, 'checkpoints', 'latest.tsr');
let trained: Record<string, unknown>;
/** The raw iris test rows as a CSV (features only), and `predict`'s output for them. */
let rows: { csv: string; features: Float32Array; size: number };
let predicted: number[][];

beforeAll(async () => {
  trained = json(
    await runBin([
      'train',
      '--model',
      MODULE,
      '--dataset',
      'iris',
      '--epochs',
      '3',
      '--workers',
      '1',
      '--seed',
      '3',
      '--out',
      out,
      '--json',
    ]),
  );
  const test = loadIris({ split: 'test' });
  const lines = [test.featureNames!.join(',')];
  for (let r = 0; r < test.size; r++)
    lines.push(Array.from(test.features.subarray(r * 4, r * 4 + 4)).join(','));
  rows = {
    csv: tmp.file('iris-test.csv', `${lines.join('\n')}\n`),
    features: Float32Array.from(test.features.subarray(0, test.size * 4)),
    size: test.size,
  };
  const result = ok(await runBin(['predict', '--checkpoint', latest, '--input', rows.csv]));
  predicted = result.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 3).map(Number));
}, 180_000);

function expectClose(theirs: ArrayLike<number>, units: number): void {
  expect(theirs.length).toBe(predicted.length * units);
  predicted.forEach((row, r) => {
    for (let u = 0; u < units; u++)
      expect(Math.abs(theirs[r * units + u]! - row[u]!)).toBeLessThan(1e-5);
  });
}

describe('a model with the normalization and noise layers, end to end', () => {
  it('trains with the module’s compile options and logs its metric names', async () => {
    const train = trained['train'] as Record<string, number>;
    expect(Object.keys(train).sort()).toEqual(['acc', 'loss', 'precision']);
    const saved = await loadCheckpoint(latest);
    expect(saved.compile.loss).toEqual({
      className: 'CategoricalCrossentropy',
      config: { fromLogits: false, labelSmoothing: 0.1 },
    });
    expect(saved.compile.metrics).toEqual([
      { className: 'Precision', config: { name: 'precision', thresholds: 0.4 } },
      'acc',
    ]);
    expect(saved.optimizer.config).toMatchObject({
      className: 'Nadam',
      config: { clipvalue: 0.5, weightDecay: 0.01, excludeFromWeightDecay: ['bias'] },
    });
    // The adapted statistics are weights: they travel in the checkpoint.
    expect(Array.from(saved.weights['standardize/mean']!)).not.toEqual([0, 0, 0, 0]);
  });

  it('summarises and plots every layer', async () => {
    const summary = ok(await runBin(['summary', '--checkpoint', latest])).stdout;
    for (const name of [
      'standardize (Normalization)',
      'bn (BatchNormalization)',
      'ln (LayerNormalization)',
      '(GaussianNoise)',
      '(GaussianDropout)',
      '(AlphaDropout)',
      '(ActivityRegularization)',
    ])
      expect(summary).toContain(name);
    // Non-trainable: the Normalization's mean and variance (8), BN's moving statistics (24).
    expect(summary).toMatch(/Total params: 323[\s\S]*Non-trainable params: 32 /);
    const dot = join(tmp.dir, 'model.dot');
    ok(await runBin(['plot', '--model', MODULE, '--out', dot, '--show-shapes']));
    const text = readFileSync(dot, 'utf8');
    expect(text).toContain('<b>bn</b> (BatchNormalization)');
    expect(text).toContain('Activation: hard_silu');
  });

  it('resumes from epoch 1 to the same weights, bit for bit', async () => {
    const again = join(tmp.dir, 'again', 'checkpoints');
    mkdirSync(again, { recursive: true });
    copyFileSync(join(out, 'checkpoints', 'epoch-1.tsr'), join(again, 'epoch-1.tsr'));
    const resumed = json(
      await runBin(['train', '--resume', join(again, 'epoch-1.tsr'), '--workers', '1', '--json']),
    );
    expect(resumed['train']).toEqual(trained['train']);
    const [a, b] = [await loadCheckpoint(latest), await loadCheckpoint(join(again, 'latest.tsr'))];
    for (const [name, values] of Object.entries(a.weights))
      expect(Buffer.from(b.weights[name]!.buffer).equals(Buffer.from(values.buffer)), name).toBe(
        true,
      );
  }, 120_000);

  it('evaluates to the test metrics of training', async () => {
    const evaluated = json(
      await runBin(['evaluate', '--checkpoint', latest, '--dataset', 'iris', '--json']),
    );
    const test = trained['test'] as Record<string, number>;
    expect(evaluated['loss']).toBeCloseTo(test['loss']!, 6);
    expect(evaluated['precision']).toBeCloseTo(test['precision']!, 9);
    expect(evaluated['acc']).toBeCloseTo(test['acc']!, 9);
  });

  it('exports to TF.js (normalizer folded into the Normalization layer) and predicts the same', async () => {
    const dir = join(tmp.dir, 'tfjs');
    const exported = ok(
      await runBin(['export', '--checkpoint', latest, '--format', 'tfjs', '--out', dir]),
    );
    expect(exported.stdout).toMatch(/into the statistics of the first layer "standardize"/);
    const model = await loadTfjsFolder(dir);
    expectClose(tfjsPredict(model, rows.features, [rows.size, 4]), 3);
    model.dispose();
  });

  it.skipIf(!HAS_TORCH)(
    `exports to PyTorch and model.py predicts the same${TORCH_SKIP_REASON}`,
    async () => {
      const dir = join(tmp.dir, 'pytorch');
      ok(await runBin(['export', '--checkpoint', latest, '--format', 'pytorch', '--out', dir]));
      const printed = await runCommand([PYTHON, join(dir, 'model.py'), rows.csv]);
      expectClose(
        printed
          .trim()
          .split('\n')
          .flatMap((l) => l.split(',').map(Number)),
        3,
      );
    },
    60_000,
  );
});
