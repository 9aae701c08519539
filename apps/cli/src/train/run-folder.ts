/**
 * The files a training run leaves in its `--out` folder, besides the checkpoints:
 *
 *   history.json          per-epoch logs, samples/s, timing, seed, workers
 *   history.csv           the same logs as a table
 *   learning-curves.svg   loss and each metric per epoch, training vs validation
 *   learning-curves.png   the same picture, rendered with the DejaVu fonts
 *   summary.txt           the Keras-style model summary
 *   model.svg             the model graph with shapes
 */
import { join } from 'node:path';
import { type Model, plotModel, renderDot, summaryText, svgToPng } from '@tessera/layers';
import { type HistoryData, loadCheckpoint } from '@tessera/trainer';
import { CHART_PNG_ZOOM, learningCurvesSvg } from '../charts/learning-curves.js';
import { writeOutputFile } from '../output/files.js';
import { historyCsv, historyJson } from '../output/history-files.js';

/** Paths of the files written, by role. */
export interface RunFiles {
  historyJson: string;
  historyCsv: string;
  curvesSvg: string;
  curvesPng: string;
  summary: string;
  modelSvg: string;
}

/** The file names inside a run folder. */
export function runFilePaths(dir: string): RunFiles {
  return {
    historyJson: join(dir, 'history.json'),
    historyCsv: join(dir, 'history.csv'),
    curvesSvg: join(dir, 'learning-curves.svg'),
    curvesPng: join(dir, 'learning-curves.png'),
    summary: join(dir, 'summary.txt'),
    modelSvg: join(dir, 'model.svg'),
  };
}

/** Writes the model's summary and graph (known before training starts). */
export async function writeModelFiles(dir: string, model: Model): Promise<void> {
  const files = runFilePaths(dir);
  await writeOutputFile(files.summary, `${summaryText(model)}\n`);
  await writeOutputFile(
    files.modelSvg,
    await renderDot(plotModel(model, { showShapes: true }), 'svg'),
  );
}

/** Writes history and learning curves. */
export async function writeHistoryFiles(
  dir: string,
  history: HistoryData,
  title: string,
): Promise<void> {
  const files = runFilePaths(dir);
  await writeOutputFile(files.historyJson, historyJson(history));
  await writeOutputFile(files.historyCsv, historyCsv(history));
  const svg = learningCurvesSvg({
    epochs: history.epoch.map((e) => e + 1),
    history: history.history,
    title,
  });
  await writeOutputFile(files.curvesSvg, svg);
  await writeOutputFile(files.curvesPng, svgToPng(svg, { zoom: CHART_PNG_ZOOM }));
}

/**
 * After an interrupt: the history of the epochs done, read back from the checkpoint the
 * interrupt saved, so the run folder shows them before any resume.
 */
export async function writeInterruptedHistory(
  dir: string,
  checkpoint: string,
  title: string,
): Promise<void> {
  const { history } = await loadCheckpoint(checkpoint);
  if (history.epoch.length > 0) await writeHistoryFiles(dir, history, title);
}
