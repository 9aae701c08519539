/**
 * The training tables as text lines (pure: the caller prints them). One row per runner
 * with samples/s, its ratio to each peer and to Tessera at one worker, and the epoch's
 * loss and accuracy so a broken runner shows; then where a Tessera step's time goes.
 */

import { formatCount, formatNumber, formatRatio, formatTable } from './table.js';
import type { ReferenceTask } from './tasks/reference-task.js';
import type { CompletedRun, TrainingBenchResult, TrainingRun } from './tasks/result.js';

/** Notes longer than this are cut in the table (the JSON report keeps them whole). */
const NOTE_WIDTH = 200;

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The highest samples/s of the completed runs that `pick` selects, if any ran. */
function speedOf(runs: readonly TrainingRun[], pick: (run: TrainingRun) => boolean) {
  let best: number | undefined;
  for (const r of runs) {
    if (r.status === 'ok' && pick(r)) best = Math.max(best ?? 0, r.samplesPerSecond);
  }
  return best;
}

/** Samples/s of each reference the ratio columns divide by. */
export function referenceSpeeds(runs: readonly TrainingRun[]): {
  tfjsCpu: number | undefined;
  tfjsWasm: number | undefined;
  pytorch: number | undefined;
  tesseraOne: number | undefined;
} {
  return {
    tfjsCpu: speedOf(runs, (r) => r.runner === 'tfjs-cpu'),
    tfjsWasm: speedOf(runs, (r) => r.runner === 'tfjs-wasm'),
    // The faster one-thread row: with glibc's defaults or with freed memory kept.
    pytorch: speedOf(runs, (r) => r.runner === 'pytorch' && /^PyTorch ×1\b/.test(r.label)),
    tesseraOne: speedOf(runs, (r) => r.runner === 'tessera' && r.workers === 1),
  };
}

/** A one-line description of the task for the table heading. */
export function describeTask(task: ReferenceTask, input = 'MNIST'): string {
  return (
    `${input} ${task.inputSize}-${task.hiddenUnits}(relu)-${task.classes}(softmax), ` +
    `Adam ${task.learningRate}, batch ${task.batchSize}, float32, ${task.epochs} epoch${task.epochs === 1 ? '' : 's'}`
  );
}

/** The training tables, one per input set, each with its heading and notes. */
export function trainingTable(result: TrainingBenchResult): string[] {
  const lines: string[] = [];
  const skipped = result.runs.filter((r) => r.status !== 'ok' && r.label === 'all runners');
  for (const input of result.inputs) {
    const runs = result.runs.filter((r) => r.input === input.name);
    lines.push(...inputTable(result, input, runs), '');
  }
  for (const run of skipped)
    lines.push(`${run.input}: not run: ${clip(run.status === 'ok' ? '' : run.reason, NOTE_WIDTH)}`);
  return lines;
}

function inputTable(
  result: TrainingBenchResult,
  input: TrainingBenchResult['inputs'][number],
  runs: readonly TrainingRun[],
): string[] {
  const ref = referenceSpeeds(runs);
  const columns = [
    { title: 'runner', align: 'left' as const },
    { title: 'examples', align: 'right' as const },
    { title: 'samples/s', align: 'right' as const },
    { title: '÷tfjs-cpu', align: 'right' as const },
    { title: '÷tfjs-wasm', align: 'right' as const },
    { title: '÷PyTorch×1', align: 'right' as const },
    { title: '÷Tessera×1', align: 'right' as const },
    { title: 'loss', align: 'right' as const },
    { title: 'accuracy', align: 'right' as const },
  ];
  const rows = runs.map((run) => {
    if (run.status !== 'ok') return [run.label, '', run.status];
    const sps = run.samplesPerSecond;
    return [
      run.label,
      formatCount(run.examples * result.task.epochs),
      formatCount(sps),
      formatRatio(sps, ref.tfjsCpu),
      formatRatio(sps, ref.tfjsWasm),
      formatRatio(sps, ref.pytorch),
      run.runner === 'tessera' ? formatRatio(sps, ref.tesseraOne) : '',
      formatNumber(run.loss, 4),
      Number.isFinite(run.accuracy) ? `${(run.accuracy * 100).toFixed(1)}%` : 'n/a',
    ];
  });
  const lines = [
    `Training: ${describeTask(result.task, input.description)}`,
    'samples/s of training time only (no data loading, worker start-up or evaluation); ÷X = this row ÷ X;',
    `÷PyTorch×1 = the faster one-thread PyTorch row; ÷Tessera×1 = scaling over one worker; Tessera rows: median of ${result.repeats} interleaved runs; loss/accuracy = the epoch's mean training values`,
    ...formatTable(columns, rows),
  ];
  const peers = runs.find((r) => r.status === 'ok' && r.runner !== 'tessera');
  if (result.quick && peers?.status === 'ok' && peers.examples < input.examples) {
    lines.push(
      `--quick: the peers trained on the first ${formatCount(peers.examples)} of ${formatCount(input.examples)} examples; Tessera on all`,
    );
  }
  for (const run of runs) {
    const note = run.status === 'ok' ? run.note : run.reason;
    if (note !== undefined) lines.push(`${run.label}: ${clip(note, NOTE_WIDTH)}`);
  }
  return lines;
}

/** Where one step of each Tessera run went, in milliseconds (from `history.timing` ÷ steps). */
export function breakdownTable(runs: readonly TrainingRun[]): string[] {
  const tessera = runs.filter(
    (r): r is CompletedRun => r.status === 'ok' && r.breakdown !== undefined,
  );
  if (tessera.length === 0) return [];
  const columns = [
    { title: 'runner', align: 'left' as const },
    { title: 'steps', align: 'right' as const },
    { title: 'ms/step', align: 'right' as const },
    { title: 'compute', align: 'right' as const },
    { title: 'reduce+update', align: 'right' as const },
    { title: 'waiting', align: 'right' as const },
    { title: 'other', align: 'right' as const },
    { title: 'peak RSS MiB', align: 'right' as const },
  ];
  const rows = tessera.map((run) => [
    `${run.input} ${run.label}`,
    formatCount(run.steps),
    formatNumber((run.trainSeconds * 1000) / run.steps, 2),
    formatNumber(run.breakdown!.computeMs, 2),
    formatNumber(run.breakdown!.reduceUpdateMs, 2),
    formatNumber(run.breakdown!.waitingMs, 2),
    formatNumber(run.breakdown!.otherMs, 2),
    formatCount(run.peakRssMiB),
  ]);
  return [
    "Tessera time per step, ms (waiting = idle time inside compute and reduce+update, not extra); peak RSS = the run's own process, data loading included",
    ...formatTable(columns, rows),
  ];
}
