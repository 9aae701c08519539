// Compiles the AssemblyScript GEMM (assembly/index.ts) into two WebAssembly modules in
// vendor/: gemm-simd.wasm (SIMD128) and gemm-relaxed.wasm (SIMD128 + relaxed-SIMD fused
// multiply-add). src/kernels/wasm-engine.ts picks the best one the runtime validates.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'vendor');

const variants = [
  { file: 'gemm-simd.wasm', features: 'simd' },
  { file: 'gemm-relaxed.wasm', features: 'simd,relaxed-simd' },
];

await mkdir(outDir, { recursive: true });
for (const { file, features } of variants) {
  const { error, stderr } = await asc.main(
    [
      join(root, 'assembly', 'index.ts'),
      '--outFile',
      join(outDir, file),
      '--enable',
      features,
      '--runtime',
      'stub',
      '--optimizeLevel',
      '3',
      '--shrinkLevel',
      '0',
      '--noAssert',
    ],
    {},
  );
  const diagnostics = stderr.toString();
  if (error || diagnostics.trim() !== '') {
    process.stderr.write(diagnostics);
    throw new Error(`build-wasm: compiling ${file} failed${error ? `: ${error.message}` : ''}`);
  }
}
