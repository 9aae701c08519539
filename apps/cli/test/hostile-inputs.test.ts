/**
 * Hostile and careless inputs through the built bin: each exits 2 (or ends quietly when
 * the reader of stdout goes away) with one `error:` line, no stack, and leaves nothing
 * behind — no run folder, no temp files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError } from '../src/testing/expect-error.js';
import { BIN, type CliResult, collect, runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tmp = tempFolder('tessera-hostile-');
afterAll(() => tmp.cleanup());
let checkpoint = '';

/** Runs the bin through a shell line (for redirections and pipes), in the temp folder. */
function shell(line: string): Promise<CliResult> {
  return collect(
    spawn('bash', ['-c', line], {
      cwd: tmp.dir,
      env: { ...process.env, TESSERA: `${process.execPath} ${BIN}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** A `train` into `tmp/<folder>` that must fail with `message` and leave no folder. */
async function expectTrainRefused(args: string[], message: RegExp, folder: string): Promise<void> {
  expectUsageError(await runBin(['train', ...args, '--out', join(tmp.dir, folder)]), message);
  expect(existsSync(join(tmp.dir, folder)), `${folder} was left behind`).toBe(false);
}

const quickTrain = ['--epochs', '1', '--workers', '1'];

beforeAll(async () => {
  const out = join(tmp.dir, 'base');
  const trained = await runBin([
    'train',
    '--model',
    'iris-mlp',
    ...quickTrain,
    '--out',
    out,
    '--seed',
    '2',
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  checkpoint = join(out, 'checkpoints', 'latest.tsr');
  tmp.file('rows.csv', '5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');
}, 120_000);

describe('model files', () => {
  it('a model JSON nested 100,000 deep', async () => {
    const deep = `{"format":"tessera-model","version":1,"className":"Sequential","config":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const path = tmp.file('deep.json', deep);
    expectUsageError(
      await runBin(['summary', '--model', path]),
      /deep\.json: the JSON is nested more than 64 levels deep/,
    );
    await expectTrainRefused(
      ['--model', path, '--dataset', 'iris'],
      /deep\.json: the JSON is nested/,
      'deep-run',
    );
  }, 60_000);

  it('a model JSON with units: 1e9 is refused before allocating', async () => {
    const model = JSON.parse(readFileSync(fixture('iris-model.json'), 'utf8'));
    model.config.layers[0].config.units = 1e9;
    const path = tmp.file('huge.json', JSON.stringify(model));
    await expectTrainRefused(
      ['--model', path, '--dataset', 'iris'],
      /huge\.json: the model has about 5,000,000,003 parameters, needing .* GiB to train; the limit is .* GiB/,
      'huge-run',
    );
  }, 60_000);

  it('--workers 10000 is refused naming the limit', async () => {
    await expectTrainRefused(
      ['--model', 'iris-mlp', '--workers', '10000'],
      /--workers 10000: each worker needs about \d+ MiB, so at most \d+ fit/,
      'many',
    );
  }, 60_000);
});

describe('CSV data', () => {
  it.each([
    [
      '1e400',
      /over\.csv, line 3, column 2 \("b"\): the number is too large and would become Infinity/,
    ],
    ['-1e400', /would become -Infinity/],
    ['9'.repeat(5_000_000), /\(5000000 characters\)/],
    ['Infinity', /over\.csv, line 3, column 2 \("b"\): expected a number/],
  ])(
    'a feature %# that overflows or is not a number',
    async (cell, message) => {
      const path = tmp.file('over.csv', `a,b,y\n1,2,x\n1,${cell},z\n2,3,x\n`);
      await expectTrainRefused(
        ['--model', fixture('iris-model.json'), '--dataset', path],
        message,
        'over-run',
      );
    },
    60_000,
  );

  it('a predict input that overflows', async () => {
    const path = tmp.file('over-in.csv', '5.1,3.5,1.4,1e39\n');
    expectUsageError(
      await runBin(['predict', '--checkpoint', checkpoint, '--input', path]),
      /over-in\.csv, line 1, column 4: the number is too large/,
    );
  }, 60_000);

  it('a label that is not UTF-8', async () => {
    const path = tmp.file(
      'latin1.csv',
      Buffer.concat([
        Buffer.from('a,b,y\n1,2,caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n3,4,tea\n'),
      ]),
    );
    await expectTrainRefused(
      ['--model', 'iris-mlp', '--dataset', path],
      /latin1\.csv, line 2: not valid UTF-8 text/,
      'latin',
    );
  }, 60_000);
});

describe('training that goes wrong', () => {
  it('a loss that becomes NaN says so and exits 2', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${(i + 1) * 1e30},${i % 7},${(40 - i) * 1e30}`,
    );
    const data = tmp.file('explode.csv', `a,b,y\n${rows.join('\n')}\n`);
    const model = JSON.parse(readFileSync(fixture('iris-model.json'), 'utf8'));
    model.config.layers[0].config.inputShape = [2];
    model.config.layers[1].config.units = 1;
    model.config.layers[1].config.activation = 'linear';
    const path = tmp.file('regressor.json', JSON.stringify(model));
    const result = await runBin([
      'train',
      '--model',
      path,
      '--dataset',
      data,
      '--normalize',
      'none',
      ...quickTrain,
      '--out',
      join(tmp.dir, 'nan-run'),
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^error: training diverged: the loss became NaN or infinite at step \d+/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it.each([
    [
      ['--model', 'digits-mlp'],
      /--model digits-mlp conflicts with the resumed checkpoint .*latest\.tsr, which has model iris-mlp/,
    ],
    [['--seed', '99'], /--seed 99 conflicts with the resumed checkpoint .*, which has seed 2/],
    [['--batch-size', '7'], /--batch-size 7 conflicts .*, which has batch size \d+/],
    [['--dataset', 'digits'], /--dataset digits conflicts .*, which has dataset iris/],
    [['--optimizer', 'sgd'], /--optimizer sgd conflicts .*, which has optimizer/],
    [
      ['--lr-schedule', 'cosine'],
      /--lr-schedule cosine conflicts .*, which has its own optimizer and learning-rate schedule/,
    ],
  ])(
    'resume flags %j that contradict the checkpoint',
    async (flags, message) => {
      await expectTrainRefused(['--resume', checkpoint, ...flags], message, 'conflict');
    },
    60_000,
  );
});

describe('run folders', () => {
  it('a second train into a locked folder names the holder; stale locks and temp files go', async () => {
    const out = join(tmp.dir, 'shared');
    const first = spawn(
      process.execPath,
      [BIN, 'train', '--model', 'iris-mlp', '--epochs', '100000', '--workers', '1', '--out', out],
      { stdio: 'ignore' },
    );
    const lock = join(out, '.tessera-train.lock');
    while (!existsSync(lock)) await new Promise((r) => setTimeout(r, 100));
    expectUsageError(
      await runBin(['train', '--model', 'iris-mlp', ...quickTrain, '--out', out]),
      new RegExp(`--out .*shared is in use by another tessera train \\(process ${first.pid}\\)`),
    );
    const exited = new Promise((r) => first.on('exit', r));
    first.kill('SIGKILL');
    await exited;
    // The killed run left its lock; a checkpoint temp file of a dead writer sits there too.
    const stale = join(out, 'checkpoints', '.epoch-3.tsr.4194305.00ff00ff.tmp');
    mkdirSync(join(out, 'checkpoints'), { recursive: true });
    writeFileSync(stale, 'partial');
    // The killed run's checkpoints are a run: replacing it takes --overwrite (run-folders.test.ts).
    const again = await runBin([
      'train',
      '--model',
      'iris-mlp',
      ...quickTrain,
      '--out',
      out,
      '--overwrite',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(join(out, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);

  it.each([
    [
      'train',
      ['train', '--model', 'iris-mlp', ...quickTrain, '--out', '/proc/self/run'],
      /--out \/proc\/self\/run: cannot write to this folder/,
    ],
    [
      'plot',
      ['plot', '--model', 'iris-mlp', '--out', '/proc/nope/x.svg'],
      /cannot write \/proc\/nope\/x\.svg/,
    ],
  ])(
    '%s into /proc never hangs',
    async (_what, args, message) => {
      expectUsageError(await runBin(args), message);
    },
    60_000,
  );
});

describe('files that never end', () => {
  it.each([
    [['summary', '--checkpoint', '/dev/zero'], /--checkpoint \/dev\/zero: not a regular file/],
    [
      ['predict', '--checkpoint', '/dev/zero', '--input', 'rows.csv'],
      /--checkpoint \/dev\/zero: not a regular file/,
    ],
    [
      ['summary', '--model', 'iris-mlp', '--custom-objects', '/dev/zero'],
      /--custom-objects \/dev\/zero: not a regular file/,
    ],
  ])(
    '%j is refused instead of read forever',
    async (args, message) => {
      expectUsageError(await runBin(args, { cwd: tmp.dir }), message);
    },
    60_000,
  );

  it('a predict input that is a device', async () => {
    expectUsageError(
      await runBin(['predict', '--checkpoint', checkpoint, '--input', '/dev/zero']),
      /--input \/dev\/zero: not a regular file/,
    );
  }, 60_000);
});

describe('stdout that fails', () => {
  it('predict > /dev/full is one error line', async () => {
    const result = await shell(
      `$TESSERA predict --checkpoint ${checkpoint} --input rows.csv > /dev/full`,
    );
    expectUsageError(
      result,
      /^error: cannot write to stdout: no space left on the device \(ENOSPC\)$/,
    );
  }, 60_000);

  it('train | head -2 ends quietly after saving a checkpoint', async () => {
    const out = join(tmp.dir, 'piped');
    const result = await shell(
      `$TESSERA train --model iris-mlp --epochs 100000 --workers 1 --out ${out} | head -2; echo "exit=\${PIPESTATUS[0]}" >&2`,
    );
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(result.stderr.trim()).toBe('exit=141');
    expect(existsSync(join(out, 'checkpoints', 'latest.tsr'))).toBe(true);
    expect(existsSync(join(out, '.tessera-train.lock'))).toBe(false);
  }, 120_000);
});
