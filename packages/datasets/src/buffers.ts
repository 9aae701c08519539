/**
 * Typed arrays that may live in a SharedArrayBuffer, and the plain description of one
 * that survives `postMessage`. Posting a SharedArrayBuffer hands the receiver the same
 * memory; posting an ArrayBuffer copies it, so datasets are `share()`d before workers
 * see them.
 */
import { FormatError, received } from '@tessera/core';

/** Element kinds a dataset buffer can hold. */
export type BufferKind = 'uint8' | 'int32' | 'float32';

/** The typed array for each kind. */
export interface BufferKindMap {
  uint8: Uint8Array;
  int32: Int32Array;
  float32: Float32Array;
}

/** Where one typed array lives: its memory, byte offset and element count. */
export interface BufferDescription {
  /** Element type of the view. */
  kind: BufferKind;
  /** The memory; a SharedArrayBuffer is shared when posted, an ArrayBuffer is copied. */
  buffer: SharedArrayBuffer | ArrayBuffer;
  /** Byte offset of the first element in `buffer`. */
  byteOffset: number;
  /** Number of elements. */
  length: number;
}

const BYTES: Record<BufferKind, number> = { uint8: 1, int32: 4, float32: 4 };

/** Allocates a zeroed typed array, in a SharedArrayBuffer when `shared`. */
export function allocate<K extends BufferKind>(
  kind: K,
  length: number,
  shared: boolean,
): BufferKindMap[K] {
  const bytes = length * BYTES[kind];
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return view(kind, buffer, 0, length);
}

/** A typed array of `kind` over existing memory (no copy). */
export function view<K extends BufferKind>(
  kind: K,
  buffer: SharedArrayBuffer | ArrayBuffer,
  byteOffset: number,
  length: number,
): BufferKindMap[K] {
  switch (kind) {
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, length) as BufferKindMap[K];
    case 'int32':
      return new Int32Array(buffer, byteOffset, length) as BufferKindMap[K];
    default:
      return new Float32Array(buffer, byteOffset, length) as BufferKindMap[K];
  }
}

/** The kind of a dataset typed array. */
export function kindOf(array: Uint8Array | Int32Array | Float32Array): BufferKind {
  if (array instanceof Uint8Array) return 'uint8';
  if (array instanceof Int32Array) return 'int32';
  return 'float32';
}

/** True when the array's memory is a SharedArrayBuffer. */
export function isShared(array: ArrayBufferView): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** A copy of `array` in memory of the requested kind (shared or not). */
export function copyInto<T extends Uint8Array | Int32Array | Float32Array>(
  array: T,
  shared: boolean,
): T {
  const out = allocate(kindOf(array), array.length, shared) as T;
  out.set(array);
  return out;
}

/** Describes a typed array without copying it. */
export function describeBuffer(array: Uint8Array | Int32Array | Float32Array): BufferDescription {
  return {
    kind: kindOf(array),
    buffer: array.buffer,
    byteOffset: array.byteOffset,
    length: array.length,
  };
}

/** Re-creates the typed array a description names, over the same memory. */
export function attachBuffer(
  description: BufferDescription,
  what: string,
): Uint8Array | Int32Array | Float32Array {
  const fail = (expected: string, name: string, value: unknown): never => {
    throw new FormatError(received(`Dataset.attach: ${what} ${expected}`, name, value));
  };
  if (description === null || typeof description !== 'object') {
    return fail('must be a buffer description object', what, description);
  }
  const { kind, buffer, byteOffset, length } = description;
  if (kind !== 'uint8' && kind !== 'int32' && kind !== 'float32') {
    return fail("kind must be 'uint8', 'int32' or 'float32'", 'kind', kind);
  }
  if (!(buffer instanceof SharedArrayBuffer || buffer instanceof ArrayBuffer)) {
    return fail('buffer must be a SharedArrayBuffer or ArrayBuffer', 'buffer', buffer);
  }
  const bytes = BYTES[kind];
  if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % bytes !== 0) {
    return fail(`byteOffset must be a non-negative multiple of ${bytes}`, 'byteOffset', byteOffset);
  }
  if (!Number.isInteger(length) || length < 0 || byteOffset + length * bytes > buffer.byteLength) {
    return fail(
      `length must fit in the buffer of ${buffer.byteLength} bytes from byteOffset ${byteOffset}`,
      'length',
      length,
    );
  }
  return view(kind, buffer, byteOffset, length);
}
