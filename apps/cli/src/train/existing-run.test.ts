import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../testing/temp.js';
import { checkRunFolder, clearRun, runFilesIn } from './existing-run.js';

const tmp = tempFolder('tessera-existing-run-');
afterAll(() => tmp.cleanup());

/** A run folder holding `checkpoints` (names in checkpoints/) and `files` (names in it). */
function folder(name: string, checkpoints: string[], files: string[]): string {
  const dir = join(tmp.dir, name);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  for (const c of checkpoints) writeFileSync(join(dir, 'checkpoints', c), 'tsr');
  for (const f of files) writeFileSync(join(dir, f), 'file');
  return dir;
}

describe('runFilesIn', () => {
  it('lists checkpoints (latest, best, newest epoch first) and history files; nothing else counts', () => {
    const dir = folder(
      'listed',
      ['epoch-4.tsr', 'best.tsr', 'epoch-5.tsr', 'latest.tsr', 'notes.txt'],
      ['history.csv', 'history.json', 'summary.txt', 'model.svg', 'mine.txt'],
    );
    expect(runFilesIn(dir)).toEqual([
      join('checkpoints', 'latest.tsr'),
      join('checkpoints', 'best.tsr'),
      join('checkpoints', 'epoch-5.tsr'),
      join('checkpoints', 'epoch-4.tsr'),
      'history.json',
      'history.csv',
    ]);
    // What a run that failed before its first checkpoint leaves is no run.
    expect(runFilesIn(folder('plots-only', [], ['summary.txt', 'model.svg']))).toEqual([]);
    expect(runFilesIn(join(tmp.dir, 'absent'))).toEqual([]);
  });
});

describe('checkRunFolder', () => {
  it('refuses a fresh run where a run is, naming the ways on', () => {
    const dir = folder('fresh', ['epoch-1.tsr', 'latest.tsr', 'best.tsr'], ['history.json']);
    expect(() => checkRunFolder(dir, {})).toThrow(
      `--out ${dir} already holds a training run (checkpoints/latest.tsr, checkpoints/best.tsr and 2 more files); continue it with --resume ${join(dir, 'checkpoints', 'latest.tsr')}, choose another --out, or pass --overwrite to replace it`,
    );
    // Only history left: nothing to resume from.
    const history = folder('history-only', [], ['history.csv']);
    expect(() => checkRunFolder(history, {})).toThrow(
      `--out ${history} already holds a training run (history.csv); choose another --out, or pass --overwrite to replace it`,
    );
    expect(() => checkRunFolder(dir, { overwrite: true })).not.toThrow();
    expect(() => checkRunFolder(folder('empty', [], ['notes.txt']), {})).not.toThrow();
  });

  it('lets a resume write into its own run folder or an empty one, not into another run', () => {
    const own = folder('own', ['latest.tsr'], ['history.json']);
    const other = folder('other', ['latest.tsr'], []);
    const resume = join(own, 'checkpoints', 'latest.tsr');
    expect(() => checkRunFolder(own, { resume })).not.toThrow();
    expect(() => checkRunFolder(folder('new', [], []), { resume })).not.toThrow();
    expect(() => checkRunFolder(other, { resume })).toThrow(
      `--out ${other} already holds another training run (checkpoints/latest.tsr); expected a folder without a run, or ${own}, the run folder of --resume ${resume}`,
    );
  });
});

describe('clearRun', () => {
  it("removes the run's files and leaves the rest of the folder", () => {
    const dir = folder(
      'cleared',
      ['epoch-2.tsr', 'latest.tsr', 'best.tsr'],
      [
        'history.json',
        'history.csv',
        'learning-curves.svg',
        'learning-curves.png',
        'summary.txt',
        'model.svg',
        'mine.txt',
      ],
    );
    writeFileSync(join(dir, 'checkpoints', 'notes.txt'), 'mine');
    clearRun(dir);
    expect(runFilesIn(dir)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['checkpoints', 'mine.txt']);
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual(['notes.txt']);
    expect(existsSync(join(dir, 'summary.txt'))).toBe(false);
  });
});
