/**
 * A dashboard snapshot of a run folder written by `tessera train`, finished or still
 * running: the epochs from `history.json` when the run is over, otherwise from the
 * history inside the latest checkpoint (written after every epoch).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  CHECKPOINTS_SUBFOLDER,
  type CheckpointData,
  checkpointFolder,
  type HistoryData,
  loadCheckpoint,
} from '@tessera/trainer';
import { savedOptimizer } from '../train/learning-rate-schedule.js';
import { listCheckpoints } from './recorder.js';
import { type DashboardSnapshot, emptySnapshot, perWorkerRates } from './snapshot.js';

/** A cheap fingerprint of the files the snapshot reads: it changes when they do. */
export function runFolderStamp(dir: string): string {
  return ['history.json', join(CHECKPOINTS_SUBFOLDER, 'latest.tsr')]
    .map((f) => {
      const path = join(dir, f);
      return existsSync(path) ? String(statSync(path).mtimeMs) : '-';
    })
    .join('|');
}

function epochLogs(history: HistoryData): Array<Record<string, number>> {
  return history.epoch.map((_, i) => {
    const logs: Record<string, number> = {};
    for (const [key, values] of Object.entries(history.history)) {
      const v = values[i];
      if (typeof v === 'number') logs[key] = v;
    }
    return logs;
  });
}

/**
 * The learning rate of the checkpoint's last update: its optimizer's, or its schedule's at
 * that step (as the live dashboard shows it). Null when this process cannot rebuild the
 * optimizer (a user's class its modules registered): the page shows no rate then.
 */
function lastLearningRate(optimizer: CheckpointData['optimizer']): number | null {
  const rebuilt = savedOptimizer(optimizer);
  return rebuilt === undefined ? null : rebuilt.learningRateAt(Math.max(1, optimizer.iteration));
}

/** Reads the run folder into a snapshot. */
export async function runFolderSnapshot(dir: string): Promise<DashboardSnapshot> {
  const historyPath = join(dir, 'history.json');
  const latest = join(checkpointFolder(dir), 'latest.tsr');
  let history: HistoryData | undefined;
  let epochs: number | null = null;
  let batchSize: number | undefined;
  let learningRate: number | null = null;
  const finished = existsSync(historyPath);
  if (existsSync(latest)) {
    const data = await loadCheckpoint(latest);
    history = data.history;
    epochs = data.run.epochs;
    batchSize = data.run.batchSize;
    learningRate = lastLearningRate(data.optimizer);
  }
  if (finished) history = JSON.parse(readFileSync(historyPath, 'utf8')) as HistoryData;
  const s = emptySnapshot(basename(dir), epochs);
  s.checkpoints = listCheckpoints(checkpointFolder(dir));
  s.learningRate = learningRate;
  if (history === undefined) return s;
  s.status = finished ? 'finished' : 'training';
  s.epochLogs = epochLogs(history);
  s.epoch = history.epoch.length;
  if (epochs === null) s.epochs = history.epoch.length;
  const rate = history.samplesPerSecond[history.samplesPerSecond.length - 1];
  if (rate !== undefined) {
    s.samplesPerSecond = rate;
    if (batchSize !== undefined) s.perWorker = perWorkerRates(rate, history.workers, batchSize);
  }
  return s;
}
