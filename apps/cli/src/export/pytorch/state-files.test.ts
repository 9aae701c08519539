import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../../testing/temp.js';
import { DATA_FILE, MANIFEST_FILE, readState, writeState } from './state-files.js';

const tmp = tempFolder('tessera-state-');
afterAll(() => tmp.cleanup());

const manifest = {
  model: { className: 'Sequential' },
  compile: { loss: 'mse', metrics: [] },
  optimizer: { config: { className: 'SGD', config: { learningRate: 0.1 } }, iteration: 3 },
  run: { epochs: 1, batchSize: 4, shuffle: true, seed: 1, workers: 1 },
  epoch: 1,
  carried: { rng: { seed: 1, streams: {} }, history: {}, extra: {}, progress: { epoch: 1 } },
};

describe('tessera-pytorch state files', () => {
  it('writes and reads weights and slots back bit for bit', async () => {
    const kernel = new Float32Array([1.5, -0, Number.MIN_VALUE, 3.4e38, 1 / 3, -2]);
    const state = {
      manifest,
      weights: new Map([['d/kernel', { shape: [3, 2], values: kernel }]]),
      slots: new Map([
        ['m', new Map([['d/kernel', new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])]])],
      ]),
    };
    await writeState(tmp.dir, state);
    const back = await readState(tmp.dir);
    expect(back.manifest).toEqual(manifest);
    expect(Buffer.from(back.weights.get('d/kernel')!.values.buffer)).toEqual(
      Buffer.from(kernel.buffer),
    );
    expect(back.weights.get('d/kernel')!.shape).toEqual([3, 2]);
    expect([...back.slots.get('m')!.get('d/kernel')!]).toEqual([
      ...new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    ]);
  });

  it('rejects arrays that lie outside weights.bin, naming the array', async () => {
    const folder = tempFolder('tessera-state-short-');
    try {
      writeFileSync(join(folder.dir, DATA_FILE), Buffer.alloc(8));
      writeFileSync(
        join(folder.dir, MANIFEST_FILE),
        JSON.stringify({
          format: 'tessera-pytorch',
          version: 1,
          ...manifest,
          arrays: [{ kind: 'weight', name: 'd/kernel', shape: [3], offset: 0 }],
        }),
      );
      await expect(readState(folder.dir)).rejects.toThrow(
        /array "d\/kernel" lies outside weights\.bin/,
      );
    } finally {
      folder.cleanup();
    }
  });

  it('names what a manifest lacks', async () => {
    const folder = tempFolder('tessera-state-bad-');
    try {
      writeFileSync(join(folder.dir, DATA_FILE), Buffer.alloc(0));
      writeFileSync(
        join(folder.dir, MANIFEST_FILE),
        JSON.stringify({ format: 'tessera-pytorch', version: 1, arrays: [], model: {} }),
      );
      await expect(readState(folder.dir)).rejects.toThrow(
        /lacks compile, optimizer, run, epoch, carried/,
      );
    } finally {
      folder.cleanup();
    }
  });
});
