/**
 * The life of `train`'s run folder around the run. Ctrl-C is handled from the start: one
 * while the data loads stops the run before its first step, where Node's default would
 * kill the process and leave the folder and its lock behind. The folder is the one given
 * by `--out`, a resumed run's own, or a new `runs/<timestamp>[-N]` made now; it is locked
 * for the run (run-lock.ts); and what the run made is removed again if the run fails
 * without leaving a checkpoint or a history (existing-run.ts).
 */
import { rmdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CHECKPOINTS_SUBFOLDER, checkpointFolder } from '@tessera/trainer';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { claimRunFolder, prepareOutputFolder } from '../output/files.js';
import { runFilesIn } from './existing-run.js';
import { InterruptHandler } from './interrupt.js';
import { lockRunFolder } from './run-lock.js';

/** What `inRunFolder` reads of `train`'s flags. */
export interface RunFolderOptions {
  out?: string;
  resume?: string;
  json?: boolean;
}

/** How the run learns of Ctrl-C and tells where it is. */
export interface RunControl {
  /** Aborted by the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Training begins: a Ctrl-C now saves a checkpoint first (so the message says). */
  trainingStarts(): void;
  /** Training is over: a Ctrl-C now ends the process at once (the lock still goes). */
  trainingEnded(): void;
}

/** The run, in its locked folder; returns the exit code. */
export type RunInFolder = (out: string, control: RunControl) => Promise<number>;

/** Runs `run` in its run folder; see the module comment. */
export async function inRunFolder(
  options: RunFolderOptions,
  ctx: CommandContext,
  run: RunInFolder,
): Promise<number> {
  const progress = options.json === true ? ctx.io.stderr : ctx.io.stdout;
  let training = false;
  const interrupt = new InterruptHandler(() =>
    progress.write(
      training
        ? 'Stopping: saving a checkpoint (Ctrl-C again to quit at once)…\n'
        : 'Stopping before training starts (Ctrl-C again to quit at once)…\n',
    ),
  );
  const control: RunControl = {
    signal: interrupt.signal,
    trainingStarts: () => {
      training = true;
    },
    trainingEnded: () => interrupt.quitAtOnce(),
  };
  if (ctx.io.handleSignals) interrupt.install();
  try {
    const folder = await runFolder(options);
    const { out } = folder;
    const lock = lockRunFolder(out, { tempFilesIn: [checkpointFolder(out)] });
    let code: number = ExitCode.internal;
    try {
      code = await run(out, control);
      return code;
    } finally {
      lock.release();
      if (code !== ExitCode.ok && folder.made !== undefined && runFilesIn(out).length === 0) {
        rmSync(folder.made, { recursive: true, force: true });
        // runs/ is shared with other runs: it goes only if this run made it and it is empty.
        if (folder.runsMade !== undefined) removeIfEmpty(folder.runsMade);
      }
    }
  } finally {
    interrupt.dispose();
  }
}

/** The run's folder, made if missing; `made`: the first folder this run made, if any. */
async function runFolder(
  options: RunFolderOptions,
): Promise<{ out: string; made?: string; runsMade?: string }> {
  if (options.out !== undefined)
    return { out: options.out, made: await prepareOutputFolder(options.out) };
  const { resume } = options;
  if (resume !== undefined && basename(dirname(resume)) === CHECKPOINTS_SUBFOLDER) {
    const out = dirname(dirname(resume));
    return { out, made: await prepareOutputFolder(out) };
  }
  const claimed = await claimRunFolder();
  return { out: claimed.dir, made: claimed.dir, runsMade: claimed.runsMade };
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (another run's folder is there), or already gone: it stays as it is.
  }
}
