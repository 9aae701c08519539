/**
 * Test helpers: a scratch folder per test file, and IDX bytes assembled by hand (from the
 * format's definition, not from the reader under test).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh folder under the OS temp dir, and a function that removes it. */
export function scratchDir(): {
  dir: string;
  file: (name: string, content: string | Uint8Array) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-datasets-'));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

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
