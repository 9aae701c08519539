/**
 * `--data-dir DIR` for the image datasets: the four IDX files (raw or .gz) of MNIST or
 * Fashion-MNIST in a folder of your choice, under their usual names
 * (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte). A truncated or damaged file fails with its path.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IOError } from '@tessera/core';
import {
  type Dataset,
  FASHION_MNIST_CLASS_NAMES,
  loadIdxDataset,
  MNIST_CLASS_NAMES,
  type Split,
} from '@tessera/datasets';

const FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

function find(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)])
    if (existsSync(candidate)) return candidate;
  throw new IOError(`--data-dir ${dir}: no ${name} or ${name}.gz in this folder`);
}

/** One split of `mnist` or `fashion-mnist` read from `dir`. */
export function loadIdxFolder(args: {
  dataset: 'mnist' | 'fashion-mnist';
  dir: string;
  split: Split;
  shared: boolean;
}): Dataset {
  const { dir, split } = args;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new IOError(`--data-dir ${dir}: no such folder`);
  return loadIdxDataset({
    name: args.dataset,
    images: find(dir, FILES[split].images),
    labels: find(dir, FILES[split].labels),
    classNames: args.dataset === 'mnist' ? MNIST_CLASS_NAMES : FASHION_MNIST_CLASS_NAMES,
    shared: args.shared,
  });
}
