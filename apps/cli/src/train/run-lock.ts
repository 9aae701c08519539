/**
 * One `train` per run folder: `--out DIR/.tessera-train.lock` holds the pid of the run
 * writing there, created exclusively so two runs cannot both take it. A lock whose
 * process is gone is stale and taken over; so are the temp files (`.NAME.PID.HEX.tmp`)
 * that killed writers left in the checkpoint folder.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IOError, ValueError } from '@tessera/core';

const LOCK_NAME = '.tessera-train.lock';
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** True while a process with this id exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid recorded in a lock file, or undefined when it is unreadable. */
function lockHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Removes temp files of checkpoint writes whose process is gone. */
export function removeStaleTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** A held run-folder lock; `release()` removes it. */
export interface RunLock {
  release(): void;
}

/** Takes the lock of run folder `dir` (which exists), or fails naming the holder. */
export function lockRunFolder(dir: string): RunLock {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rmSync(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new IOError(`--out ${dir}: cannot lock the run folder: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    const holder = lockHolder(path);
    if (holder !== undefined && holder !== process.pid && processAlive(holder)) {
      throw new ValueError(
        `--out ${dir} is in use by another tessera train (process ${holder}); wait for it to finish or choose another --out`,
      );
    }
    // The holder is gone (killed, or the file is unreadable): the lock is stale.
    rmSync(path, { force: true });
  }
  throw new ValueError(`--out ${dir}: could not take the run folder's lock (${path})`);
}
