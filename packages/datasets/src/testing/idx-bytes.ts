/**
 * Test helpers: IDX bytes assembled by hand (from the format's definition, not from the
 * reader under test). Scratch folders come from `@tessera/core/testing`'s `tempFolder`.
 */
import { gzipSync } from 'node:zlib';

/** IDX bytes: big-endian magic and dimensions, then the payload as given. */
export function idxBytes(
  magic: number,
  dims: readonly number[],
  payload: ArrayLike<number>,
): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(Array.from(payload), 4 + 4 * dims.length);
  return out;
}

/** Gzip-compressed copy of `bytes`. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}
