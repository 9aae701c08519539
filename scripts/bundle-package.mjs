// Bundles a package's compiled modules (dist/, from tsc) into dist/bundle/: one file per
// entry point and the chunks the entries share. The package's `exports` point there, so a
// process — and each worker thread of a training run — loads a package as a few files
// instead of one per source file: Node's ESM loader resolves, reads and compiles every file
// on its own, and for the trainer's worker that was most of the 300–600 ms a thread took to
// start. Other packages (@tessera/* included) stay imports, so each package still exists
// once in a thread: a user's module that imports @tessera/layers gets the same copy (and
// the same registries) as the trainer's worker.
//
// Usage, from a package folder after tsc: node ../../scripts/bundle-package.mjs index=index.js testing=testing/index.js
// writes dist/bundle/index.js from dist/index.js and dist/bundle/testing.js from dist/testing/index.js.
// dist/bundle/ is two folders below the package root, like dist/<folder>/, so files found
// relative to a module's own URL (core's vendor/ kernels) are found from either.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const entries = process.argv.slice(2).map((arg) => {
  const match = /^([\w-]+)=([\w./-]+\.js)$/.exec(arg);
  if (match === null) {
    throw new Error(`bundle-package: expected name=path.js (a file in dist/). Received: ${arg}`);
  }
  return { out: match[1], in: `dist/${match[2]}` };
});
if (entries.length === 0) throw new Error('bundle-package: name at least one entry point');

await rm('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: entries,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every bare import (node:, npm packages, the other @tessera packages) stays an import.
  packages: 'external',
  outdir: 'dist/bundle',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  logLevel: 'warning',
  // tfjs (vendor/tfjs.js, in core's bundle) tests `x === -0` on purpose.
  logOverride: { 'equals-negative-zero': 'silent' },
});
