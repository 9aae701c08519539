/**
 * `history.json` and `history.csv` in a run folder: per-epoch loss and metrics (training
 * and validation), samples per second, and where the time went.
 */
import type { HistoryData } from '@tessera/trainer';
import { csvLine } from './csv-text.js';

/** Header and one row per epoch: epoch (1-based), every logged quantity, samples/s. */
export function historyCsv(
  history: Pick<HistoryData, 'epoch' | 'history' | 'samplesPerSecond'>,
): string {
  const keys = Object.keys(history.history);
  const lines = [csvLine(['epoch', ...keys, 'samples_per_second'])];
  history.epoch.forEach((epoch, i) => {
    const values = keys.map((k) => {
      const v = history.history[k]?.[i];
      return v === undefined ? '' : String(v);
    });
    lines.push(csvLine([String(epoch + 1), ...values, String(history.samplesPerSecond[i] ?? '')]));
  });
  return `${lines.join('\n')}\n`;
}

/** The first `count` epochs of a history (every per-epoch series cut to them). */
export function historyOfEpochs(history: HistoryData, count: number): HistoryData {
  return {
    ...history,
    epoch: history.epoch.slice(0, count),
    history: Object.fromEntries(
      Object.entries(history.history).map(([key, values]) => [key, values.slice(0, count)]),
    ),
    samplesPerSecond: history.samplesPerSecond.slice(0, count),
    timing: history.timing.slice(0, count),
    workerTensors: history.workerTensors.slice(0, count),
  };
}

/** Pretty JSON of the whole history (epochs 0-based, as the trainer records them). */
export function historyJson(history: HistoryData): string {
  return `${JSON.stringify(history, null, 2)}\n`;
}

/**
 * Training examples per second over the whole run: all examples divided by all training
 * time (each epoch's time is its examples over its rate), so slow epochs weigh as they should.
 */
export function overallSamplesPerSecond(
  history: Pick<HistoryData, 'samplesPerSecond'>,
  examplesPerEpoch: number,
): number {
  let seconds = 0;
  let examples = 0;
  for (const rate of history.samplesPerSecond) {
    if (!(rate > 0)) continue;
    seconds += examplesPerEpoch / rate;
    examples += examplesPerEpoch;
  }
  return seconds > 0 ? examples / seconds : 0;
}
