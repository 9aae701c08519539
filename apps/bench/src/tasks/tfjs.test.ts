import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandImages } from '../testing/bands.js';
import { writeMnistFiles } from './mnist-files.js';
import { runTfjs, tfjsNote } from './tfjs.js';

// 1,280 band images: ten steps of the reference batch (128).
const EXAMPLES = 1280;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-tfjs-'));
  const { images, labels } = bandImages(EXAMPLES);
  await writeMnistFiles({ dir, images, labels, pixels: 784 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runTfjs', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`trains the reference network with tfjs-layers on backend-${backend} in a child`, async () => {
      const run = await runTfjs({ backend, dataDir: dir });
      expect(run.status, run.status === 'ok' ? '' : run.reason).toBe('ok');
      if (run.status !== 'ok') return;
      expect(run.runner).toBe(`tfjs-${backend}`);
      expect(run.examples).toBe(EXAMPLES);
      expect(run.steps).toBe(10);
      expect(run.samplesPerSecond).toBeCloseTo(EXAMPLES / run.trainSeconds, 6);
      expect(run.details?.['tfjsLayers']).toBe('4.22.0');
      // Chance is 10 %: a pipeline that trains on the right labels does far better.
      expect(run.accuracy).toBeGreaterThan(0.6);
      expect(run.loss).toBeGreaterThan(0);
      expect(run.loss).toBeLessThan(1.6); // chance: ln 10 ≈ 2.30
      if (backend === 'wasm') expect(typeof run.details?.['simd']).toBe('boolean');
    });
  }

  it('reports a child that cannot read its data as a failed row', async () => {
    const run = await runTfjs({ backend: 'cpu', dataDir: join(dir, 'missing') });
    expect(run.status).toBe('failed');
    expect(run.status === 'failed' && run.reason).toMatch(/exited with code \d+: .*ENOENT/);
  });
});

describe('tfjsNote', () => {
  it('names the version and, for wasm, the build', () => {
    expect(tfjsNote({ version: '4.22.0' })).toBe('tfjs-layers 4.22.0');
    expect(tfjsNote({ version: '4.22.0', simd: true, threads: false })).toBe(
      'tfjs-layers 4.22.0, SIMD, one thread',
    );
  });
});
