/**
 * The tfjs-layers peers: the reference task on tfjs-backend-cpu or tfjs-backend-wasm,
 * each in its own child process (see tfjs-train-child.ts).
 */
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './json-child.js';
import { REFERENCE_TASK, stepsPerEpoch } from './reference-task.js';
import type { PeerRun } from './result.js';
import type { TfjsBackend, TfjsTrainReply, TfjsTrainRequest } from './tfjs-train-child.js';

/** Built child entry. Both src/ and dist/ sit two levels below the package root (tests run after the build). */
const TFJS_CHILD = fileURLToPath(new URL('../../dist/tasks/tfjs-train-child.js', import.meta.url));

/** Arguments of {@link runTfjs}. */
export interface TfjsRunArgs {
  /** Backend to train on. */
  backend: TfjsBackend;
  /** Folder written by `writeMnistFiles` (the examples to train on). */
  dataDir: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The row's note: tfjs-layers' version, and for wasm which build it chose. */
export function tfjsNote(reply: Pick<TfjsTrainReply, 'version' | 'simd' | 'threads'>): string {
  const build =
    reply.simd === undefined
      ? ''
      : `, ${reply.simd ? 'SIMD' : 'no SIMD'}, ${reply.threads ? 'multi-threaded' : 'one thread'}`;
  return `tfjs-layers ${reply.version}${build}`;
}

/** Trains tfjs-layers on one backend; a child that fails gives a 'failed' row, not a throw. */
export async function runTfjs(args: TfjsRunArgs): Promise<PeerRun> {
  const runner = args.backend === 'cpu' ? 'tfjs-cpu' : 'tfjs-wasm';
  const request: TfjsTrainRequest = {
    backend: args.backend,
    dataDir: args.dataDir,
    task: { ...REFERENCE_TASK },
  };
  let reply: TfjsTrainReply;
  try {
    reply = (await runJsonChild({
      command: process.execPath,
      args: [TFJS_CHILD, JSON.stringify(request)],
      log: (line) => args.log?.(`  [${runner}] ${line}`),
    })) as TfjsTrainReply;
  } catch (error) {
    return {
      runner,
      label: runner,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
    };
  }
  if (reply.backend !== args.backend) {
    return {
      runner,
      label: runner,
      status: 'failed',
      reason: `tfjs ran on backend "${reply.backend}" instead of "${args.backend}"`,
    };
  }
  const details: Record<string, string | number | boolean> = { tfjsLayers: reply.version };
  if (reply.simd !== undefined) details['simd'] = reply.simd;
  if (reply.threads !== undefined) details['threads'] = reply.threads;
  return {
    runner,
    label: runner,
    status: 'ok',
    examples: reply.examples,
    steps: stepsPerEpoch(reply.examples, REFERENCE_TASK.batchSize) * REFERENCE_TASK.epochs,
    trainSeconds: reply.trainSeconds,
    samplesPerSecond: (reply.examples * REFERENCE_TASK.epochs) / reply.trainSeconds,
    loss: reply.loss,
    accuracy: reply.accuracy,
    note: tfjsNote(reply),
    details,
  };
}
