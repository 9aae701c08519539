/**
 * The TF.js export takes the same raw rows as `tessera predict`: for iris (standard
 * normalization), study-scores and MNIST (pixel scale 1/255 and normalization), trained
 * through the real bin, @tensorflow/tfjs-layers on the raw CSV rows equals `predict`'s
 * output within 1e-5, and `export` says what it folded.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, loadIris, loadMnist, loadStudyScores } from '@tessera/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';
import { loadTfjsFolder, tfjsPredict } from '../src/testing/tfjs-loader.js';

const tmp = tempFolder('tessera-export-raw-');
afterAll(() => tmp.cleanup());

function ok(result: CliResult): CliResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** An IDX file: magic, dimensions, then uint8 values. */
function idx(magic: number, dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, magic);
  dims.forEach((d, i) => {
    header.setUint32(4 + 4 * i, d);
  });
  const out = new Uint8Array(header.byteLength + values.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(Array.from(values), header.byteLength);
  return out;
}

/** A --data-dir folder with the first `n` images of real MNIST's train and test splits. */
function smallMnist(n: number): string {
  const dir = join(tmp.dir, 'mnist-small');
  mkdirSync(dir, { recursive: true });
  for (const [split, prefix] of [
    ['train', 'train'],
    ['test', 't10k'],
  ] as const) {
    const data = loadMnist({ split });
    writeFileSync(
      join(dir, `${prefix}-images-idx3-ubyte`),
      idx(0x803, [n, 28, 28], data.features.subarray(0, n * 784)),
    );
    writeFileSync(
      join(dir, `${prefix}-labels-idx1-ubyte`),
      idx(0x801, [n], data.targets.subarray(0, n)),
    );
  }
  return dir;
}

/** Raw rows of a dataset (unscaled stored values) as a CSV without a header. */
function rawRows(data: Dataset, rows: number): { csv: string; x: Float32Array } {
  const d = data.featureSize;
  const x = Float32Array.from(data.features.subarray(0, rows * d));
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) lines.push(Array.from(x.subarray(r * d, r * d + d)).join(','));
  return { csv: `${lines.join('\n')}\n`, x };
}

/** Trains, predicts the raw rows, exports, and compares tfjs-layers with predict. */
async function checkRawExport(
  name: string,
  trainFlags: string[],
  data: Dataset,
  rows: number,
): Promise<string> {
  const out = join(tmp.dir, `${name}-run`);
  ok(await runBin(['train', ...trainFlags, '--workers', '1', '--seed', '3', '--out', out]));
  const checkpoint = join(out, 'checkpoints', 'latest.tsr');
  const { csv, x } = rawRows(data, rows);
  const input = tmp.file(`${name}-raw.csv`, csv);
  const predicted = ok(await runBin(['predict', '--checkpoint', checkpoint, '--input', input]));
  const lines = predicted.stdout.trim().split('\n').slice(1);
  expect(lines).toHaveLength(rows);
  const dir = join(tmp.dir, `${name}-tfjs`);
  const exported = ok(
    await runBin(['export', '--checkpoint', checkpoint, '--format', 'tfjs', '--out', dir]),
  );
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata
    .tessera;
  expect(meta.input).toBe('raw');
  expect(meta.normalizer).toBeUndefined();
  const model = await loadTfjsFolder(dir);
  const y = tfjsPredict(model, x, [rows, ...data.featureShape]);
  model.dispose();
  const units = y.length / rows;
  let worst = 0;
  lines.forEach((line, r) => {
    const cells = line.split(',');
    for (let u = 0; u < units; u++)
      worst = Math.max(worst, Math.abs(y[r * units + u]! - Number(cells[u])));
  });
  expect(worst).toBeLessThan(1e-5);
  return exported.stdout;
}

describe('export --format tfjs takes raw features, as predict does', () => {
  it('iris (standard normalization folded into the first Dense layer)', async () => {
    const stdout = await checkRawExport(
      'iris',
      ['--model', 'iris-mlp', '--dataset', 'iris', '--epochs', '20'],
      loadIris({ split: 'test' }),
      30,
    );
    expect(stdout).toMatch(/Folded the standard normalization into .* first Dense layer/);
  }, 120_000);

  it('study-scores', async () => {
    const stdout = await checkRawExport(
      'scores',
      ['--model', 'study-scores-mlp', '--dataset', 'study-scores', '--epochs', '20'],
      loadStudyScores(),
      3,
    );
    expect(stdout).toMatch(/raw features/);
  }, 120_000);

  it('MNIST (pixel scale 1/255 and normalization folded)', async () => {
    const stdout = await checkRawExport(
      'mnist',
      [
        '--model',
        'mnist-mlp',
        '--dataset',
        'mnist',
        '--data-dir',
        smallMnist(512),
        '--normalize',
        'standard',
        '--epochs',
        '2',
      ],
      loadMnist({ split: 'test' }),
      40,
    );
    expect(stdout).toMatch(/Folded the feature scale 1\/255 and the standard normalization/);
  }, 180_000);
});
