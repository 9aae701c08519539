/**
 * MessagePack encoding that keeps typed arrays typed (msgpackr with `moreTypes`).
 * Views over a SharedArrayBuffer are copied into plain memory first: msgpackr would
 * otherwise encode a bare SharedArrayBuffer as `{}`.
 */
import { createRequire } from 'node:module';
import type { Packr } from 'msgpackr';
import { FormatError } from './errors.js';

// msgpackr (and its native extension) loads on first use, not with the package: the
// worker threads of `fit` import @tessera/core and never encode (it took 30–40 ms of a
// thread's start-up).
let packr: Packr | undefined;

function codec(): Packr {
  if (packr === undefined) {
    const msgpackr = createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr');
    packr = new msgpackr.Packr({ moreTypes: true, useRecords: false, structuredClone: false });
  }
  return packr;
}

function unshare(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof SharedArrayBuffer) {
      if (value instanceof DataView) {
        return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
      }
      return (value as unknown as { slice(): unknown }).slice();
    }
    return value;
  }
  if (value instanceof SharedArrayBuffer) {
    return new Uint8Array(value).slice().buffer;
  }
  if (Array.isArray(value)) return value.map(unshare);
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unshare(v);
    return out;
  }
  return value;
}

/** Encodes a value (objects, arrays, numbers, strings, typed arrays) to bytes. */
export function encode(value: unknown): Uint8Array {
  return codec().pack(unshare(value));
}

/** Decodes bytes made by `encode`. */
export function decode<T = unknown>(bytes: Uint8Array): T {
  try {
    return codec().unpack(bytes) as T;
  } catch (cause) {
    throw new FormatError(`codec: bytes are not valid MessagePack (${(cause as Error).message})`, {
      cause,
    });
  }
}
