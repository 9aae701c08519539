/**
 * The training bench: the reference network (tasks/reference-task.ts) on each input set
 * (tasks/input-sets.ts), trained by Tessera at each worker count — several runs,
 * interleaved, reported as the median and the spread — then by tfjs-layers on backend-cpu
 * and backend-wasm and by PyTorch on one thread and on every core, one after another on
 * the same machine. Every run is a child process of its own (tessera-child.ts for Tessera),
 * so each starts with fresh compiled code and reports its own peak memory; the peers read
 * the images from a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormatError, received } from '@tessera/core';
import {
  INPUT_SET_NAMES,
  type InputSet,
  type InputSetName,
  loadInputSet,
} from './tasks/input-sets.js';
import { runJsonChild } from './tasks/json-child.js';
import { writeMnistFiles } from './tasks/mnist-files.js';
import { pytorchLabel, runPytorch } from './tasks/pytorch.js';
import { QUICK_PEER_EXAMPLES, REFERENCE_TASK } from './tasks/reference-task.js';
import type { CompletedRun, TrainingBenchResult, TrainingRun } from './tasks/result.js';
import { runTfjs } from './tasks/tfjs.js';
import type { TesseraChildRequest } from './tessera-child.js';

/** Options of {@link runTrainingBench}. */
export interface TrainingBenchOptions {
  /** Tessera worker counts (default 1..os.availableParallelism()). */
  workerCounts?: readonly number[];
  /** Train the peers on the first {@link QUICK_PEER_EXAMPLES} examples only (default false). */
  quick?: boolean;
  /** Input sets to train on (default all: MNIST, dense synthetic, Fashion-MNIST if installed). */
  inputs?: readonly InputSetName[];
  /** Tessera runs per worker count, interleaved (1, 2, 1, 2, …); the table shows the median. */
  repeats?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** 1, 2, …, n. */
export function workerCountsUpTo(n: number): number[] {
  return Array.from({ length: Math.max(1, n) }, (_, i) => i + 1);
}

function describeRun(run: TrainingRun): string {
  return run.status === 'ok'
    ? `${run.input} ${run.label}: ${Math.round(run.samplesPerSecond)} samples/s, loss ${run.loss.toFixed(4)}, accuracy ${run.accuracy.toFixed(4)}`
    : `${run.input} ${run.label}: ${run.status}: ${run.reason}`;
}

/** The run with the median samples/s of interleaved repeats, noting the spread. */
export function medianRun(runs: readonly CompletedRun[]): CompletedRun {
  const sorted = [...runs].sort((a, b) => a.samplesPerSecond - b.samplesPerSecond);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  if (sorted.length === 1) return median;
  const low = Math.round(sorted[0]!.samplesPerSecond);
  const high = Math.round(sorted[sorted.length - 1]!.samplesPerSecond);
  return {
    ...median,
    note: `median of ${sorted.length} interleaved runs (${low}–${high} samples/s)${median.note === undefined ? '' : `; ${median.note}`}`,
    details: {
      ...median.details,
      repeats: sorted.length,
      minSamplesPerSecond: low,
      maxSamplesPerSecond: high,
    },
  };
}

/** Runs every runner on every input set in turn; see the module comment. */
export async function runTrainingBench(
  options: TrainingBenchOptions = {},
): Promise<TrainingBenchResult> {
  const log = options.log ?? (() => {});
  const quick = options.quick === true;
  const repeats = options.repeats ?? 3;
  const counts = options.workerCounts ?? workerCountsUpTo(availableParallelism());
  const runs: TrainingRun[] = [];
  const inputs: TrainingBenchResult['inputs'] = [];
  const record = (run: TrainingRun) => {
    runs.push(run);
    log(describeRun(run));
  };
  for (const name of options.inputs ?? INPUT_SET_NAMES) {
    const set = loadInputSet(name);
    if (!('data' in set)) {
      record({
        input: name,
        runner: 'tessera',
        label: 'all runners',
        status: 'skipped',
        reason: set.reason,
      });
      continue;
    }
    inputs.push({ name: set.name, description: set.description, examples: set.data.size });
    const done = new Map<number, CompletedRun[]>();
    for (let r = 0; r < repeats; r++) {
      for (const workers of counts) {
        log(
          `${set.name}: Tessera ${workers} worker(s), ${set.data.size} examples (run ${r + 1} of ${repeats})`,
        );
        const run = await runTesseraChild({ input: set.name, workers }, log);
        if (run.status !== 'ok') {
          record(run);
          continue;
        }
        done.set(workers, [...(done.get(workers) ?? []), run]);
      }
    }
    for (const workers of counts) {
      const all = done.get(workers);
      if (all !== undefined) record(medianRun(all));
    }
    await runPeers(set, quick, log, record);
  }
  return {
    task: { ...REFERENCE_TASK },
    quick,
    repeats,
    inputs,
    runs,
  };
}

/** One Tessera run in a child process (tessera-child.ts); a failure is a 'failed' row. */
export async function runTesseraChild(
  request: TesseraChildRequest,
  log: (line: string) => void,
): Promise<TrainingRun> {
  const child = fileURLToPath(new URL('./tessera-child.js', import.meta.url));
  try {
    return (await runJsonChild({
      command: process.execPath,
      args: [child, JSON.stringify(request)],
      log,
    })) as TrainingRun;
  } catch (error) {
    return {
      input: request.input,
      runner: 'tessera',
      label: `Tessera ×${request.workers}`,
      workers: request.workers,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/** tfjs-layers on cpu and wasm, PyTorch on one thread and on every core, on one input set. */
async function runPeers(
  set: InputSet,
  quick: boolean,
  log: (line: string) => void,
  record: (run: TrainingRun) => void,
): Promise<void> {
  const data = set.data;
  const peerExamples = quick ? Math.min(QUICK_PEER_EXAMPLES, data.size) : data.size;
  const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-mnist-'));
  try {
    // The peers read raw bytes and scale them by 1/255 themselves, as the Dataset does.
    if (
      !(data.features instanceof Uint8Array) ||
      !(data.targets instanceof Int32Array) ||
      data.featureScale !== 1 / 255
    ) {
      throw new FormatError(
        received(
          `training bench: ${set.name} should load as uint8 pixels scaled by 1/255 and int32 labels`,
          'features/featureScale/targets',
          [data.features.constructor.name, data.featureScale, data.targets.constructor.name],
        ),
      );
    }
    await writeMnistFiles({
      dir,
      images: data.features,
      labels: data.targets,
      pixels: data.featureSize,
      examples: peerExamples,
    });
    for (const backend of ['cpu', 'wasm'] as const) {
      log(`${set.name}: tfjs-layers on backend-${backend}: ${peerExamples} examples`);
      record({ ...(await runTfjs({ backend, dataDir: dir, log })), input: set.name });
    }
    // Each thread count with glibc's default malloc settings (what a plain `python3` run
    // gets) and with freed memory kept (the peer at its best: KEEP_FREED_MEMORY).
    for (const threads of [1, availableParallelism()]) {
      for (const keepFreedMemory of [false, true]) {
        log(`${set.name}: ${pytorchLabel(threads, keepFreedMemory)}: ${peerExamples} examples`);
        const run = await runPytorch({ dataDir: dir, threads, keepFreedMemory, log });
        record({ ...run, input: set.name });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
