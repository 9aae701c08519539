/**
 * A run whose loss stops being finite. The guard is the trainer's TerminateOnNaN (the step
 * with the bad loss changes no weight) that also remembers the epoch its stop cut short:
 * the epoch loop still ends that epoch, as Keras does, with the means of the steps before
 * the bad one — not a finished epoch. `divergenceError` leaves the finished epochs'
 * history and learning curves in the run folder, as Ctrl-C does, and builds the one
 * error line, naming only the files that are there and what the last checkpoint holds
 * (the trainer saves a cut-short epoch too when all its logs are finite).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '@tessera/core';
import {
  checkpointFolder,
  type HistoryData,
  loadCheckpoint,
  TerminateOnNaN,
} from '@tessera/trainer';
import { historyOfEpochs } from '../output/history-files.js';
import { writeHistoryFiles } from './run-folder.js';

/** TerminateOnNaN that remembers which epoch its stop cut short. */
export class DivergenceGuard extends TerminateOnNaN {
  /** The epoch (0-based) that ended early on the steps before the bad one, if any did. */
  cutShortEpoch: number | undefined;

  override onTrainBegin(): void {
    super.onTrainBegin();
    this.cutShortEpoch = undefined;
  }

  override onEpochEnd(epoch: number): void {
    if (this.stoppedAt !== undefined) this.cutShortEpoch ??= epoch;
  }
}

/** The epochs a run finished: its history without the epoch a stop cut short. */
export function finishedHistory(
  history: HistoryData,
  cutShortEpoch: number | undefined,
): HistoryData {
  const last = history.epoch.length - 1;
  return cutShortEpoch !== undefined && history.epoch[last] === cutShortEpoch
    ? historyOfEpochs(history, last)
    : history;
}

/** What `latest` holds, e.g. "run/checkpoints/latest.tsr holds the weights after epoch 3". */
async function lastCheckpointText(latest: string, finished: number): Promise<string | undefined> {
  if (!existsSync(latest)) return undefined;
  const saved = await loadCheckpoint(latest).catch(() => undefined);
  if (saved === undefined) return `${latest} holds the last checkpoint`;
  const { progress, optimizer } = saved;
  // Taken inside an epoch (Ctrl-C of an earlier session, before this one resumed from it).
  if (progress.batch > 0)
    return `${latest} holds the weights after step ${optimizer.iteration}, inside epoch ${progress.epoch + 1}`;
  const epochs = saved.history.epoch.length;
  return epochs <= finished
    ? `${latest} holds the weights after epoch ${epochs}`
    : `${latest} holds the weights after step ${optimizer.iteration}, in epoch ${epochs}, which the stop cut short`;
}

/**
 * After the guard stopped the run in `out`: writes the history files of the finished
 * epochs (when there are any) and returns the error to throw.
 */
export async function divergenceError(args: {
  out: string;
  history: HistoryData;
  guard: DivergenceGuard;
  /** Title of the learning curves. */
  title: string;
}): Promise<ValueError> {
  const { out, guard } = args;
  const history = finishedHistory(args.history, guard.cutShortEpoch);
  const finished = history.epoch.length;
  let unwritten: string | undefined;
  if (finished > 0) {
    await writeHistoryFiles(out, history, args.title).catch((err: unknown) => {
      unwritten = (err as Error).message;
    });
  }
  const checkpoint = await lastCheckpointText(join(checkpointFolder(out), 'latest.tsr'), finished);
  const left =
    finished === 0
      ? `no epoch finished${checkpoint === undefined ? ' and no checkpoint was saved' : `; ${checkpoint}`}`
      : `${finished} epoch(s) finished before it: ${
          unwritten === undefined
            ? `their history is in ${join(out, 'history.json')}`
            : `their history could not be written (${unwritten})`
        }${checkpoint === undefined ? ', no checkpoint was saved' : `, ${checkpoint}`}`;
  return new ValueError(
    `training diverged: the loss became NaN or infinite at step ${guard.stoppedAt}, in epoch ${finished + 1}, so training stopped; ${left}; try a lower --learning-rate, or check the data for extreme values`,
  );
}
