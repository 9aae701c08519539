import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MNIST_FILES, readMnistFiles, writeMnistFiles } from './mnist-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-mnist-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeMnistFiles / readMnistFiles', () => {
  it('round-trips the first examples from shared memory', async () => {
    // 3 examples of 4 pixels; pixel j of example i is 10·i + j.
    const images = new Uint8Array(new SharedArrayBuffer(12));
    images.forEach((_, k) => {
      images[k] = 10 * Math.floor(k / 4) + (k % 4);
    });
    const labels = Int32Array.of(7, 0, 9);
    expect(await writeMnistFiles({ dir, images, labels, pixels: 4, examples: 2 })).toBe(2);
    const read = await readMnistFiles(dir, 4);
    expect(read.examples).toBe(2);
    expect(Array.from(read.images)).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
    expect(Array.from(read.labels)).toEqual([7, 0]);
  });

  it('rejects bad counts and labels, and files that disagree', async () => {
    const images = new Uint8Array(8);
    await expect(
      writeMnistFiles({ dir, images, labels: Int32Array.of(1, 2), pixels: 4, examples: 3 }),
    ).rejects.toThrow('examples must be an integer in [1, 2]. Received: examples=3');
    await expect(
      writeMnistFiles({ dir, images, labels: Int32Array.of(1, 2, 3), pixels: 4 }),
    ).rejects.toThrow('expected 3 × 4 image bytes. Received: images.length=8');
    await expect(
      writeMnistFiles({ dir, images, labels: Int32Array.of(1, 300), pixels: 4 }),
    ).rejects.toThrow('class ids must fit in a byte. Received: labels[1]=300');
    await writeFile(join(dir, MNIST_FILES.images), new Uint8Array(7));
    await writeFile(join(dir, MNIST_FILES.labels), new Uint8Array(2));
    await expect(readMnistFiles(dir, 4)).rejects.toThrow('Received: 7 bytes');
  });
});
