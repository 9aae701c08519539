/**
 * `writeCompressedRows` done by the resident WebAssembly build, straight into a resident
 * memory: the feature rows are copied into a staging area of that memory a block at a
 * time and compressed there, sixteen bytes at a time (MNIST's 60,000 training images:
 * 40–68 ms against 120–232 for the JavaScript loop, see compressRows in
 * assembly/resident-sparse.ts). The same bytes as writeCompressedRows (tested).
 *
 * ```ts
 * const shape = compressedShape(features, 784);
 * writeCompressedRowsInMemory(features, 784, shape, { rowPtr, index, value }, kernels, staging);
 * ```
 */
import { received, StateError, ValueError } from '../errors.js';
import type { CompressedRowsShape, FeatureMatrix } from './compressed-rows.js';
import type { ResidentKernels } from './resident-kernels.js';

/** Byte offsets, in the kernels' memory, of the compressed arrays (sized by compressedBytes). */
export interface CompressedRowsOffsets {
  rowPtr: number;
  index: number;
  value: number;
}

/** A stretch of the kernels' memory free for the copy: `bytes` bytes from `offset`. */
export interface StagingArea {
  offset: number;
  bytes: number;
}

export function writeCompressedRowsInMemory(
  features: FeatureMatrix,
  featureSize: number,
  shape: CompressedRowsShape,
  target: CompressedRowsOffsets,
  kernels: ResidentKernels,
  staging: StagingArea,
): void {
  const u8 = features instanceof Uint8Array;
  if (u8 !== shape.valU8 || shape.features !== featureSize) {
    throw new ValueError(
      received(
        'writeCompressedRowsInMemory: the shape must be compressedShape of these features',
        'shape',
        JSON.stringify(shape),
      ),
    );
  }
  const rowBytes = featureSize * features.BYTES_PER_ELEMENT;
  const block = Math.floor(staging.bytes / rowBytes);
  if (block < 1 || staging.offset % 16 !== 0) {
    throw new ValueError(
      received(
        `writeCompressedRowsInMemory: the staging area must be 16-byte aligned and hold a row (${rowBytes} bytes)`,
        'staging',
        JSON.stringify(staging),
      ),
    );
  }
  const source = new Uint8Array(features.buffer, features.byteOffset, features.byteLength);
  const k = kernels.raw;
  let at = 0;
  for (let r = 0; r < shape.rows; r += block) {
    const rows = Math.min(block, shape.rows - r);
    const bytes = source.subarray(r * rowBytes, (r + rows) * rowBytes);
    new Uint8Array(kernels.memory.buffer, staging.offset, bytes.length).set(bytes);
    // biome-ignore format: the kernel's argument list
    at = k.compressRows(staging.offset, rows, featureSize, u8 ? 1 : 0, target.rowPtr, r, target.index, shape.idx16 ? 1 : 0, target.value, at);
  }
  if (at !== shape.nonzeros) {
    throw new StateError(
      `writeCompressedRowsInMemory: wrote ${at} nonzeros where the shape counts ${shape.nonzeros}`,
    );
  }
  new Int32Array(kernels.memory.buffer, target.rowPtr, shape.rows + 1)[shape.rows] = at;
}
