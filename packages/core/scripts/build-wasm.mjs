// Compiles the AssemblyScript kernels (assembly/index.ts) into WebAssembly modules in
// vendor/: gemm-simd.wasm (SIMD128) and gemm-relaxed.wasm (SIMD128 + relaxed-SIMD fused
// multiply-add), each with its own memory, for the tfjs kernels (src/kernels/wasm-engine.ts
// picks the best one the runtime validates); and the same code as resident-*.wasm, which
// import a shared memory, for the resident training step (src/resident/).
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'vendor');

// The resident builds import one shared memory (every worker thread's instance the same
// one), so weights, gradients and optimizer state are used in place by all of them.
const SHARED = [
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '65536',
];
const variants = [
  { file: 'gemm-simd.wasm', features: 'simd', memory: [] },
  { file: 'gemm-relaxed.wasm', features: 'simd,relaxed-simd', memory: [] },
  { file: 'resident-simd.wasm', features: 'simd,threads', memory: SHARED },
  { file: 'resident-relaxed.wasm', features: 'simd,relaxed-simd,threads', memory: SHARED },
];

await mkdir(outDir, { recursive: true });
for (const { file, features, memory } of variants) {
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
      ...memory,
    ],
    {},
  );
  const diagnostics = stderr.toString();
  if (error || diagnostics.trim() !== '') {
    process.stderr.write(diagnostics);
    throw new Error(`build-wasm: compiling ${file} failed${error ? `: ${error.message}` : ''}`);
  }
}
