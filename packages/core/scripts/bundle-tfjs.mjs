// Builds vendor/tfjs.js: one ESM copy of tfjs-core with every gradient and chained op
// (x.mul(y)) registered, and the
// cpu backend's kernels, so `tf.grads` works in Node. tfjs-core's Node entry leaves the
// gradients out, and its ESM files use extension-less imports Node cannot load; esbuild
// resolves those at build time. tfjs-backend-cpu is bundled against the same tfjs-core
// copy, so there is exactly one engine, one kernel registry and one gradient registry.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'vendor');
const require = createRequire(import.meta.url);
const coreDist = dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
const cpuDist = dirname(require.resolve('@tensorflow/tfjs-backend-cpu/package.json'));

const entry = `
export * from ${JSON.stringify(join(coreDist, 'dist/index.js'))};
import ${JSON.stringify(join(coreDist, 'dist/register_all_gradients.js'))};
import ${JSON.stringify(join(coreDist, 'dist/public/chained_ops/register_all_chained_ops.js'))};
export * as cpu from ${JSON.stringify(join(cpuDist, 'dist/index.js'))};
`;

/** Points every import of tfjs-core (bare or deep) at its ESM sources. */
const oneCore = {
  name: 'one-tfjs-core',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core(\/.*)?$/ }, (args) => {
      const sub = args.path.slice('@tensorflow/tfjs-core'.length).replace(/^\//, '');
      const target = sub === '' ? 'dist/index.js' : sub.endsWith('.js') ? sub : `${sub}.js`;
      return { path: join(coreDist, target) };
    });
  },
};

await mkdir(outDir, { recursive: true });
await build({
  stdin: { contents: entry, resolveDir: here, loader: 'js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: join(outDir, 'tfjs.js'),
  plugins: [oneCore],
  logLevel: 'warning',
  legalComments: 'none',
  // tfjs-core's Node platform calls require('util'); give the ESM bundle a real require.
  banner: {
    js: "import { createRequire as __tesseraCreateRequire } from 'node:module';\nconst require = __tesseraCreateRequire(import.meta.url);",
  },
});
await writeFile(
  join(outDir, 'tfjs.d.ts'),
  "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';\nexport * from '@tensorflow/tfjs-core';\nexport * as cpu from '@tensorflow/tfjs-backend-cpu';\n",
);
