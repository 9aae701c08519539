/**
 * The training bench: the reference task (tasks/reference-task.ts) trained by Tessera at
 * each worker count, then by tfjs-layers on backend-cpu and backend-wasm and by PyTorch,
 * one after another on the same machine. Tessera trains in this process; each peer in its
 * own child process, reading the images from a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, received } from '@tessera/core';
import { loadMnist } from '@tessera/datasets';
import { writeMnistFiles } from './tasks/mnist-files.js';
import { runPytorch } from './tasks/pytorch.js';
import { QUICK_PEER_EXAMPLES, REFERENCE_TASK } from './tasks/reference-task.js';
import type { TrainingBenchResult, TrainingRun } from './tasks/result.js';
import { runTessera } from './tasks/tessera.js';
import { runTfjs } from './tasks/tfjs.js';

/** Options of {@link runTrainingBench}. */
export interface TrainingBenchOptions {
  /** Tessera worker counts (default 1..os.availableParallelism()). */
  workerCounts?: readonly number[];
  /** Train the peers on the first {@link QUICK_PEER_EXAMPLES} examples only (default false). */
  quick?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** 1, 2, …, n. */
export function workerCountsUpTo(n: number): number[] {
  return Array.from({ length: Math.max(1, n) }, (_, i) => i + 1);
}

function describeRun(run: TrainingRun): string {
  return run.status === 'ok'
    ? `${run.label}: ${Math.round(run.samplesPerSecond)} samples/s, loss ${run.loss.toFixed(4)}, accuracy ${run.accuracy.toFixed(4)}`
    : `${run.label}: ${run.status}: ${run.reason}`;
}

/** Runs every runner in turn; see the module comment. */
export async function runTrainingBench(
  options: TrainingBenchOptions = {},
): Promise<TrainingBenchResult> {
  const log = options.log ?? (() => {});
  const quick = options.quick === true;
  const data = loadMnist({ split: 'train', shared: true });
  const runs: TrainingRun[] = [];
  const record = (run: TrainingRun) => {
    runs.push(run);
    log(describeRun(run));
  };

  for (const workers of options.workerCounts ?? workerCountsUpTo(availableParallelism())) {
    log(`Tessera: ${workers} worker(s), ${data.size} examples`);
    record(await runTessera({ data, workers, log }));
  }

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
          'training bench: MNIST should load as uint8 pixels scaled by 1/255 and int32 labels',
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
      log(`tfjs-layers on backend-${backend}: ${peerExamples} examples`);
      record(await runTfjs({ backend, dataDir: dir, log }));
    }
    log(`PyTorch: ${peerExamples} examples`);
    record(await runPytorch({ dataDir: dir, log }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { task: { ...REFERENCE_TASK }, quick, examples: data.size, peerExamples, runs };
}
