/**
 * Every field of a decoded checkpoint, checked before anything uses it. The CRC catches
 * damage, not a body edited and re-framed: a weight of the wrong length, `null` RNG
 * state, epoch −5 or batch size 0 must fail here with the file and the field, not later
 * with a TypeError or by training on nonsense.
 */
import { FormatError, planLayout } from '@tessera/core';
import { type Model, parameterSpecs } from '@tessera/layers';
import type { CheckpointData } from './checkpoint.js';

/** Deepest nesting a model config may have (real ones stay far below). */
export const MAX_CONFIG_DEPTH = 64;

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isUint32 = (v: unknown): v is number => isCount(v) && (v as number) <= 0xffffffff;

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Float32Array).length})`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function bad(path: string, field: string, expected: string, value: unknown): FormatError {
  return new FormatError(
    `${path}: checkpoint field ${field} must be ${expected}. Received: ${field}=${show(value)}`,
  );
}

/** How deeply `value` nests, counted without recursion (stops past `limit`). */
export function nestingDepth(value: unknown, limit = MAX_CONFIG_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const inner of Object.values(v as Fields)) stack.push([inner, level]);
  }
  return deepest;
}

function checkNumbers(
  path: string,
  field: string,
  v: unknown,
  test: (n: unknown) => boolean,
  expected: string,
): void {
  if (!Array.isArray(v) || !v.every(test)) throw bad(path, field, expected, v);
}

/** Checks the fields that do not depend on the model. */
export function validateCheckpointFields(data: CheckpointData, path: string): void {
  const d = data as unknown as Fields;
  if (!isRecord(d.model) || nestingDepth(d.model) > MAX_CONFIG_DEPTH)
    throw bad(path, 'model', `a model config nested at most ${MAX_CONFIG_DEPTH} deep`, d.model);
  if (!isRecord(d.weights)) throw bad(path, 'weights', 'a record of float32 arrays', d.weights);
  for (const [name, w] of Object.entries(d.weights)) {
    if (!(w instanceof Float32Array)) throw bad(path, `weights["${name}"]`, 'float32 data', w);
    if (!w.every(Number.isFinite))
      throw bad(path, `weights["${name}"]`, 'finite numbers (no NaN or Infinity)', w);
  }
  const opt = d.optimizer;
  if (!isRecord(opt)) throw bad(path, 'optimizer', 'a record', opt);
  if (!(isRecord(opt.config) || typeof opt.config === 'string'))
    throw bad(path, 'optimizer.config', 'an optimizer config', opt.config);
  if (!isCount(opt.iteration))
    throw bad(path, 'optimizer.iteration', 'a whole number ≥ 0', opt.iteration);
  if (!isRecord(opt.slots))
    throw bad(path, 'optimizer.slots', 'a record of float32 arrays', opt.slots);
  for (const [name, s] of Object.entries(opt.slots)) {
    if (!(s instanceof Float32Array) || !s.every(Number.isFinite))
      throw bad(path, `optimizer.slots["${name}"]`, 'finite float32 data', s);
  }
  const compile = d.compile;
  if (!isRecord(compile)) throw bad(path, 'compile', 'a record', compile);
  if (!(typeof compile.loss === 'string' || isRecord(compile.loss)))
    throw bad(path, 'compile.loss', 'a loss name or config', compile.loss);
  if (
    !Array.isArray(compile.metrics) ||
    !compile.metrics.every((m) => typeof m === 'string' || isRecord(m))
  )
    throw bad(path, 'compile.metrics', 'a list of metric names or configs', compile.metrics);

  const run = d.run;
  if (!isRecord(run)) throw bad(path, 'run', 'a record', run);
  for (const key of ['epochs', 'batchSize', 'workers'] as const) {
    if (!isCount(run[key]) || run[key] < 1)
      throw bad(path, `run.${key}`, 'a whole number ≥ 1', run[key]);
  }
  if (typeof run.shuffle !== 'boolean')
    throw bad(path, 'run.shuffle', 'true or false', run.shuffle);
  if (!isUint32(run.seed)) throw bad(path, 'run.seed', 'an integer in [0, 4294967295]', run.seed);
  if (run.classWeight !== undefined && run.classWeight !== null) {
    const weights = run.classWeight;
    if (
      !isRecord(weights) ||
      !Object.entries(weights).every(
        ([k, w]) => /^(0|[1-9][0-9]*)$/.test(k) && isFiniteNumber(w) && w >= 0,
      )
    )
      throw bad(
        path,
        'run.classWeight',
        'null or a record of class ids to finite weights ≥ 0',
        weights,
      );
  }
  if (run.validationSplit !== undefined) {
    const split = run.validationSplit;
    if (typeof split !== 'number' || !(split >= 0 && split < 1))
      throw bad(path, 'run.validationSplit', 'a number in [0, 1)', split);
  }
  if (run.validationData !== undefined) {
    if (typeof run.validationData !== 'boolean')
      throw bad(path, 'run.validationData', 'true or false', run.validationData);
    // validationData takes precedence over a split, so such a run held no rows out.
    if (run.validationData && run.validationSplit !== undefined && run.validationSplit !== 0)
      throw bad(
        path,
        'run.validationSplit',
        '0 when run.validationData is true',
        run.validationSplit,
      );
  }

  const p = d.progress;
  if (!isRecord(p)) throw bad(path, 'progress', 'a record', p);
  if (!isCount(p.epoch) || p.epoch > (run.epochs as number))
    throw bad(
      path,
      'progress.epoch',
      `a whole number in [0, run.epochs=${String(run.epochs)}]`,
      p.epoch,
    );
  if (!isCount(p.batch)) throw bad(path, 'progress.batch', 'a whole number ≥ 0', p.batch);
  if (!isCount(p.examples)) throw bad(path, 'progress.examples', 'a whole number ≥ 0', p.examples);
  if (!isFiniteNumber(p.lossSum)) throw bad(path, 'progress.lossSum', 'a finite number', p.lossSum);
  checkNumbers(
    path,
    'progress.metricSums',
    p.metricSums,
    isFiniteNumber,
    'a list of finite numbers',
  );

  const rng = d.rng;
  if (!isRecord(rng) || rng.seed !== run.seed)
    throw bad(path, 'rng', `RNG state with seed ${String(run.seed)}`, rng);
  if (!isRecord(rng.streams))
    throw bad(path, 'rng.streams', 'a record of stream states', rng.streams);
  for (const [name, s] of Object.entries(rng.streams)) {
    if (!Array.isArray(s) || s.length !== 4 || !s.every(isUint32) || s.every((w) => w === 0))
      throw bad(path, `rng.streams["${name}"]`, 'four 32-bit words, not all zero', s);
  }

  const h = d.history;
  if (!isRecord(h)) throw bad(path, 'history', 'a record', h);
  checkNumbers(path, 'history.epoch', h.epoch, isCount, 'a list of epoch numbers');
  const epochs = (h.epoch as number[]).length;
  if (!isRecord(h.history))
    throw bad(path, 'history.history', 'a record of number lists', h.history);
  for (const [key, series] of Object.entries(h.history)) {
    if (
      !Array.isArray(series) ||
      series.length !== epochs ||
      !series.every((n) => typeof n === 'number')
    )
      throw bad(path, `history.history["${key}"]`, `a list of ${epochs} numbers`, series);
  }
  checkNumbers(
    path,
    'history.samplesPerSecond',
    h.samplesPerSecond,
    (n) => typeof n === 'number',
    'a list of numbers',
  );
  if (!Array.isArray(h.timing) || !h.timing.every(isRecord))
    throw bad(path, 'history.timing', 'a list of timing records', h.timing);
  if (!Array.isArray(h.workerTensors) || !h.workerTensors.every((t) => Array.isArray(t)))
    throw bad(path, 'history.workerTensors', 'a list of lists', h.workerTensors);
  if (!isUint32(h.seed)) throw bad(path, 'history.seed', 'an integer in [0, 4294967295]', h.seed);
  if (!isCount(h.workers)) throw bad(path, 'history.workers', 'a whole number', h.workers);
  if (!isRecord(d.extra)) throw bad(path, 'extra', 'a record', d.extra);
  if (typeof d.savedAt !== 'string') throw bad(path, 'savedAt', 'a date string', d.savedAt);
}

/** Checks the weights and optimizer state against the model rebuilt from the checkpoint. */
export function validateCheckpointAgainstModel(
  data: CheckpointData,
  model: Model,
  path: string,
): void {
  const expected = new Set<string>();
  let total = 0;
  for (const w of model.weights) {
    expected.add(w.name);
    const size = w.shape.reduce((a, b) => a * b, 1);
    const values = data.weights[w.name];
    const shape = `[${w.shape.join(', ')}]`;
    if (values === undefined)
      throw bad(
        path,
        `weights["${w.name}"]`,
        `${size} values (the weight's shape is ${shape})`,
        values,
      );
    if (values.length !== size)
      throw bad(
        path,
        `weights["${w.name}"].length`,
        `${size} (the weight's shape is ${shape})`,
        values.length,
      );
    total += size;
  }
  for (const name of Object.keys(data.weights)) {
    if (!expected.has(name))
      throw bad(
        path,
        `weights["${name}"]`,
        'absent: the model has no such weight',
        data.weights[name],
      );
  }
  // The optimizer's state arrays each cover the parameter store: every weight, aligned.
  const length = planLayout(parameterSpecs(model)).length;
  for (const [name, slot] of Object.entries(data.optimizer.slots)) {
    if (slot.length !== length)
      throw bad(
        path,
        `optimizer.slots["${name}"].length`,
        `${length} (the model's ${total} parameters, aligned as the trainer stores them)`,
        slot.length,
      );
  }
}
