import { FormatError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdxDataset } from './idx-dataset.js';
import { gzip, idxBytes } from './testing/idx-bytes.js';

const scratch = tempFolder('tessera-datasets-');
afterAll(() => scratch.cleanup());

const classNames = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const pixels = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
const images = scratch.file('images', idxBytes(0x803, [2, 2, 3], pixels));
const labels = scratch.file('labels.gz', gzip(idxBytes(0x801, [2], [7, 9])));

describe('loadIdxDataset', () => {
  it('pairs images and labels into a uint8 classification dataset scaled by 1/255', () => {
    const ds = loadIdxDataset({ name: 'pair', images, labels, classNames });
    expect(ds.size).toBe(2);
    expect(ds.featureShape).toEqual([2, 3]);
    expect(ds.features).toBeInstanceOf(Uint8Array);
    expect(ds.featureScale).toBe(1 / 255);
    expect(Array.from(ds.targets)).toEqual([7, 9]);
    expect(ds.classNames?.[ds.targets[0]!]).toBe('seven');
    const row = ds.gatherFeatures([1], 0, 1);
    expect(row[0]).toBeCloseTo(250 / 255, 6);
    expect(row[5]).toBe(1);
  });

  it('loads into shared memory on request', () => {
    const ds = loadIdxDataset({ name: 'pair', images, labels, classNames, shared: true });
    expect(ds.shared).toBe(true);
  });

  it('rejects an image/label count mismatch, naming both files and both counts', () => {
    const three = scratch.file('three-labels', idxBytes(0x801, [3], [1, 2, 3]));
    const run = () => loadIdxDataset({ name: 'pair', images, labels: three, classNames });
    expect(run).toThrow(FormatError);
    expect(run).toThrow(
      `${three}: label count does not match the 2 images in ${images}. Received: labels=3`,
    );
  });

  it('rejects a label outside the classes, with its index', () => {
    const ten = scratch.file('label-ten', idxBytes(0x801, [2], [3, 10]));
    expect(() => loadIdxDataset({ name: 'pair', images, labels: ten, classNames })).toThrow(
      `${ten}: label at index 1 is out of range; expected an integer in [0, 10). Received: label=10`,
    );
  });

  it('rejects the files given the wrong way round', () => {
    expect(() =>
      loadIdxDataset({ name: 'pair', images: labels, labels: images, classNames }),
    ).toThrow(
      `${labels}: expected an IDX image file (magic 0x00000803). Received: magic=0x00000801`,
    );
    expect(() => loadIdxDataset({ name: 'pair', images, labels: images, classNames })).toThrow(
      'expected an IDX label file (magic 0x00000801)',
    );
  });
});
