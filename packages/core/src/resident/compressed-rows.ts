/**
 * Compressed sparse rows (CSR) of a feature matrix, for the resident step's first Dense
 * layer: row r's nonzeros are entries rowPtr[r] … rowPtr[r+1] of `index` (column numbers,
 * u16 when the row has at most 65,536 features) and `value` (the stored bytes for uint8
 * features, scaled in the kernel; float32 otherwise). Built once per dataset and placed
 * in the shared memory beside the weights, where every worker reads it.
 */
import { received, ValueError } from '../errors.js';

/** Feature matrices the compressor reads: uint8 (scaled later) or float32, row-major. */
export type FeatureMatrix = Uint8Array | Float32Array;

/**
 * Above this fraction of nonzero features the dense GEMM is as fast as the sparse kernels.
 * Measured on the reference network (784-128-10, batch 128, one thread, both phases of
 * the resident step, medians of 5 interleaved runs): compressed ÷ dense time 0.28 at 10%
 * nonzero, 0.49 at 20%, 0.66 at 30%, 0.82 at 40%, 0.99 at 50%, 1.26 at 70%.
 */
export const SPARSE_DENSITY_LIMIT = 0.45;

/** Sizes of one compressed matrix. */
export interface CompressedRowsShape {
  rows: number;
  features: number;
  nonzeros: number;
  /** Column numbers stored as u16 (else i32). */
  idx16: boolean;
  /** Values stored as u8 (else f32). */
  valU8: boolean;
}

/** Number of nonzero values of a feature matrix. */
export function countNonzeros(features: FeatureMatrix): number {
  return features instanceof Uint8Array
    ? countNonzeroBytes(features)
    : countNonzeroFloats(features);
}

function countNonzeroFloats(features: Float32Array): number {
  let n = 0;
  for (let i = 0; i < features.length; i++) if (features[i] !== 0) n++;
  return n;
}

/**
 * Nonzero bytes, four at a time where the bytes are 4-aligned: a pixel matrix is mostly
 * zeros, often whole words of them (MNIST's 47 MB of training pixels: 85 ms a byte at a
 * time, 31–35 ms by words).
 */
function countNonzeroBytes(bytes: Uint8Array): number {
  const words = alignedWords(bytes);
  let n = 0;
  let i = 0;
  for (; i < words.head; i++) if (bytes[i] !== 0) n++;
  const w = words.view;
  for (let k = 0; k < w.length; k++) {
    const word = w[k]!;
    if (word !== 0) n += 4 - zeroBytesOf(word);
  }
  for (i = words.head + w.length * 4; i < bytes.length; i++) if (bytes[i] !== 0) n++;
  return n;
}

/** The whole 32-bit words of `bytes` (after `head` leading bytes), read little- or big-endian alike. */
function alignedWords(bytes: Uint8Array): { head: number; view: Uint32Array } {
  const head = (4 - (bytes.byteOffset % 4)) % 4;
  const count = Math.floor((bytes.length - head) / 4);
  // Too short for one whole word: every byte is read one at a time.
  if (count <= 0) return { head: bytes.length, view: new Uint32Array(0) };
  return { head, view: new Uint32Array(bytes.buffer, bytes.byteOffset + head, count) };
}

/** How many of the four bytes of `word` are zero (no branch: each byte's high bit). */
function zeroBytesOf(word: number): number {
  const high = ~(((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word | 0x7f7f7f7f);
  return Math.imul((high >>> 7) & 0x01010101, 0x01010101) >>> 24;
}

/** The shape of the compressed form of `features` (rows × featureSize). */
export function compressedShape(features: FeatureMatrix, featureSize: number): CompressedRowsShape {
  if (!(Number.isInteger(featureSize) && featureSize > 0) || features.length % featureSize !== 0) {
    throw new ValueError(
      received(
        `compressedShape: features must hold whole rows of ${featureSize} values`,
        'length',
        features.length,
      ),
    );
  }
  return {
    rows: features.length / featureSize,
    features: featureSize,
    nonzeros: countNonzeros(features),
    idx16: featureSize <= 65536,
    valU8: features instanceof Uint8Array,
  };
}

/** Bytes of each array of the compressed form (before alignment). */
export function compressedBytes(shape: CompressedRowsShape): {
  rowPtr: number;
  index: number;
  value: number;
} {
  return {
    rowPtr: (shape.rows + 1) * 4,
    index: shape.nonzeros * (shape.idx16 ? 2 : 4),
    value: shape.nonzeros * (shape.valU8 ? 1 : 4),
  };
}

/** The arrays to fill, views of the memory that will hold them. */
export interface CompressedRowsTarget {
  rowPtr: Int32Array;
  index: Uint16Array | Int32Array;
  value: Uint8Array | Float32Array;
}

/** Writes the compressed form of `features` into `target` (sized by compressedBytes). */
export function writeCompressedRows(
  features: FeatureMatrix,
  featureSize: number,
  target: CompressedRowsTarget,
): void {
  const { rowPtr, index, value } = target;
  const rows = features.length / featureSize;
  let p = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = p;
    const base = r * featureSize;
    for (let j = 0; j < featureSize; j++) {
      const v = features[base + j]!;
      if (v === 0) continue;
      index[p] = j;
      value[p] = v;
      p++;
    }
  }
  rowPtr[rows] = p;
  if (p > index.length) {
    throw new ValueError(received('writeCompressedRows: the target is too small', 'nonzeros', p));
  }
}
