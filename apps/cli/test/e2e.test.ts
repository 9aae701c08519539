/**
 * End to end through the built bin, as a user runs it: train → evaluate → predict →
 * export → summary → plot on iris (built-in model), digits (a JS module with a custom
 * Lambda), study-scores (regression) and a CSV file with a JSON model; then resume and
 * Ctrl-C. Everything written into --out is opened and checked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIris } from '@tessera/datasets';
import { loadCheckpoint } from '@tessera/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';
import { loadTfjsFolder, tfjsPredict } from '../src/testing/tfjs-loader.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tmp = tempFolder('tessera-e2e-');
afterAll(() => tmp.cleanup());

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ok(result: CliResult): CliResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** The single JSON object a `--json` run prints. */
function jsonOf(result: CliResult): Record<string, unknown> {
  ok(result);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

/** The checkpoint a training run into `out` writes last. */
function latestIn(out: string): string {
  return join(out, 'checkpoints', 'latest.tsr');
}

/** Runs `train` with `flags`, then `--out out --json`; returns the printed JSON. */
async function trainJson(flags: string[], out: string): Promise<Record<string, unknown>> {
  return jsonOf(await runBin(['train', ...flags, '--out', out, '--json']));
}

/** Exports `checkpoint` as a TF.js folder `dir`, expecting success. */
async function exportTfjs(checkpoint: string, dir: string): Promise<void> {
  ok(await runBin(['export', '--checkpoint', checkpoint, '--format', 'tfjs', '--out', dir]));
}

/** Each row's first `units` cells are within 1e-5 of TF.js's outputs `y` (row after row). */
function expectSameAsTfjs(y: ArrayLike<number>, rows: string[][], units: number): void {
  rows.forEach((row, r) => {
    for (let u = 0; u < units; u++) {
      expect(Math.abs(y[r * units + u]! - Number(row[u]))).toBeLessThan(1e-5);
    }
  });
}

/** Parses a CSV without quoted cells (what these tests write and read). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/** The run folder holds every file, and each parses as what it claims to be. */
async function checkRunFolder(out: string, epochs: number): Promise<void> {
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
    epoch: number[];
    history: Record<string, number[]>;
  };
  expect(history.epoch).toHaveLength(epochs);
  expect(history.history['loss']).toHaveLength(epochs);
  const csv = csvRows(readFileSync(join(out, 'history.csv'), 'utf8'));
  expect(csv[0]![0]).toBe('epoch');
  expect(csv).toHaveLength(epochs + 1);
  expect(Number(csv[epochs]![csv[0]!.indexOf('loss')])).toBeCloseTo(
    history.history['loss']![epochs - 1]!,
    12,
  );
  expect(readFileSync(join(out, 'learning-curves.svg'), 'utf8')).toMatch(
    /^<svg [^>]*>[\s\S]*<polyline/,
  );
  expect([...readFileSync(join(out, 'learning-curves.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(readFileSync(join(out, 'summary.txt'), 'utf8')).toMatch(/Total params: [\d,]+/);
  expect(readFileSync(join(out, 'model.svg'), 'utf8')).toContain('<svg');
  const checkpoint = await loadCheckpoint(latestIn(out));
  expect(checkpoint.history.epoch).toHaveLength(epochs);
  expect(checkpoint.extra['format']).toBe('tessera-cli');
}

describe('iris with the built-in iris-mlp', () => {
  const out = join(tmp.dir, 'iris-run');
  let trained: Record<string, unknown>;

  it('trains on 2 workers and reports the --json fields', async () => {
    trained = await trainJson(
      [
        '--model',
        'iris-mlp',
        '--dataset',
        'iris',
        '--workers',
        '2',
        '--epochs',
        '25',
        '--seed',
        '3',
      ],
      out,
    );
    expect(trained).toMatchObject({
      command: 'train',
      workers: 2,
      epochs: 25,
      checkpoint: latestIn(out),
      // Standardised iris is dense: the resident step reads dense rows.
      training_path: { path: 'resident', sparse_input: false },
    });
    expect(trained['samples_per_second']).toBeGreaterThan(0);
    for (const part of ['train', 'test'] as const) {
      const m = trained[part] as Record<string, number>;
      expect(m['loss']).toBeGreaterThan(0);
      expect(m['accuracy']).toBeGreaterThanOrEqual(0);
      expect(m['accuracy']).toBeLessThanOrEqual(1);
    }
    // 25 epochs of Adam on standardised iris separate the species well.
    expect((trained['test'] as Record<string, number>)['accuracy']).toBeGreaterThanOrEqual(0.8);
    expect(trained['test_examples']).toBe(30);
    await checkRunFolder(out, 25);
  });

  it('evaluates the checkpoint to the same test metrics', async () => {
    const evaluated = jsonOf(
      await runBin(['evaluate', '--checkpoint', latestIn(out), '--dataset', 'iris', '--json']),
    );
    const test = trained['test'] as Record<string, number>;
    expect(evaluated['examples']).toBe(30);
    expect(evaluated['loss']).toBeCloseTo(test['loss']!, 6);
    expect(evaluated['accuracy']).toBeCloseTo(test['accuracy']!, 9);
  });

  it('predicts a CSV (named columns in any order, the species column ignored) and exports to TF.js identically', async () => {
    const test = loadIris({ split: 'test' });
    const names = test.featureNames!;
    const lines = [['species', ...[...names].reverse()].join(',')];
    for (let r = 0; r < test.size; r++) {
      const row = Array.from(test.features.subarray(r * 4, r * 4 + 4));
      lines.push([test.classNames![test.targets[r]!], ...row.reverse()].join(','));
    }
    const input = tmp.file('iris-test.csv', `${lines.join('\n')}\n`);
    const predictions = join(tmp.dir, 'iris-predictions.csv');
    ok(
      await runBin([
        'predict',
        '--checkpoint',
        latestIn(out),
        '--input',
        input,
        '--output',
        predictions,
      ]),
    );
    const rows = csvRows(readFileSync(predictions, 'utf8'));
    expect(rows[0]).toEqual(['setosa', 'versicolor', 'virginica', 'label']);
    expect(rows).toHaveLength(31);
    let correct = 0;
    rows.slice(1).forEach((row, r) => {
      const p = row.slice(0, 3).map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row[3]).toBe(test.classNames![p.indexOf(Math.max(...p))]);
      if (row[3] === test.classNames![test.targets[r]!]) correct++;
    });
    expect(correct / 30).toBeCloseTo((trained['test'] as Record<string, number>)['accuracy']!, 6);

    const exported = join(tmp.dir, 'iris-tfjs');
    await exportTfjs(latestIn(out), exported);
    const meta = JSON.parse(readFileSync(join(exported, 'model.json'), 'utf8')).userDefinedMetadata
      .tessera;
    expect(meta.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const model = await loadTfjsFolder(exported);
    // The export folds the normalizer: TF.js takes the raw rows predict was given.
    const x = Float32Array.from(test.features.subarray(0, test.size * 4));
    const y = tfjsPredict(model, x, [test.size, 4]);
    expectSameAsTfjs(y, rows.slice(1), 3);
  });

  it('summarises and plots the trained model', async () => {
    const summary = ok(await runBin(['summary', '--checkpoint', latestIn(out)]));
    // 4·10+10 + 10·10+10 + 10·3+3 = 193 parameters.
    expect(summary.stdout).toContain('Total params: 193');
    const png = join(tmp.dir, 'iris.png');
    ok(await runBin(['plot', '--checkpoint', latestIn(out), '--out', png]));
    expect([...readFileSync(png).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const dot = join(tmp.dir, 'iris.dot');
    ok(await runBin(['plot', '--model', 'iris-mlp', '--out', dot, '--show-shapes']));
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph[\s\S]*\(None, 10\)/);
  });

  it('resumes from a checkpoint and continues the same run', async () => {
    const resumed = jsonOf(
      await runBin([
        'train',
        '--resume',
        latestIn(out),
        '--epochs',
        '27',
        '--workers',
        '2',
        '--json',
      ]),
    );
    expect(resumed['epochs']).toBe(27);
    expect(resumed['seed']).toBe(3);
    await checkRunFolder(out, 27);
  });
});

describe('digits with a JS module (a custom Lambda the workers must import)', () => {
  const out = join(tmp.dir, 'digits-run');

  it('trains, evaluates, predicts, summarises and plots; export refuses the Lambda', async () => {
    const trained = await trainJson(
      [
        '--model',
        fixture('custom-model.mjs'),
        '--dataset',
        'digits',
        '--workers',
        '2',
        '--epochs',
        '15',
        '--batch-size',
        '20',
        '--learning-rate',
        '0.02',
        '--seed',
        '5',
      ],
      out,
    );
    const test = trained['test'] as Record<string, number>;
    expect(test['accuracy']).toBeGreaterThanOrEqual(0.6);
    await checkRunFolder(out, 15);
    const latest = latestIn(out);
    // The checkpoint names what the model needs, never a module to import.
    const extra = (await loadCheckpoint(latest)).extra;
    expect(extra['customObjectNames']).toEqual(['fixture_my_relu']);
    expect(JSON.stringify(extra)).not.toContain('"customObjects"');
    const missing = await runBin(['evaluate', '--checkpoint', latest, '--dataset', 'digits']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(
      /^error: .*needs custom objects that are not registered: fixture_my_relu; pass .* --custom-objects FILE/,
    );
    const custom = ['--custom-objects', fixture('custom-model.mjs')];

    const evaluated = jsonOf(
      await runBin([
        'evaluate',
        '--checkpoint',
        latest,
        ...custom,
        '--dataset',
        'digits',
        '--json',
      ]),
    );
    expect(evaluated['accuracy']).toBeCloseTo(test['accuracy']!, 9);

    // The course's 9 and 1 as bitmaps, no header.
    const input = tmp.file(
      'digits.csv',
      '1,1,1,1,0,1,1,1,1,0,0,1,1,1,1\n0,0,1,0,0,1,0,0,1,0,0,1,0,0,1\n',
    );
    const predicted = ok(
      await runBin(['predict', '--checkpoint', latest, ...custom, '--input', input]),
    );
    const rows = csvRows(predicted.stdout);
    expect(rows[0]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'label']);
    expect(rows).toHaveLength(3);

    const refused = await runBin([
      'export',
      '--checkpoint',
      latest,
      ...custom,
      '--format',
      'tfjs',
      '--out',
      join(tmp.dir, 'digits-tfjs'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(
      /^error: .*cannot export to TF\.js: layer "my_relu" \(Lambda\): a Lambda layer runs a JavaScript function/,
    );

    const summary = ok(await runBin(['summary', '--model', fixture('custom-model.mjs')])).stdout;
    expect(summary).toMatch(/my_relu \(Lambda\)/);
    expect(summary).toMatch(
      /Training path: tfjs autodiff \(layer "my_relu" \(Lambda\) is not planned\)/,
    );
    const svg = join(tmp.dir, 'digits.svg');
    ok(await runBin(['plot', '--checkpoint', latest, ...custom, '--out', svg, '--show-shapes']));
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
  });
});

describe('study-scores regression with the built-in study-scores-mlp', () => {
  const out = join(tmp.dir, 'scores-run');

  it('trains without accuracy, evaluates, predicts one output column, exports identically', async () => {
    const trained = await trainJson(
      ['--model', 'study-scores-mlp', '--workers', '2', '--epochs', '150', '--seed', '2'],
      out,
    );
    const test = trained['test'] as Record<string, number>;
    expect(Object.keys(trained['train'] as object).sort()).toEqual(['loss', 'mae']);
    expect(Object.keys(test).sort()).toEqual(['loss', 'mae']);
    // Scores are 0.75..0.93 (scaled by 1/100): predicting their mean gives MSE 0.0054.
    expect(test['loss']).toBeLessThan(0.0054);
    await checkRunFolder(out, 150);
    const latest = latestIn(out);

    const evaluated = jsonOf(
      await runBin(['evaluate', '--checkpoint', latest, '--dataset', 'study-scores', '--json']),
    );
    expect(evaluated['loss']).toBeCloseTo(test['loss']!, 8);
    expect(evaluated['accuracy']).toBeUndefined();

    const input = tmp.file('scores.csv', 'hours_slept,hours_studied\n0.3,1\n0.5,0.2\n1,0.4\n');
    const predictions = join(tmp.dir, 'scores-predictions.csv');
    ok(
      await runBin(['predict', '--checkpoint', latest, '--input', input, '--output', predictions]),
    );
    const rows = csvRows(readFileSync(predictions, 'utf8'));
    expect(rows[0]).toEqual(['output_0']);
    const targets = [0.75, 0.82, 0.93];
    const mse = rows.slice(1).reduce((s, row, i) => s + (Number(row[0]) - targets[i]!) ** 2, 0) / 3;
    expect(mse).toBeCloseTo(test['loss']!, 6);

    const exported = join(tmp.dir, 'scores-tfjs');
    await exportTfjs(latest, exported);
    const y = tfjsPredict(
      await loadTfjsFolder(exported),
      new Float32Array([0.3, 1, 0.5, 0.2, 1, 0.4]),
      [3, 2],
    );
    expectSameAsTfjs(y, rows.slice(1), 1);
  });
});

describe('a CSV dataset with a JSON model', () => {
  it('holds out 20 % for the test metrics and predicts with the label column ignored', async () => {
    const model = tmp.file(
      'csv-model.json',
      JSON.stringify({
        format: 'tessera-model',
        version: 1,
        className: 'Sequential',
        config: {
          layers: [
            { className: 'Dense', config: { units: 8, activation: 'tanh', inputShape: [3] } },
            { className: 'Dense', config: { units: 1 } },
          ],
        },
      }),
    );
    const out = join(tmp.dir, 'csv-run');
    const trained = await trainJson(
      [
        '--model',
        model,
        '--dataset',
        fixture('regression.csv'),
        '--workers',
        '2',
        '--epochs',
        '30',
        '--batch-size',
        '4',
        '--learning-rate',
        '0.05',
      ],
      out,
    );
    expect(trained['test_examples']).toBe(4);
    await checkRunFolder(out, 30);
    const predicted = ok(
      await runBin([
        'predict',
        '--checkpoint',
        latestIn(out),
        '--input',
        fixture('regression.csv'),
      ]),
    );
    const rows = csvRows(predicted.stdout);
    expect(rows[0]).toEqual(['output_0']);
    expect(rows).toHaveLength(21);
    expect(rows.slice(1).every((r) => Number.isFinite(Number(r[0])))).toBe(true);
  });
});

describe('Ctrl-C', () => {
  it('saves a checkpoint and exits 130', async () => {
    const out = join(tmp.dir, 'interrupted');
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../src/testing/run-cli.js');
    const child = spawn(
      process.execPath,
      [BIN, 'train', '--model', 'digits-mlp', '--workers', '2', '--epochs', '100000', '--out', out],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Interrupt once training is under way (the first epoch line is out).
      if (!sent && /Epoch 1\/100000/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^interrupted: training stopped; checkpoint saved to .*latest\.tsr/m);
    expect(existsSync(latestIn(out))).toBe(true);
    const evaluated = jsonOf(
      await runBin(['evaluate', '--checkpoint', latestIn(out), '--dataset', 'digits', '--json']),
    );
    expect(evaluated['examples']).toBe(60);

    // The interrupted digits-mlp checkpoint exports too, and TF.js agrees with predict.
    const latest = latestIn(out);
    const bits = ['111101101101111', '001001001001001', '111001111100111'];
    const input = tmp.file('digit-bits.csv', `${bits.map((b) => [...b].join(',')).join('\n')}\n`);
    const rows = csvRows(
      ok(await runBin(['predict', '--checkpoint', latest, '--input', input])).stdout,
    ).slice(1);
    const exported = join(tmp.dir, 'digits-tfjs');
    await exportTfjs(latest, exported);
    const x = Float32Array.from(bits.flatMap((b) => [...b].map(Number)));
    const y = tfjsPredict(await loadTfjsFolder(exported), x, [3, 15]);
    expectSameAsTfjs(y, rows, 10);
  });
});
