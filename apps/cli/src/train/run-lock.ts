/**
 * One `train` per run folder: `--out DIR/.tessera-train.lock` holds the pid of the run
 * writing there, created exclusively so two runs cannot both take it. A lock whose
 * process is gone is stale and taken over; so are the temp files (`.NAME.PID.HEX.tmp`)
 * that killed writers left in the checkpoint folder. A process that exits holding the
 * lock removes it (and its own temp files) on the way out.
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

/** Removes the temp files in `dir` whose writer's pid `remove` picks; returns their names. */
function removeTempFiles(dir: string, remove: (pid: number) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_FILE.exec(name);
    if (match === null || !remove(Number(match[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Removes temp files of checkpoint writes whose process is gone. */
export function removeStaleTempFiles(dir: string): string[] {
  return removeTempFiles(dir, (pid) => !processAlive(pid));
}

/** A held run-folder lock; `release()` removes it. */
export interface RunLock {
  release(): void;
}

/** Options of `lockRunFolder`. */
export interface RunLockOptions {
  /** Folders whose temp files of this process go too if it exits holding the lock. */
  tempFilesIn?: readonly string[];
}

/**
 * The lock's file, released when the process exits still holding it: a second Ctrl-C
 * (`process.exit(130)`) or any other exit mid-run would otherwise leave it behind, to be
 * taken for live while its pid is reused. An `exit` listener may only do synchronous
 * work, which removing a few files is. (A signal that kills the process outright runs no
 * listener; the next run takes such a lock over as stale.)
 */
function heldLock(path: string, options: RunLockOptions): RunLock {
  const onExit = (): void => {
    try {
      rmSync(path, { force: true });
      for (const dir of options.tempFilesIn ?? [])
        removeTempFiles(dir, (pid) => pid === process.pid);
    } catch {
      // Exiting anyway: what is left is taken over as stale by the next run.
    }
  };
  process.on('exit', onExit);
  return {
    release: () => {
      process.off('exit', onExit);
      rmSync(path, { force: true });
    },
  };
}

/** Takes the lock of run folder `dir` (which exists), or fails naming the holder. */
export function lockRunFolder(dir: string, options: RunLockOptions = {}): RunLock {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return heldLock(path, options);
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
