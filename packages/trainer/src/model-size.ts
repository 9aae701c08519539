/**
 * A model's size read from its config, before anything is allocated: a config with
 * `units: 1e9` would otherwise grow to gigabytes before failing. The count is a lower
 * bound, so it never refuses a model that fits: a Dense-like layer (`units`) has at least
 * `units` kernel values — exactly `width × units + units` when its own `inputShape` gives
 * the width — and an embedding `inputDim × outputDim`.
 */
import { totalmem } from 'node:os';
import { ValueError } from '@tessera/core';
import { BATCH_INPUT_SHAPE_KEYS } from '@tessera/layers';

/** The parameter count a config implies, counted without recursion. */
export function estimateParameters(config: unknown): number {
  const num = (x: unknown): number | undefined =>
    typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined;
  let total = 0;
  const stack: unknown[] = [config];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    const c = v as Record<string, unknown>;
    if (!Array.isArray(v)) {
      const units = num(c['units']);
      const shape = declaredInputShape(c);
      if (units !== undefined) {
        const width = shape?.reduce((a: number, d) => a * (num(d) ?? 1), 1);
        total += width === undefined ? units : width * units + units;
      }
      const inputDim = num(c['inputDim']);
      const outputDim = num(c['outputDim']);
      if (inputDim !== undefined && outputDim !== undefined) total += inputDim * outputDim;
    }
    for (const inner of Object.values(c)) stack.push(inner);
  }
  return total;
}

/**
 * The example shape a layer config declares, however it spells it: `inputShape`, the
 * batch-first `batchInputShape` (`batch_input_shape`, `batchShape`) without its batch
 * entry, or `inputDim` on a layer with `units` (a Dense's `inputShape: [inputDim]`).
 */
function declaredInputShape(c: Record<string, unknown>): unknown[] | undefined {
  if (Array.isArray(c['inputShape'])) return c['inputShape'] as unknown[];
  for (const key of BATCH_INPUT_SHAPE_KEYS) {
    const batchFirst = c[key];
    if (Array.isArray(batchFirst)) return batchFirst.slice(1);
  }
  return c['units'] !== undefined && c['inputDim'] !== undefined ? [c['inputDim']] : undefined;
}

/** Bytes one parameter costs while training: weights, gradients, two optimizer slots (float32). */
export const TRAINING_BYTES_PER_PARAMETER = 16;

/** Half the machine's memory: what one model may take while training. */
export function memoryLimitBytes(): number {
  return Math.floor(totalmem() / 2);
}

const GiB = 1024 ** 3;
const fmt = (n: number): string =>
  n >= 1e15 ? n.toExponential(2) : Math.round(n).toLocaleString('en-US');

/** Refuses a model whose parameters cannot fit in memory; `what` names its source. */
export function checkModelSize(config: unknown, what: string, limit = memoryLimitBytes()): number {
  const parameters = estimateParameters(config);
  const bytes = parameters * TRAINING_BYTES_PER_PARAMETER;
  if (bytes > limit) {
    throw new ValueError(
      `${what}: the model has about ${fmt(parameters)} parameters, needing ${(bytes / GiB).toFixed(1)} GiB to train; the limit is ${(limit / GiB).toFixed(1)} GiB (half of this machine's memory). Received: parameters=${fmt(parameters)}`,
    );
  }
  return parameters;
}

/** What one worker thread costs besides its share of the model: a V8 isolate with tfjs. */
export const WORKER_BASE_BYTES = 48 * 1024 ** 2;

/**
 * Refuses more worker threads than memory can hold: each costs an isolate plus its own
 * gradients and activations (about 8 bytes per parameter).
 */
export function checkWorkerCount(
  workers: number,
  parameters: number,
  limit = memoryLimitBytes(),
): void {
  const perWorker = WORKER_BASE_BYTES + parameters * 8;
  const most = Math.max(1, Math.floor(limit / perWorker));
  if (workers > most) {
    throw new ValueError(
      `--workers ${workers}: each worker needs about ${Math.ceil(perWorker / 1024 ** 2)} MiB, so at most ${most} fit in the memory limit of ${(limit / GiB).toFixed(1)} GiB (half of this machine's memory). Received: workers=${workers}`,
    );
  }
}
