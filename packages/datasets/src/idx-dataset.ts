/**
 * An image-classification dataset from a pair of IDX files (MNIST, Fashion-MNIST or your
 * own): the images file (magic 0x00000803, [count, rows, cols]) and the labels file
 * (magic 0x00000801, [count]) must hold the same count, and every label must name a class.
 * Pixels stay uint8 with `featureScale` 1/255.
 *
 * ```ts
 * const ds = loadIdxDataset({ name: 'mnist', images, labels, classNames: ['0', ..., '9'] });
 * ```
 */
import { FormatError, received, ValueError } from '@tessera/core';
import { allocate } from './buffers.js';
import { Dataset } from './dataset.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx } from './idx.js';

/** The two files and the classes of an IDX image dataset. */
export interface IdxDatasetArgs {
  /** Dataset name. */
  name: string;
  /** Path of the images file (raw or .gz). */
  images: string;
  /** Path of the labels file (raw or .gz). */
  labels: string;
  /** Class names; labels must lie in [0, classNames.length). */
  classNames: readonly string[];
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

function hex(magic: number): string {
  return `0x${magic.toString(16).padStart(8, '0')}`;
}

/** Reads, cross-checks and wraps an images + labels pair of IDX files. */
export function loadIdxDataset(args: IdxDatasetArgs): Dataset {
  const numClasses = args.classNames.length;
  if (numClasses < 1 || numClasses > 256) {
    throw new ValueError(
      received(
        'loadIdxDataset: byte labels allow 1 to 256 classes',
        'classNames.length',
        numClasses,
      ),
    );
  }
  const shared = args.shared === true;
  const images = readIdx(args.images, { shared });
  if (images.magic !== IDX_IMAGES_MAGIC) {
    throw new FormatError(
      `${images.path}: expected an IDX image file (magic ${hex(IDX_IMAGES_MAGIC)}). Received: magic=${hex(images.magic)}`,
    );
  }
  const labels = readIdx(args.labels);
  if (labels.magic !== IDX_LABELS_MAGIC) {
    throw new FormatError(
      `${labels.path}: expected an IDX label file (magic ${hex(IDX_LABELS_MAGIC)}). Received: magic=${hex(labels.magic)}`,
    );
  }
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.data.length !== count) {
    throw new FormatError(
      `${labels.path}: label count does not match the ${count} images in ${images.path}. Received: labels=${labels.data.length}`,
    );
  }
  const targets = allocate('int32', count, shared);
  const bytes = labels.data;
  for (let i = 0; i < count; i++) {
    const label = bytes[i]!;
    if (label >= numClasses) {
      throw new FormatError(
        `${labels.path}: label at index ${i} is out of range; expected an integer in [0, ${numClasses}). Received: label=${label}`,
      );
    }
    targets[i] = label;
  }
  return new Dataset({
    name: args.name,
    task: 'classification',
    featureShape: [rows, cols],
    features: images.data,
    featureScale: 1 / 255,
    targets,
    classNames: args.classNames,
  });
}
