/**
 * Where checkpoints live: the one layout shared by `fit(…, { checkpoint: { dir } })` and
 * `tessera train --out DIR`. A run folder holds its files (history, curves, plots) and a
 * `checkpoints/` subfolder with the `.tsr` files:
 *
 *   <run>/checkpoints/epoch-N.tsr   periodic, the newest `keep` of them
 *   <run>/checkpoints/step-N.tsr    periodic by step, counted with the epoch files
 *   <run>/checkpoints/latest.tsr    the file to resume from
 *   <run>/checkpoints/best.tsr      the best monitored value
 *
 * Earlier versions of `fit` wrote the `.tsr` files straight into `dir`; such a file still
 * loads by its path, and a missing checkpoint's error lists the ones nearby in either layout.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Name of the subfolder of a run folder that holds its checkpoints. */
export const CHECKPOINTS_SUBFOLDER = 'checkpoints';

/** The checkpoint folder of a run folder: `<run>/checkpoints`. */
export function checkpointFolder(runDir: string): string {
  return join(runDir, CHECKPOINTS_SUBFOLDER);
}

/**
 * The run folder a checkpoint belongs to: the parent of its `checkpoints/` folder, or (a
 * checkpoint of the earlier layout) the folder it sits in.
 */
export function runFolderOf(checkpointPath: string): string {
  const folder = dirname(checkpointPath);
  return basename(folder) === CHECKPOINTS_SUBFOLDER ? dirname(folder) : folder;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function tsrFilesIn(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith('.tsr'))
      .sort(byCheckpointName)
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/** latest, best, then epoch-N / step-N by number, then the rest by name. */
function byCheckpointName(a: string, b: string): number {
  const rank = (name: string): [number, number, string] => {
    if (name === 'latest.tsr') return [0, 0, name];
    if (name === 'best.tsr') return [1, 0, name];
    const numbered = /^(epoch|step)-(\d+)\.tsr$/.exec(name);
    if (numbered !== null) return [numbered[1] === 'epoch' ? 2 : 3, Number(numbered[2]), name];
    return [4, 0, name];
  };
  const [ra, na, sa] = rank(a);
  const [rb, nb, sb] = rank(b);
  return ra - rb || na - nb || sa.localeCompare(sb);
}

/** Folders searched for checkpoints near `path`: its own, its `checkpoints/`, its run folder. */
export function foldersNear(path: string): string[] {
  const own = isFolder(path) ? path : dirname(path);
  const folders = [own, checkpointFolder(own)];
  if (basename(own) === CHECKPOINTS_SUBFOLDER) folders.push(dirname(own));
  return folders.filter((folder, i) => folders.indexOf(folder) === i && isFolder(folder));
}

/** The `.tsr` files that exist near `path` (see foldersNear), as paths to pass back in. */
export function checkpointsNear(path: string): string[] {
  return foldersNear(path).flatMap(tsrFilesIn);
}

/**
 * One line for a checkpoint that is not there (or is a folder): what was asked for and
 * which checkpoints exist nearby, e.g. `runs/mnist/best.tsr: file not found; checkpoints
 * nearby: runs/mnist/checkpoints/latest.tsr, runs/mnist/checkpoints/best.tsr`.
 */
export function missingCheckpointMessage(path: string): string {
  const what = isFolder(path) ? 'a folder; expected a .tsr checkpoint file' : 'file not found';
  const near = checkpointsNear(path);
  if (near.length > 0) return `${path}: ${what}; checkpoints nearby: ${near.join(', ')}`;
  const searched = foldersNear(path);
  return searched.length > 0
    ? `${path}: ${what}; no checkpoints (*.tsr) in ${searched.join(' or ')}`
    : `${path}: ${what}; the folder ${dirname(path)} does not exist either`;
}
