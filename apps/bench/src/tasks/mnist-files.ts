/**
 * The training images handed to the peers' child processes as two raw files in one
 * folder: `images.u8` (examples × 784 grey bytes, row after row) and `labels.u8` (one
 * class id per byte). Raw bytes read the same from Node and from Python
 * (`torch.frombuffer`), and this module imports nothing of Tessera, so a tfjs child can
 * use it without loading Tessera's own copy of tfjs-core.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File names inside the folder. */
export const MNIST_FILES = Object.freeze({ images: 'images.u8', labels: 'labels.u8' });

/** Images and labels as bytes. */
export interface MnistBytes {
  /** examples × pixels grey values in 0..255. */
  images: Uint8Array;
  /** One class id per example. */
  labels: Uint8Array;
  /** Number of examples. */
  examples: number;
  /** Values per image. */
  pixels: number;
}

/** Arguments of {@link writeMnistFiles}. */
export interface WriteMnistFilesArgs {
  /** Folder to write into (must exist). */
  dir: string;
  /** All images, row after row (a Dataset's uint8 features). */
  images: Uint8Array;
  /** All class ids (a Dataset's int32 targets). */
  labels: Int32Array | Uint8Array;
  /** Values per image. */
  pixels: number;
  /** Write only the first this-many examples (default: all). */
  examples?: number;
}

/** Writes the first `examples` images and labels; returns how many were written. */
export async function writeMnistFiles(args: WriteMnistFilesArgs): Promise<number> {
  const available = args.labels.length;
  const examples = args.examples ?? available;
  if (!Number.isInteger(examples) || examples <= 0 || examples > available) {
    throw new RangeError(
      `writeMnistFiles: examples must be an integer in [1, ${available}]. Received: examples=${examples}`,
    );
  }
  if (args.images.length !== available * args.pixels) {
    throw new RangeError(
      `writeMnistFiles: expected ${available} × ${args.pixels} image bytes. Received: images.length=${args.images.length}`,
    );
  }
  const labels = new Uint8Array(examples);
  for (let i = 0; i < examples; i++) {
    const label = args.labels[i]!;
    if (!(label >= 0 && label <= 255)) {
      throw new RangeError(
        `writeMnistFiles: class ids must fit in a byte. Received: labels[${i}]=${label}`,
      );
    }
    labels[i] = label;
  }
  // Copy the image bytes out: a SharedArrayBuffer-backed view cannot be written directly.
  await writeFile(join(args.dir, MNIST_FILES.images), args.images.slice(0, examples * args.pixels));
  await writeFile(join(args.dir, MNIST_FILES.labels), labels);
  return examples;
}

/** Reads the files written by {@link writeMnistFiles}; checks the two agree. */
export async function readMnistFiles(dir: string, pixels: number): Promise<MnistBytes> {
  const images = new Uint8Array(await readFile(join(dir, MNIST_FILES.images)));
  const labels = new Uint8Array(await readFile(join(dir, MNIST_FILES.labels)));
  if (images.length !== labels.length * pixels) {
    throw new RangeError(
      `readMnistFiles: ${dir} should hold ${labels.length} × ${pixels} image bytes for its ${labels.length} labels. Received: ${images.length} bytes`,
    );
  }
  return { images, labels, examples: labels.length, pixels };
}
