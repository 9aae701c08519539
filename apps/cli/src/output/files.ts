/**
 * Output folders and files. Every failure is an IOError naming the path and the reason
 * (so the command exits 2 with that line), and a folder is checked before hours of
 * training go into it.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { IOError } from '@tessera/core';
import { describeFileError } from '../errors.js';

function reason(cause: unknown): string {
  const err = cause as NodeJS.ErrnoException;
  if (typeof err?.code === 'string')
    return describeFileError({ ...err, path: undefined } as NodeJS.ErrnoException);
  return (cause as Error)?.message ?? String(cause);
}

/**
 * Creates `dir` and its missing parents one level at a time, returning the first folder
 * it created (undefined if `dir` existed). Node 20's recursive mkdir loops forever under
 * /proc (`--out /proc/self/run`); this fails at once with the real error instead.
 */
export async function makeFolders(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  let path = resolve(dir);
  for (;;) {
    try {
      const info = await stat(path);
      if (!info.isDirectory())
        throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR', path });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path) throw err;
      missing.push(path);
      path = dirname(path);
    }
  }
  for (const folder of missing.reverse()) await mkdir(folder);
  return missing[0];
}

/**
 * Creates `dir` (and its parents) and proves it is writable; `what` names the option in
 * errors. Returns the first folder it created, so a failed run can remove what it made.
 */
export async function prepareOutputFolder(
  dir: string,
  what = '--out',
): Promise<string | undefined> {
  let created: string | undefined;
  try {
    created = await makeFolders(dir);
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const probe = join(dir, `.tessera-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (cause) {
    if (created !== undefined) await rm(created, { recursive: true, force: true });
    throw new IOError(`${what} ${dir}: cannot write to this folder: ${reason(cause)}`, { cause });
  }
  return created;
}

/** Writes a file, creating its folder; errors name the path. */
export async function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await makeFolders(dirname(path));
    await writeFile(path, data);
  } catch (cause) {
    throw new IOError(`cannot write ${path}: ${reason(cause)}`, { cause });
  }
}

/** `runs/<timestamp>`: the default output folder of `train`, e.g. runs/2024-05-01T12-30-05. */
export function defaultRunFolder(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  return join('runs', stamp);
}

/**
 * Makes the folder of a new run that was given no `--out`: `runs/<timestamp>`, or
 * `runs/<timestamp>-2`, `-3`, … when a run of the same second has it. Each name is taken
 * with a mkdir that fails if the folder exists, so two runs started in the same second
 * never pick the same folder (choosing a free name first and making it later let both
 * choose it, and the second then found it locked). Returns the folder made and, when
 * `runs/` was missing, the first folder made for it (shared with other runs: removed only
 * while empty).
 * `base` is the folder `runs/` is in (the working folder).
 */
export async function claimRunFolder(
  now: Date = new Date(),
  base = '.',
): Promise<{ dir: string; runsMade?: string }> {
  const stamp = join(base, defaultRunFolder(now));
  const refuse = (dir: string, cause: unknown): IOError =>
    new IOError(`--out ${dir}: cannot write to this folder: ${reason(cause)}`, { cause });
  let runsMade: string | undefined;
  try {
    runsMade = await makeFolders(dirname(stamp));
  } catch (cause) {
    // Another run made runs/ at the same moment: it is there, which is all this needs.
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw refuse(stamp, cause);
  }
  for (let n = 1; ; n++) {
    const dir = n === 1 ? stamp : `${stamp}-${n}`;
    try {
      await mkdir(dir);
      return runsMade === undefined ? { dir } : { dir, runsMade };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw refuse(dir, cause);
    }
  }
}
