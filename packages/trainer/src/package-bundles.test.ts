import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerEntry } from './pool.js';

// Each package is imported as its bundle (scripts/bundle-package.mjs): a few files, so the
// trainer's worker threads start in about half the time. These tests read the built
// packages (turbo builds them before the tests).
const require = createRequire(import.meta.url);
const PACKAGES = ['@tessera/core', '@tessera/datasets', '@tessera/layers', '@tessera/trainer'];

/** The relative specifiers a bundle file imports (static and dynamic). */
function relativeImports(source: string): string[] {
  const found = [
    ...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)"(\.{1,2}\/[^"]+)"/g),
  ];
  return found.map((m) => m[1]!);
}

describe('package bundles', () => {
  it.each(PACKAGES)('%s resolves to its bundle, whose files import only each other', (name) => {
    const entry = require.resolve(name);
    expect(entry.endsWith(join('dist', 'bundle', 'index.js'))).toBe(true);
    const folder = dirname(entry);
    const files = readdirSync(folder).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(6);
    for (const file of files) {
      for (const spec of relativeImports(readFileSync(join(folder, file), 'utf8'))) {
        // Nothing reaches into the per-file build (dist/*.js): that would load a second
        // copy of the package's modules (two registries) beside the bundle's.
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[\w-]+\.js$/);
        expect(existsSync(join(folder, spec)), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it("the trainer's bundle starts its worker threads on the bundled worker", () => {
    const folder = dirname(require.resolve('@tessera/trainer'));
    const fromBundle = workerEntry(pathToFileURL(join(folder, 'index.js')).href);
    expect(fromBundle).toBe(join(folder, 'worker.js'));
    expect(existsSync(fromBundle)).toBe(true);
  });

  it('finds relative specifiers of every import form', () => {
    const source =
      'import { a } from "./chunk-AB12.js";\nimport "./side.js";\nconst m = await import("./lazy.js");\nimport x from "@tessera/core";';
    expect(relativeImports(source)).toEqual(['./chunk-AB12.js', './side.js', './lazy.js']);
  });
});
