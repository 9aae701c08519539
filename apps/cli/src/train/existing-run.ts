/**
 * One run per run folder. A run's files are its checkpoints (`checkpoints/*.tsr`) and its
 * history (`history.json`, `history.csv`). A fresh `train` into a folder that holds them
 * would mix the two runs and rotate the old run's checkpoints out (`keep` counts the files
 * it finds), so it is refused, naming the ways on: `--resume` the old run, choose another
 * `--out`, or `--overwrite`, which removes the old run's files once the new run's settings
 * and data are checked. A resume writes into the run folder of its checkpoint, or into a
 * folder that holds no run.
 */
import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValueError } from '@tessera/core';
import { CHECKPOINTS_SUBFOLDER, checkpointFolder, runFolderOf } from '@tessera/trainer';
import { runFilePaths } from './run-folder.js';

/** latest, best, then the newest epoch-N / step-N, then the rest by name. */
function checkpointOrder(a: string, b: string): number {
  const rank = (name: string): [number, number] => {
    if (name === 'latest.tsr') return [0, 0];
    if (name === 'best.tsr') return [1, 0];
    const numbered = /^(?:epoch|step)-(\d+)\.tsr$/.exec(name);
    return numbered === null ? [3, 0] : [2, -Number(numbered[1])];
  };
  const [ra, na] = rank(a);
  const [rb, nb] = rank(b);
  return ra - rb || na - nb || a.localeCompare(b);
}

function checkpointNames(dir: string): string[] {
  try {
    return readdirSync(checkpointFolder(dir), { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.tsr'))
      .map((entry) => entry.name)
      .sort(checkpointOrder);
  } catch {
    return [];
  }
}

/** The run files in `dir`, relative to it (checkpoints first, latest.tsr first of them); [] for none. */
export function runFilesIn(dir: string): string[] {
  const checkpoints = checkpointNames(dir).map((name) => join(CHECKPOINTS_SUBFOLDER, name));
  const history = ['history.json', 'history.csv'].filter((name) => existsSync(join(dir, name)));
  return [...checkpoints, ...history];
}

function samePath(a: string, b: string): boolean {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** `checkpoints/latest.tsr, history.json and 3 more files` */
function listing(files: readonly string[]): string {
  const shown = files.slice(0, 2).join(', ');
  return files.length > 2 ? `${shown} and ${files.length - 2} more files` : shown;
}

/** What `train` was asked to do with its run folder. */
export interface RunFolderUse {
  /** `--resume FILE`: the run continued. */
  resume?: string | undefined;
  /** `--overwrite`: the run already in the folder is to be replaced. */
  overwrite?: boolean | undefined;
}

/**
 * Fails when `out` holds a run that this `train` would mix with its own: any run for a
 * fresh train without `--overwrite`, another run than the checkpoint's for a resume.
 */
export function checkRunFolder(out: string, use: RunFolderUse): void {
  const files = runFilesIn(out);
  if (files.length === 0) return;
  if (use.resume !== undefined) {
    const own = runFolderOf(use.resume);
    if (samePath(out, own)) return;
    throw new ValueError(
      `--out ${out} already holds another training run (${listing(files)}); expected a folder without a run, or ${own}, the run folder of --resume ${use.resume}`,
    );
  }
  if (use.overwrite === true) return;
  const checkpoint = files.find((file) => file.endsWith('.tsr'));
  const ways = [
    ...(checkpoint === undefined ? [] : [`continue it with --resume ${join(out, checkpoint)}`]),
    'choose another --out',
    'or pass --overwrite to replace it',
  ];
  throw new ValueError(
    `--out ${out} already holds a training run (${listing(files)}); ${ways.join(', ')}`,
  );
}

/**
 * `--overwrite`: removes the files of the run in `out` — its checkpoints, history,
 * learning curves, summary and model plot — and nothing else the folder holds.
 */
export function clearRun(out: string): void {
  for (const name of checkpointNames(out))
    rmSync(join(checkpointFolder(out), name), { force: true });
  for (const path of Object.values(runFilePaths(out))) rmSync(path, { force: true });
}
