/**
 * Output folders and files. Every failure is an IOError naming the path and the reason
 * (so the command exits 2 with that line), and a folder is checked before hours of
 * training go into it.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IOError } from '@tessera/core';
import { describeFileError } from '../errors.js';

function reason(cause: unknown): string {
  const err = cause as NodeJS.ErrnoException;
  if (typeof err?.code === 'string')
    return describeFileError({ ...err, path: undefined } as NodeJS.ErrnoException);
  return (cause as Error)?.message ?? String(cause);
}

/** Creates `dir` (and its parents) and proves it is writable; `what` names the option in errors. */
export async function prepareOutputFolder(dir: string, what = '--out'): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    const probe = join(dir, `.tessera-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (cause) {
    throw new IOError(`${what} ${dir}: cannot write to this folder: ${reason(cause)}`, { cause });
  }
}

/** Writes a file, creating its folder; errors name the path. */
export async function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
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
