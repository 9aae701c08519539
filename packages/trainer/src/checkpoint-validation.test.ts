/**
 * A real checkpoint, mutated field by field and saved again with a valid frame (so the
 * CRC passes): every mutation is rejected by loadCheckpoint or restoreModel with a
 * FormatError naming the file and the field, never a TypeError, never accepted.
 */
import { join } from 'node:path';
import { FormatError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointData, loadCheckpoint, restoreModel, saveCheckpoint } from './checkpoint.js';
import { MAX_CONFIG_DEPTH, nestingDepth } from './checkpoint-validation.js';
import { fit } from './fit.js';
import { blobs, classifier } from './testing/fixtures.js';

let dir = '';
let cleanup = (): void => {};
let original: CheckpointData;

beforeAll(async () => {
  const tmp = tempFolder('tessera-ckpt-validate-');
  dir = tmp.dir;
  cleanup = tmp.cleanup;
  await fit(classifier().make(), blobs(40), {
    workers: 1,
    epochs: 1,
    batchSize: 8,
    seed: 4,
    checkpoint: { dir, every: 1 },
  });
  original = await loadCheckpoint(join(dir, 'checkpoints', 'latest.tsr'));
}, 120_000);
afterAll(() => cleanup());

type Mutable = Record<string, unknown>;
const W = (): string => Object.keys(original.weights)[0]!;
const S = (): string => Object.keys(original.optimizer.slots)[0]!;
/** Marks a key to delete instead of set. */
const DELETE = Symbol('delete');

/** Deeply nested arrays, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Float32 data like `old` with one value replaced. */
function withValue(old: unknown, value: number): Float32Array {
  const copy = Float32Array.from(old as Float32Array);
  copy[0] = value;
  return copy;
}

/** A mutation: the field path (keys resolved lazily) and its new value, from the old one. */
type Mutation = [
  what: string,
  message: RegExp,
  path: () => string[],
  value: (old: unknown) => unknown,
];

const MUTATIONS: Mutation[] = [
  ['model null', /field model /, () => ['model'], () => null],
  ['model nested 1,000 deep', /field model /, () => ['model', 'config'], () => nested(1000)],
  ['weights null', /field weights /, () => ['weights'], () => null],
  ['a weight null', /field weights\[".+"\] /, () => ['weights', W()], () => null],
  ['a weight as a plain array', /field weights\[".+"\] /, () => ['weights', W()], () => [1, 2]],
  [
    'a weight with NaN',
    /finite numbers/,
    () => ['weights', W()],
    (old) => withValue(old, Number.NaN),
  ],
  [
    'a weight one value short',
    /weights\[".+"\]\.length must be \d+/,
    () => ['weights', W()],
    (old) => (old as Float32Array).slice(1),
  ],
  ['a weight missing', /weights\[".+"\] must be \d+ values/, () => ['weights', W()], () => DELETE],
  [
    'an extra weight',
    /the model has no such weight/,
    () => ['weights', 'intruder/kernel'],
    () => new Float32Array(3),
  ],
  ['optimizer null', /field optimizer /, () => ['optimizer'], () => null],
  ['optimizer config a number', /optimizer\.config/, () => ['optimizer', 'config'], () => 7],
  ['optimizer iteration −1', /optimizer\.iteration/, () => ['optimizer', 'iteration'], () => -1],
  ['optimizer iteration 1.5', /optimizer\.iteration/, () => ['optimizer', 'iteration'], () => 1.5],
  ['optimizer slots null', /optimizer\.slots /, () => ['optimizer', 'slots'], () => null],
  [
    'a slot with Infinity',
    /optimizer\.slots\[/,
    () => ['optimizer', 'slots', S()],
    (old) => withValue(old, Number.POSITIVE_INFINITY),
  ],
  [
    'a slot too short',
    /optimizer\.slots\[".+"\]\.length/,
    () => ['optimizer', 'slots', S()],
    (old) => (old as Float32Array).slice(2),
  ],
  ['compile null', /field compile /, () => ['compile'], () => null],
  ['compile loss a number', /compile\.loss/, () => ['compile', 'loss'], () => 3],
  ['compile metrics null', /compile\.metrics/, () => ['compile', 'metrics'], () => null],
  ['run null', /field run /, () => ['run'], () => null],
  ['run epochs 0', /run\.epochs/, () => ['run', 'epochs'], () => 0],
  ['run batchSize 0', /run\.batchSize/, () => ['run', 'batchSize'], () => 0],
  ['run workers 1.5', /run\.workers/, () => ['run', 'workers'], () => 1.5],
  ['run shuffle "yes"', /run\.shuffle/, () => ['run', 'shuffle'], () => 'yes'],
  ['run seed −1', /run\.seed/, () => ['run', 'seed'], () => -1],
  [
    'run validationSplit "0.2"',
    /run\.validationSplit must be a number in \[0, 1\)\. Received: run\.validationSplit="0\.2"/,
    () => ['run', 'validationSplit'],
    () => '0.2',
  ],
  [
    'run validationSplit 1',
    /run\.validationSplit must be/,
    () => ['run', 'validationSplit'],
    () => 1,
  ],
  [
    'run validationData "no"',
    /run\.validationData must be true or false/,
    () => ['run', 'validationData'],
    () => 'no',
  ],
  ['progress null', /field progress /, () => ['progress'], () => null],
  ['progress epoch −5', /progress\.epoch/, () => ['progress', 'epoch'], () => -5],
  ['progress epoch past the run', /progress\.epoch/, () => ['progress', 'epoch'], () => 99],
  ['progress batch "2"', /progress\.batch/, () => ['progress', 'batch'], () => '2'],
  ['progress examples −1', /progress\.examples/, () => ['progress', 'examples'], () => -1],
  ['progress lossSum NaN', /progress\.lossSum/, () => ['progress', 'lossSum'], () => Number.NaN],
  [
    'progress metricSums null',
    /progress\.metricSums/,
    () => ['progress', 'metricSums'],
    () => null,
  ],
  ['rng null', /field rng /, () => ['rng'], () => null],
  ['rng of another seed', /field rng /, () => ['rng', 'seed'], () => 12345],
  ['rng streams null', /rng\.streams /, () => ['rng', 'streams'], () => null],
  [
    'an rng stream all zeros',
    /rng\.streams\[/,
    () => ['rng', 'streams'],
    () => ({ x: [0, 0, 0, 0] }),
  ],
  [
    'an rng stream of 3 words',
    /rng\.streams\[/,
    () => ['rng', 'streams'],
    () => ({ x: [1, 2, 3] }),
  ],
  ['history null', /field history /, () => ['history'], () => null],
  ['history epoch null', /history\.epoch /, () => ['history', 'epoch'], () => null],
  [
    'history series too long',
    /history\.history\[/,
    () => ['history', 'history', 'loss'],
    () => [1, 2, 3, 4],
  ],
  [
    'history samplesPerSecond null',
    /history\.samplesPerSecond/,
    () => ['history', 'samplesPerSecond'],
    () => null,
  ],
  ['history timing null', /history\.timing/, () => ['history', 'timing'], () => null],
  [
    'history workerTensors null',
    /history\.workerTensors/,
    () => ['history', 'workerTensors'],
    () => null,
  ],
  ['history seed "x"', /history\.seed/, () => ['history', 'seed'], () => 'x'],
  ['history workers −2', /history\.workers/, () => ['history', 'workers'], () => -2],
  ['extra null', /field extra /, () => ['extra'], () => null],
  ['savedAt 0', /field savedAt /, () => ['savedAt'], () => 0],
];

/** A copy of the checkpoint with one field changed. */
function mutated(path: string[], value: (old: unknown) => unknown): Mutable {
  const copy = structuredClone(original) as unknown as Mutable;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Mutable;
  const key = path[path.length - 1]!;
  const next = value(parent[key]);
  if (next === DELETE) delete parent[key];
  else parent[key] = next;
  return copy;
}

describe('checkpoint validation: every field of a real checkpoint', () => {
  it('accepts the checkpoint as written', () => {
    expect(() => restoreModel(original, 'latest.tsr')).not.toThrow();
  });

  it.each(MUTATIONS)('rejects %s', async (_what, field, at, value) => {
    const copy = mutated(at(), value);
    const path = join(dir, 'mutated.tsr');
    await saveCheckpoint(path, copy as unknown as CheckpointData);
    const attempt = loadCheckpoint(path).then((data) => restoreModel(data, path));
    await expect(attempt).rejects.toThrow(FormatError);
    await expect(attempt).rejects.toThrow(field);
    await expect(attempt).rejects.toThrow(/mutated\.tsr: checkpoint field .+ Received: /);
  });

  it('measures nesting without recursion and stops early', () => {
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(nestingDepth(nested(1_000_000))).toBe(MAX_CONFIG_DEPTH + 1);
  });
});
