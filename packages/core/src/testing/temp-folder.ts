/**
 * A temporary folder for tests, removed by `cleanup()`: the one helper every package's
 * tests use (exported as `@tessera/core/testing`).
 *
 * ```ts
 * const tmp = tempFolder('tessera-csv-');
 * const path = tmp.file('a.csv', 'x,y\n1,2\n');
 * afterAll(() => tmp.cleanup());
 * ```
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempFolder {
  /** The folder's absolute path. */
  dir: string;
  /** Writes a file into the folder; returns its path. */
  file: (name: string, content: string | Uint8Array) => string;
  /** Removes the folder and everything in it. */
  cleanup: () => void;
}

/** A fresh folder under the OS temp dir whose name starts with `prefix`. */
export function tempFolder(prefix = 'tessera-test-'): TempFolder {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
