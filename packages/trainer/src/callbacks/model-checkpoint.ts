/**
 * modelCheckpoint: writes `.tsr` checkpoints every N epochs and/or every N steps, keeps the
 * last K, keeps `best.tsr` for the best monitored value, and refreshes `latest.tsr` (the
 * file to resume from). A save is skipped when the loss is not finite, so a run that blew
 * up never overwrites its last good checkpoint. It is also what `fit`'s `checkpoint`
 * option uses.
 *
 * A checkpoint is taken (and encoded) at its epoch's or step's end; its files are written
 * behind the training (write-queue.ts), in order, and all of them before `fit` returns. A
 * write that fails stops the run at the next save, or at its end.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { received, StateError, ValueError } from '@tessera/core';
import { Callback, improved, type MonitorMode, resolveMode } from '@tessera/layers';
import { encodeCheckpoint, saveCheckpoint, writeCheckpointFiles } from '../checkpoint.js';
import type { Logs, TrainerCallback, TrainerContext } from './callback.js';
import { WriteQueue } from './write-queue.js';

export interface ModelCheckpointArgs {
  /** Folder of the checkpoints (created when missing). */
  dir: string;
  /** Save at the end of every N-th epoch (default 1; 0 turns epoch saves off). */
  everyEpochs?: number;
  /** Also save after every N-th optimizer step. */
  everySteps?: number | undefined;
  /** Periodic checkpoints to keep, newest first (default 3). */
  keep?: number;
  /** Keep `best.tsr` for the best value of `monitor` (default true). */
  saveBest?: boolean;
  /** Metric deciding the best (default 'val_loss'). */
  monitor?: string;
  mode?: MonitorMode;
}

export class ModelCheckpoint extends Callback implements TrainerCallback {
  private readonly args: Required<Omit<ModelCheckpointArgs, 'everySteps' | 'mode'>> & {
    everySteps: number | undefined;
  };
  private readonly mode: 'min' | 'max';
  private best = Number.NaN;
  private context: TrainerContext | undefined;
  private written: string[] = [];
  private lastLoss = 0;
  private writes = new WriteQueue();
  /** Path of the last checkpoint written (latest.tsr), if any. */
  lastSaved: string | undefined;
  /** Path of best.tsr once written. */
  bestPath: string | undefined;
  /**
   * Its batch hook reads the state only at the steps it names with `nextStop` (every
   * `everySteps`): elsewhere it keeps the loss. The next run of steps goes on meanwhile.
   */
  readonly batchHooksReadLogsOnly = true;

  constructor(args: ModelCheckpointArgs) {
    super();
    if (typeof args?.dir !== 'string' || args.dir === '') {
      throw new ValueError(
        received('modelCheckpoint: dir must be a folder path', 'dir', args?.dir),
      );
    }
    const everyEpochs = args.everyEpochs ?? 1;
    if (!Number.isInteger(everyEpochs) || everyEpochs < 0) {
      throw new ValueError(
        received(
          'modelCheckpoint: everyEpochs must be an integer >= 0',
          'everyEpochs',
          everyEpochs,
        ),
      );
    }
    if (
      args.everySteps !== undefined &&
      (!Number.isInteger(args.everySteps) || args.everySteps <= 0)
    ) {
      throw new ValueError(
        received(
          'modelCheckpoint: everySteps must be a positive integer',
          'everySteps',
          args.everySteps,
        ),
      );
    }
    const keep = args.keep ?? 3;
    if (!Number.isInteger(keep) || keep <= 0) {
      throw new ValueError(
        received('modelCheckpoint: keep must be a positive integer', 'keep', keep),
      );
    }
    this.args = {
      dir: args.dir,
      everyEpochs,
      everySteps: args.everySteps,
      keep,
      saveBest: args.saveBest ?? true,
      monitor: args.monitor ?? 'val_loss',
    };
    this.mode = resolveMode('modelCheckpoint', args.mode ?? 'auto', this.args.monitor);
  }

  setTrainer(context: TrainerContext): void {
    this.context = context;
  }

  override async onTrainBegin(): Promise<void> {
    await this.writes.settled();
    this.writes = new WriteQueue();
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    await mkdir(this.args.dir, { recursive: true });
    // Periodic files already there (an interrupted session's, before a resume) count
    // towards `keep`, oldest first, so they rotate out like this session's own.
    this.written = await periodicCheckpoints(this.args.dir);
  }

  /** Periodic step checkpoints need the state at each multiple of everySteps. */
  nextStop(iteration: number): number | undefined {
    const every = this.args.everySteps;
    return every === undefined ? undefined : (Math.floor(iteration / every) + 1) * every;
  }

  /** A promise only when it saves (the epoch loop awaits nothing otherwise). */
  override onBatchEnd(_batch: number, logs?: Logs): Promise<void> | undefined {
    this.lastLoss = logs?.['loss'] ?? this.lastLoss;
    const every = this.args.everySteps;
    const ctx = this.requireContext();
    if (every !== undefined && ctx.iteration % every === 0)
      return this.savePeriodic(`step-${ctx.iteration}.tsr`, logs);
    return undefined;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (!this.finite(logs)) return;
    const { dir, everyEpochs, monitor } = this.args;
    // The epoch's file (and latest.tsr) and best.tsr hold the same state: written at once.
    const periodic =
      everyEpochs > 0 && (epoch + 1) % everyEpochs === 0
        ? join(dir, `epoch-${epoch + 1}.tsr`)
        : undefined;
    const value = logs?.[monitor];
    const best =
      this.args.saveBest && value !== undefined && improved(this.mode, value, this.best, 0);
    const paths = [
      ...(periodic === undefined ? [] : [periodic, join(dir, 'latest.tsr')]),
      ...(best ? [join(dir, 'best.tsr')] : []),
    ];
    if (paths.length === 0) return;
    const bytes = encodeCheckpoint(this.requireContext().capture());
    this.writes.add(async () => {
      await writeCheckpointFiles(paths, bytes);
      if (best) this.bestPath = join(dir, 'best.tsr');
      if (periodic !== undefined) await this.rotate(periodic);
    });
    if (best) this.best = value;
  }

  /** Waits until every checkpoint taken so far is on disk; throws a write's failure. */
  override async onTrainEnd(): Promise<void> {
    await this.writes.drain();
  }

  /** Waits for the writes in flight, whatever became of them (`fit` calls it when a run fails). */
  settled(): Promise<void> {
    return this.writes.settled();
  }

  async onInterrupt(): Promise<void> {
    // The checkpoints taken before go first: latest.tsr is written last.
    await this.writes.settled();
    if (!Number.isFinite(this.lastLoss)) return;
    const path = join(this.args.dir, 'latest.tsr');
    await saveCheckpoint(path, this.requireContext().capture());
    this.lastSaved = path;
  }

  private finite(logs: Logs | undefined): boolean {
    return logs === undefined || Object.values(logs).every((v) => Number.isFinite(v));
  }

  private async savePeriodic(name: string, logs: Logs | undefined): Promise<void> {
    if (!this.finite(logs)) return;
    const path = join(this.args.dir, name);
    const bytes = encodeCheckpoint(this.requireContext().capture());
    this.writes.add(async () => {
      await writeCheckpointFiles([path, join(this.args.dir, 'latest.tsr')], bytes);
      await this.rotate(path);
    });
  }

  /** After periodic file `path` and latest.tsr were written: drops the oldest beyond `keep`. */
  private async rotate(path: string): Promise<void> {
    this.lastSaved = join(this.args.dir, 'latest.tsr');
    this.written = [...this.written.filter((p) => p !== path), path];
    while (this.written.length > this.args.keep) {
      const old = this.written.shift()!;
      await rm(old, { force: true });
    }
  }

  private requireContext(): TrainerContext {
    // model.fit hands out a RunContext too, but it takes no checkpoints.
    if (typeof this.context?.capture !== 'function') {
      throw new StateError(
        'modelCheckpoint: needs the data-parallel trainer (pass it to fit from @tessera/trainer)',
      );
    }
    return this.context;
  }
}

const PERIODIC = /^(epoch|step)-(\d+)\.tsr$/;

/** The `epoch-N.tsr` / `step-N.tsr` files in `dir`, oldest first (by time written, then N). */
async function periodicCheckpoints(dir: string): Promise<string[]> {
  const found: Array<{ path: string; time: number; n: number }> = [];
  for (const name of await readdir(dir)) {
    const match = PERIODIC.exec(name);
    if (match === null) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() === true) found.push({ path, time: info.mtimeMs, n: Number(match[2]) });
  }
  return found.sort((a, b) => a.time - b.time || a.n - b.n).map((f) => f.path);
}

export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
