/**
 * A real checkpoint, mutated field by field and saved again with a valid frame (so the
 * CRC passes): every mutation is rejected by loadCheckpoint or restoreModel with a
 * FormatError naming the file and the field, never a TypeError, never accepted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tessera/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointData, loadCheckpoint, restoreModel, saveCheckpoint } from './checkpoint.js';
import { MAX_CONFIG_DEPTH, nestingDepth } from './checkpoint-validation.js';
import { fit } from './fit.js';
import { blobs, classifier } from './testing/fixtures.js';

let dir = '';
let original: CheckpointData;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-ckpt-validate-'));
  await fit(classifier().make(), blobs(40), {
    workers: 1,
    epochs: 1,
    batchSize: 8,
    seed: 4,
    checkpoint: { dir, every: 1 },
  });
  original = await loadCheckpoint(join(dir, 'latest.tsr'));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Mutable = Record<string, unknown>;
const clone = (): Mutable => structuredClone(original) as unknown as Mutable;
const at = (obj: Mutable, key: string): Mutable => obj[key] as Mutable;
const firstWeight = (): string => Object.keys(original.weights)[0]!;
const firstSlot = (): string => Object.keys(original.optimizer.slots)[0]!;

/** Deeply nested arrays, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const MUTATIONS: [string, RegExp, (c: Mutable) => void][] = [
  ['model null', /field model /, (c) => void (c.model = null)],
  ['model nested 100,000 deep', /field model /, (c) => void (at(c, 'model').config = nested(1000))],
  ['weights null', /field weights /, (c) => void (c.weights = null)],
  ['a weight null', /field weights\[".+"\] /, (c) => void (at(c, 'weights')[firstWeight()] = null)],
  [
    'a weight as a plain array',
    /field weights\[".+"\] /,
    (c) => void (at(c, 'weights')[firstWeight()] = [1, 2]),
  ],
  [
    'a weight with NaN',
    /finite numbers/,
    (c) => void ((at(c, 'weights')[firstWeight()] as Float32Array)[0] = Number.NaN),
  ],
  [
    'a weight one value short',
    /weights\[".+"\]\.length must be \d+/,
    (c) => {
      const w = at(c, 'weights');
      w[firstWeight()] = (w[firstWeight()] as Float32Array).slice(1);
    },
  ],
  [
    'a weight missing',
    /weights\[".+"\] must be \d+ values/,
    (c) => void delete at(c, 'weights')[firstWeight()],
  ],
  [
    'an extra weight',
    /the model has no such weight/,
    (c) => void (at(c, 'weights')['intruder/kernel'] = new Float32Array(3)),
  ],
  ['optimizer null', /field optimizer /, (c) => void (c.optimizer = null)],
  ['optimizer config a number', /optimizer\.config/, (c) => void (at(c, 'optimizer').config = 7)],
  [
    'optimizer iteration −1',
    /optimizer\.iteration/,
    (c) => void (at(c, 'optimizer').iteration = -1),
  ],
  [
    'optimizer iteration 1.5',
    /optimizer\.iteration/,
    (c) => void (at(c, 'optimizer').iteration = 1.5),
  ],
  ['optimizer slots null', /optimizer\.slots /, (c) => void (at(c, 'optimizer').slots = null)],
  [
    'a slot with Infinity',
    /optimizer\.slots\[/,
    (c) =>
      void ((at(at(c, 'optimizer'), 'slots')[firstSlot()] as Float32Array)[0] =
        Number.POSITIVE_INFINITY),
  ],
  [
    'a slot too short',
    /optimizer\.slots\[".+"\]\.length/,
    (c) => {
      const s = at(at(c, 'optimizer'), 'slots');
      s[firstSlot()] = (s[firstSlot()] as Float32Array).slice(2);
    },
  ],
  ['compile null', /field compile /, (c) => void (c.compile = null)],
  ['compile loss a number', /compile\.loss/, (c) => void (at(c, 'compile').loss = 3)],
  ['compile metrics null', /compile\.metrics/, (c) => void (at(c, 'compile').metrics = null)],
  ['run null', /field run /, (c) => void (c.run = null)],
  ['run epochs 0', /run\.epochs/, (c) => void (at(c, 'run').epochs = 0)],
  ['run batchSize 0', /run\.batchSize/, (c) => void (at(c, 'run').batchSize = 0)],
  ['run workers 1e9+0.5', /run\.workers/, (c) => void (at(c, 'run').workers = 1e9 + 0.5)],
  ['run shuffle "yes"', /run\.shuffle/, (c) => void (at(c, 'run').shuffle = 'yes')],
  ['run seed −1', /run\.seed/, (c) => void (at(c, 'run').seed = -1)],
  ['progress null', /field progress /, (c) => void (c.progress = null)],
  ['progress epoch −5', /progress\.epoch/, (c) => void (at(c, 'progress').epoch = -5)],
  ['progress epoch past the run', /progress\.epoch/, (c) => void (at(c, 'progress').epoch = 99)],
  ['progress batch "2"', /progress\.batch/, (c) => void (at(c, 'progress').batch = '2')],
  ['progress examples −1', /progress\.examples/, (c) => void (at(c, 'progress').examples = -1)],
  [
    'progress lossSum NaN',
    /progress\.lossSum/,
    (c) => void (at(c, 'progress').lossSum = Number.NaN),
  ],
  [
    'progress metricSums null',
    /progress\.metricSums/,
    (c) => void (at(c, 'progress').metricSums = null),
  ],
  ['rng null', /field rng /, (c) => void (c.rng = null)],
  ['rng of another seed', /field rng /, (c) => void (at(c, 'rng').seed = 12345)],
  ['rng streams null', /rng\.streams /, (c) => void (at(c, 'rng').streams = null)],
  [
    'an rng stream all zeros',
    /rng\.streams\[/,
    (c) => void (at(c, 'rng').streams = { x: [0, 0, 0, 0] }),
  ],
  [
    'an rng stream of 3 words',
    /rng\.streams\[/,
    (c) => void (at(c, 'rng').streams = { x: [1, 2, 3] }),
  ],
  ['history null', /field history /, (c) => void (c.history = null)],
  ['history epoch null', /history\.epoch /, (c) => void (at(c, 'history').epoch = null)],
  [
    'history series too long',
    /history\.history\[/,
    (c) => void (at(at(c, 'history'), 'history')['loss'] = [1, 2, 3, 4]),
  ],
  [
    'history samplesPerSecond null',
    /history\.samplesPerSecond/,
    (c) => void (at(c, 'history').samplesPerSecond = null),
  ],
  ['history timing null', /history\.timing/, (c) => void (at(c, 'history').timing = null)],
  [
    'history workerTensors null',
    /history\.workerTensors/,
    (c) => void (at(c, 'history').workerTensors = null),
  ],
  ['history seed "x"', /history\.seed/, (c) => void (at(c, 'history').seed = 'x')],
  ['history workers −2', /history\.workers/, (c) => void (at(c, 'history').workers = -2)],
  ['extra null', /field extra /, (c) => void (c.extra = null)],
  ['savedAt 0', /field savedAt /, (c) => void (c.savedAt = 0)],
];

describe('checkpoint validation: every field of a real checkpoint', () => {
  it('accepts the checkpoint as written', () => {
    expect(() => restoreModel(original, 'latest.tsr')).not.toThrow();
  });

  it.each(MUTATIONS)('rejects %s', async (_what, field, mutate) => {
    const copy = clone();
    mutate(copy);
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
