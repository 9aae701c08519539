/**
 * One run per `--out` folder. A fresh `train` into a folder that holds a run is refused
 * with one line and changes nothing there; `--overwrite` replaces the run, but only once
 * the new run's settings and data are checked; a resume writes into its own run folder,
 * never into another run's.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadCheckpoint } from '@tessera/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../src/testing/expect-error.js';
import { runInProcess } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const tmp = tempFolder('tessera-run-folders-');
afterAll(() => tmp.cleanup());

const train = (args: string[]) => runInProcess(['train', '--workers', '1', ...args]);
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every file under `dir` with its bytes (what "unchanged" means). */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

/** A finished iris run of `epochs` epochs in `out`. */
async function irisRun(out: string, epochs: number): Promise<void> {
  const result = await train([
    '--model',
    'iris-mlp',
    '--epochs',
    String(epochs),
    '--seed',
    '1',
    '--out',
    out,
  ]);
  expect(result.code, result.stderr).toBe(0);
}

describe('a fresh train into a folder that holds a run', () => {
  const out = join(tmp.dir, 'iris');
  beforeAll(() => irisRun(out, 5), 120_000);

  it('is refused with one line naming the ways on, and the old run stays as it was', async () => {
    const before = snapshot(out);
    expect(Object.keys(before)).toContain(join('checkpoints', 'epoch-3.tsr'));
    const result = await train(['--model', 'digits-mlp', '--epochs', '1', '--out', out]);
    expectUsageError(
      result,
      new RegExp(
        `^error: --out ${literal(out)} already holds a training run \\(checkpoints/latest\\.tsr, checkpoints/best\\.tsr and 5 more files\\); continue it with --resume ${literal(join(out, 'checkpoints', 'latest.tsr'))}, choose another --out, or pass --overwrite to replace it$`,
      ),
    );
    expect(result.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  }, 60_000);

  it('with --overwrite: nothing goes while the new run fails its checks, then the old run is replaced', async () => {
    const before = snapshot(out);
    const misfit = await train([
      ...['--model', 'digits-mlp', '--dataset', 'iris', '--epochs', '1'],
      ...['--out', out, '--overwrite'],
    ]);
    expectUsageError(misfit, /--model digits-mlp does not fit --dataset iris/);
    expect(snapshot(out)).toEqual(before);

    writeFileSync(join(out, 'notes.txt'), 'mine');
    const replaced = await train([
      ...['--model', 'digits-mlp', '--epochs', '1', '--seed', '2'],
      ...['--out', out, '--overwrite'],
    ]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual([
      'best.tsr',
      'epoch-1.tsr',
      'latest.tsr',
    ]);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      epoch: number[];
    };
    expect(history.epoch).toEqual([0]);
    const latest = await loadCheckpoint(join(out, 'checkpoints', 'latest.tsr'));
    expect(latest.extra['model']).toMatchObject({ ref: 'digits-mlp' });
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  }, 120_000);
});

describe('a resume', () => {
  const own = join(tmp.dir, 'own');
  const other = join(tmp.dir, 'other');
  beforeAll(async () => {
    await irisRun(own, 2);
    await irisRun(other, 1);
  }, 120_000);

  it("is refused in another run's folder, and continues in its own", async () => {
    const latest = join(own, 'checkpoints', 'latest.tsr');
    const before = snapshot(other);
    expectUsageError(
      await train(['--resume', latest, '--epochs', '3', '--out', other]),
      new RegExp(
        `^error: --out ${literal(other)} already holds another training run \\(checkpoints/latest\\.tsr, checkpoints/best\\.tsr and 3 more files\\); expected a folder without a run, or ${literal(own)}, the run folder of --resume ${literal(latest)}$`,
      ),
    );
    expect(snapshot(other)).toEqual(before);
    const continued = await train(['--resume', latest, '--epochs', '3', '--out', own]);
    expect(continued.code, continued.stderr).toBe(0);
    expect(continued.stdout).toMatch(/^Trained 1 epoch\(s\) \(epoch 3, resumed from epoch 2\)/m);
  }, 120_000);

  it('does not take --overwrite', async () => {
    expectUsageError(
      await train(['--resume', join(own, 'checkpoints', 'latest.tsr'), '--overwrite']),
      /^error: --overwrite replaces the run in --out with a new one, --resume continues a run: expected one of them\. Received: --overwrite with --resume .*latest\.tsr$/,
    );
  });
});
