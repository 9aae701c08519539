/**
 * A run's life across sessions, through the built bin: Ctrl-C leaves the history and
 * learning curves of the epochs done; a resume reports the epochs it ran and rotates the
 * interrupted session's checkpoints out (`keep` 3); a checkpoint that is not there is one
 * error line listing the checkpoints nearby, for every command that reads one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCheckpoint } from '@tessera/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, collect, runBin } from '../src/testing/run-cli.js';
import { tempFolder } from '../src/testing/temp.js';

const tmp = tempFolder('tessera-sessions-');
afterAll(() => tmp.cleanup());

const checkpoints = (out: string): string[] => readdirSync(join(out, 'checkpoints')).sort();

describe('an interrupted run', () => {
  it('writes history and learning curves for the epochs done, before any resume', async () => {
    const out = join(tmp.dir, 'interrupted');
    const child = spawn(
      process.execPath,
      [BIN, 'train', '--model', 'digits-mlp', '--workers', '1', '--epochs', '100000', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Two epochs are done once the third starts.
      if (/Epoch 3\/100000/.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(130);
    const saved = await loadCheckpoint(join(out, 'checkpoints', 'latest.tsr'));
    const done = saved.history.epoch.length;
    expect(done).toBeGreaterThanOrEqual(2);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      epoch: number[];
    };
    expect(history.epoch).toEqual(saved.history.epoch);
    expect(readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n')).toHaveLength(
      done + 1,
    );
    const svg = readFileSync(join(out, 'learning-curves.svg'), 'utf8');
    expect(svg.match(/<circle /g)!.length).toBeGreaterThanOrEqual(2 * done);
    expect(existsSync(join(out, 'learning-curves.png'))).toBe(true);
  });
});

describe('Ctrl-C while the data loads', () => {
  /** A CSV large enough that loading it takes a while after the run folder is locked. */
  const slowCsv = (): string => {
    const rows = ['a,b,c,d,label'];
    for (let i = 0; i < 200_000; i++) {
      const x = Array.from({ length: 4 }, (_, j) => ((i * 7 + j * 13) % 101) / 100);
      rows.push(`${x.join(',')},${['setosa', 'versicolor', 'virginica'][i % 3]}`);
    }
    const csv = join(tmp.dir, 'slow-to-load.csv');
    if (!existsSync(csv)) writeFileSync(csv, `${rows.join('\n')}\n`);
    return csv;
  };

  /** `train … --out out` on the slow CSV, interrupted as soon as it holds the folder's lock. */
  const interruptedWhileLoading = async (out: string, flags: string[] = []) => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'train',
        '--model',
        'iris-mlp',
        '--dataset',
        slowCsv(),
        '--epochs',
        '100000',
        '--out',
        out,
        ...flags,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const finished = collect(child);
    // The lock is taken before the data is read: interrupt as soon as it is there.
    const lock = join(out, '.tessera-train.lock');
    while (!existsSync(lock) && child.exitCode === null) await sleep(2);
    child.kill('SIGINT');
    const result = await finished;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(
      /^interrupted: stopped before the first step; nothing was saved$/m,
    );
    expect(result.stdout).not.toMatch(/^Epoch 1\//m);
    expect(existsSync(lock)).toBe(false);
    return result;
  };

  it('stops before the first step: exit 130, nothing saved, no folder or lock left', async () => {
    const out = join(tmp.dir, 'stopped-early');
    await interruptedWhileLoading(out);
    // The folder was the run's own: it goes, lock and all.
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('leaves the run that --overwrite would have replaced as it was', async () => {
    const out = join(tmp.dir, 'kept');
    const first = await runBin([
      'train',
      '--model',
      'iris-mlp',
      '--epochs',
      '2',
      '--workers',
      '1',
      '--out',
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(out, 'history.json'), 'utf8');
    const saved = checkpoints(out);
    await interruptedWhileLoading(out, ['--overwrite']);
    expect(checkpoints(out)).toEqual(saved);
    expect(readFileSync(join(out, 'history.json'), 'utf8')).toBe(before);
  }, 60_000);
});

describe('a resumed run', () => {
  const out = join(tmp.dir, 'resumed');

  it('says which epochs it ran, and keeps only the newest 3 periodic checkpoints', async () => {
    const first = await runBin([
      'train',
      '--model',
      'digits-mlp',
      '--workers',
      '1',
      '--epochs',
      '2',
      '--seed',
      '5',
      '--out',
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Trained 2 epoch\(s\) on 1 worker\(s\)/m);
    expect(checkpoints(out)).toEqual(['best.tsr', 'epoch-1.tsr', 'epoch-2.tsr', 'latest.tsr']);

    const latest = join(out, 'checkpoints', 'latest.tsr');
    const second = await runBin(['train', '--resume', latest, '--epochs', '5', '--workers', '1']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      /^Trained 3 epoch\(s\) \(epochs 3–5, resumed from epoch 2\) on 1 worker\(s\)/m,
    );
    expect(checkpoints(out)).toEqual([
      'best.tsr',
      'epoch-3.tsr',
      'epoch-4.tsr',
      'epoch-5.tsr',
      'latest.tsr',
    ]);
  });

  it('with no epochs left to run, says plainly that nothing was trained, and gives no speed', async () => {
    const latest = join(out, 'checkpoints', 'latest.tsr');
    const before = readFileSync(latest);
    const result = await runBin(['train', '--resume', latest, '--epochs', '3', '--workers', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Nothing trained: the checkpoint had finished 5 epoch(s) and the run ends at epoch 3; pass --epochs 6 or more to train on\n',
    );
    expect(result.stdout).toContain(
      `Checkpoint: none written (the model is the one in ${latest})\n`,
    );
    expect(result.stdout).not.toMatch(/samples\/s|Trained 0|Training path/);
    expect(readFileSync(latest)).toEqual(before);
    const json = await runBin(['train', '--resume', latest, '--workers', '1', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ epochs: 5, samples_per_second: null });
  });
});

describe('a checkpoint that is not there', () => {
  it('is one line listing the checkpoints nearby, exit code 2, for every command', async () => {
    const out = join(tmp.dir, 'listed');
    const trained = await runBin([
      'train',
      '--model',
      'iris-mlp',
      '--workers',
      '1',
      '--epochs',
      '1',
      '--out',
      out,
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const wrong = join(out, 'best.tsr'); // the checkpoints are in out/checkpoints/
    const ckpt = join(out, 'checkpoints');
    const nearby = `checkpoints nearby: ${join(ckpt, 'latest.tsr')}, ${join(ckpt, 'best.tsr')}, ${join(ckpt, 'epoch-1.tsr')}`;
    const input = tmp.file('one-flower.csv', '5.1,3.5,1.4,0.2\n');
    for (const args of [
      ['evaluate', '--checkpoint', wrong, '--dataset', 'iris'],
      ['predict', '--checkpoint', wrong, '--input', input],
      ['export', '--checkpoint', wrong, '--format', 'tfjs', '--out', join(tmp.dir, 'never')],
      ['train', '--resume', wrong, '--out', join(tmp.dir, 'never-trained')],
    ]) {
      const result = await runBin(args);
      expect(result.code, args[0]).toBe(2);
      expect(result.stderr, args[0]).toMatch(
        new RegExp(
          `^error: .*${wrong.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file not found; ${nearby.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`,
        ),
      );
      expect(existsSync(join(tmp.dir, 'never')) || existsSync(join(tmp.dir, 'never-trained'))).toBe(
        false,
      );
    }
  });
});
