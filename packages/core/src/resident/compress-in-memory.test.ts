import { describe, expect, it } from 'vitest';
import { writeCompressedRowsInMemory } from './compress-in-memory.js';
import {
  compressedBytes,
  compressedShape,
  type FeatureMatrix,
  writeCompressedRows,
} from './compressed-rows.js';
import {
  createResidentMemory,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  WASM_PAGE,
} from './resident-kernels.js';

/** Deterministic pseudo-random rows with about `density` nonzeros, every fifth row empty. */
function sparseMatrix(rows: number, width: number, density: number, floats: boolean) {
  const out = floats ? new Float32Array(rows * width) : new Uint8Array(rows * width);
  let s = 12345;
  for (let r = 0; r < rows; r++) {
    if (r % 5 === 2) continue;
    for (let j = 0; j < width; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      if (s / 2 ** 32 >= density) continue;
      out[r * width + j] = floats ? (s % 2000) / 100 - 10 : 1 + (s % 255);
    }
  }
  return out;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** The kernel's arrays and the JavaScript writer's, for one matrix and staging size. */
function bothWriters(features: FeatureMatrix, width: number, stagingRows: number) {
  const shape = compressedShape(features, width);
  const sizes = compressedBytes(shape);
  const rowBytes = width * features.BYTES_PER_ELEMENT;
  const context = RESIDENT_STATIC_BYTES;
  const rowPtr = context + 256;
  const index = rowPtr + align(sizes.rowPtr);
  const value = index + align(sizes.index);
  const staging = { offset: value + align(sizes.value), bytes: stagingRows * rowBytes + 5 };
  const memory = createResidentMemory(staging.offset + staging.bytes + WASM_PAGE);
  const kernels = new ResidentKernels(memory, context);
  writeCompressedRowsInMemory(features, width, shape, { rowPtr, index, value }, kernels, staging);
  const buffer = memory.buffer;
  const got = {
    rowPtr: Array.from(new Int32Array(buffer, rowPtr, shape.rows + 1)),
    index: Array.from(
      shape.idx16
        ? new Uint16Array(buffer, index, shape.nonzeros)
        : new Int32Array(buffer, index, shape.nonzeros),
    ),
    value: Array.from(
      shape.valU8
        ? new Uint8Array(buffer, value, shape.nonzeros)
        : new Float32Array(buffer, value, shape.nonzeros),
    ),
  };
  const js = {
    rowPtr: new Int32Array(shape.rows + 1),
    index: shape.idx16 ? new Uint16Array(shape.nonzeros) : new Int32Array(shape.nonzeros),
    value: shape.valU8 ? new Uint8Array(shape.nonzeros) : new Float32Array(shape.nonzeros),
  };
  writeCompressedRows(features, width, js);
  const want = {
    rowPtr: Array.from(js.rowPtr),
    index: Array.from(js.index),
    value: Array.from(js.value),
  };
  return { shape, kernels, got, want, targets: { rowPtr, index, value }, staging };
}

describe('writeCompressedRowsInMemory', () => {
  it.each([
    ['uint8, 784 per row (MNIST)', 784, false],
    ['uint8, 37 per row (a partial block at each row end)', 37, false],
    ['float32, 64 per row', 64, true],
    ['float32, 13 per row', 13, true],
  ] as const)(
    '%s: the JavaScript writer’s arrays, staged a few rows at a time',
    (_, width, floats) => {
      const features = sparseMatrix(23, width, 0.2, floats);
      // 1 row, 3 rows (the last block shorter) and every row at once.
      for (const stagingRows of [1, 3, 23]) {
        const { shape, got, want } = bothWriters(features, width, stagingRows);
        expect(shape.nonzeros).toBeGreaterThan(0);
        expect(got).toEqual(want);
      }
    },
  );

  it('float32: -0 is a zero, NaN and the smallest subnormal are nonzeros', () => {
    const width = 9;
    const features = new Float32Array(2 * width);
    features.set([-0, Number.NaN, 0, 1.5e-45, -2, 0, -0, 3, Number.POSITIVE_INFINITY]);
    const { shape, got, want } = bothWriters(features, width, 2);
    expect(shape.nonzeros).toBe(5);
    expect(got.index).toEqual([1, 3, 4, 7, 8]);
    expect(got).toEqual(want);
    expect(got.rowPtr).toEqual([0, 5, 5]);
  });

  it('column numbers beyond 65,535 are stored as i32', () => {
    const width = 70_001;
    const features = new Uint8Array(2 * width);
    features[5] = 9;
    features[width - 1] = 200;
    features[width + 65_536] = 1;
    const { shape, got, want } = bothWriters(features, width, 1);
    expect(shape.idx16).toBe(false);
    expect(got.index).toEqual([5, 70_000, 65_536]);
    expect(got).toEqual(want);
  });

  it('refuses a staging area smaller than a row and a shape of other features', () => {
    const features = sparseMatrix(4, 16, 0.5, false);
    const { kernels, targets, staging } = bothWriters(features, 16, 1);
    const shape = compressedShape(features, 16);
    expect(() =>
      writeCompressedRowsInMemory(features, 16, shape, targets, kernels, { ...staging, bytes: 15 }),
    ).toThrow('the staging area must be 16-byte aligned and hold a row (16 bytes)');
    expect(() =>
      writeCompressedRowsInMemory(
        features,
        16,
        compressedShape(Float32Array.from(features), 16),
        targets,
        kernels,
        staging,
      ),
    ).toThrow('the shape must be compressedShape of these features');
  });
});
