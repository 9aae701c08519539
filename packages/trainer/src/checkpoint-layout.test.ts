import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IOError } from '@tessera/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './checkpoint.js';
import {
  checkpointFolder,
  checkpointsNear,
  missingCheckpointMessage,
  runFolderOf,
} from './checkpoint-layout.js';
import { TrainingAbortedError } from './errors.js';
import { fit } from './fit.js';
import { blobs, classifier } from './testing/fixtures.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tessera-layout-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('checkpoint layout', () => {
  it('puts checkpoints in <run>/checkpoints and finds the run folder of either layout', () => {
    expect(checkpointFolder('runs/mnist')).toBe(join('runs/mnist', 'checkpoints'));
    expect(runFolderOf('runs/mnist/checkpoints/best.tsr')).toBe('runs/mnist');
    expect(runFolderOf('runs/mnist/best.tsr')).toBe('runs/mnist'); // the earlier layout
  });

  it('lists the checkpoints near a missing one: its folder, checkpoints/ and the run folder', async () => {
    const run = join(root, 'listing');
    const ckpt = join(run, 'checkpoints');
    await mkdir(ckpt, { recursive: true });
    for (const name of ['epoch-10.tsr', 'epoch-9.tsr', 'best.tsr', 'latest.tsr', 'notes.txt'])
      await writeFile(join(ckpt, name), '');
    await writeFile(join(run, 'old.tsr'), '');
    const fromRun = [
      join(run, 'old.tsr'),
      join(ckpt, 'latest.tsr'),
      join(ckpt, 'best.tsr'),
      join(ckpt, 'epoch-9.tsr'),
      join(ckpt, 'epoch-10.tsr'),
    ];
    expect(checkpointsNear(join(run, 'best.tsr'))).toEqual(fromRun);
    // From inside checkpoints/: that folder first, then the run folder above it.
    expect(checkpointsNear(join(ckpt, 'gone.tsr'))).toEqual([...fromRun.slice(1), fromRun[0]]);
    expect(missingCheckpointMessage(join(run, 'best.tsr'))).toBe(
      `${join(run, 'best.tsr')}: file not found; checkpoints nearby: ${fromRun.join(', ')}`,
    );
    expect(missingCheckpointMessage(run)).toBe(
      `${run}: a folder; expected a .tsr checkpoint file; checkpoints nearby: ${fromRun.join(', ')}`,
    );
    expect(missingCheckpointMessage(join(root, 'nowhere', 'best.tsr'))).toBe(
      `${join(root, 'nowhere', 'best.tsr')}: file not found; the folder ${join(root, 'nowhere')} does not exist either`,
    );
    const empty = join(root, 'empty');
    await mkdir(empty);
    expect(missingCheckpointMessage(join(empty, 'x.tsr'))).toBe(
      `${join(empty, 'x.tsr')}: file not found; no checkpoints (*.tsr) in ${empty}`,
    );
    const err = await loadCheckpoint(join(run, 'best.tsr')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IOError);
    expect((err as Error).message).toContain(`checkpoints nearby: ${fromRun.join(', ')}`);
  });
});

describe('fit checkpoint.dir', () => {
  const data = blobs(48);
  const run = { workers: 2, batchSize: 8, seed: 3 } as const; // 6 steps an epoch

  it('writes the same layout as `tessera train --out`', async () => {
    const dir = join(root, 'fit-layout');
    await fit(classifier().make(), data, { ...run, epochs: 2, checkpoint: { dir } });
    expect((await readdir(dir)).sort()).toEqual(['checkpoints']);
    expect((await readdir(checkpointFolder(dir))).sort()).toEqual([
      'best.tsr',
      'epoch-1.tsr',
      'epoch-2.tsr',
      'latest.tsr',
    ]);
  });

  it('keep rotates the files of an interrupted session out after a resume', async () => {
    const dir = join(root, 'fit-keep');
    const ckpt = checkpointFolder(dir);
    const controller = new AbortController();
    const stopInEpoch2 = {
      onEpochEnd: (epoch: number) => void (epoch === 0 && controller.abort()),
    };
    const factory = classifier();
    const first = fit(factory.make(), data, {
      ...run,
      epochs: 6,
      checkpoint: { dir, keep: 3 },
      signal: controller.signal,
      callbacks: [stopInEpoch2],
    });
    await expect(first).rejects.toThrow(TrainingAbortedError);
    const interrupted = await readdir(ckpt);
    expect(interrupted).toContain('epoch-1.tsr');
    expect(interrupted).not.toContain('epoch-6.tsr');
    // A file of another run, written long ago, counts too: it is the oldest.
    await writeFile(join(ckpt, 'step-99.tsr'), '');
    await utimes(join(ckpt, 'step-99.tsr'), 1, 1);
    const latest = join(ckpt, 'latest.tsr');
    expect((await loadCheckpoint(latest)).progress.epoch).toBeLessThan(3);
    await fit(factory.make(), data, { workers: 2, resume: latest, checkpoint: { dir, keep: 3 } });
    expect((await readdir(ckpt)).sort()).toEqual([
      'best.tsr',
      'epoch-4.tsr',
      'epoch-5.tsr',
      'epoch-6.tsr',
      'latest.tsr',
    ]);
  });
});
