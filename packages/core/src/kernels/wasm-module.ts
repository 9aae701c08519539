/**
 * Finds, validates and compiles the GEMM WebAssembly modules that `npm run build`
 * (scripts/build-wasm.mjs) writes to vendor/. Compilation is synchronous so that
 * `import '@tessera/core'` stays synchronous; each thread compiles its own copy.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { IOError } from '../errors.js';
import { type WasmModule, webAssembly } from './webassembly.js';

/**
 * The builds of assembly/index.ts: plain SIMD128, and SIMD128 + relaxed-SIMD FMA, each with
 * its own memory; and the same two importing a shared memory (the resident step's).
 */
export type WasmVariant = 'simd' | 'relaxed' | 'resident-simd' | 'resident-relaxed';

/** What this runtime can run. */
export interface WasmFeatures {
  /** WebAssembly SIMD128 validates. */
  simd: boolean;
  /** Relaxed SIMD validates (possibly after enabling V8's experimental flag). */
  relaxedSimd: boolean;
}

const FILES: Record<WasmVariant, string> = {
  simd: 'gemm-simd.wasm',
  relaxed: 'gemm-relaxed.wasm',
  'resident-simd': 'resident-simd.wasm',
  'resident-relaxed': 'resident-relaxed.wasm',
};

// src/kernels/ and dist/kernels/ are both two levels below the package root.
const VENDOR = new URL('../../vendor/', import.meta.url);

const bytesCache = new Map<WasmVariant, Uint8Array>();
const moduleCache = new Map<WasmVariant, WasmModule>();
let features: WasmFeatures | null = null;
/** V8 flags this module switched on (none unless relaxed SIMD needed one). */
const flagsSet: string[] = [];

/** The V8 flags Tessera switched on at run time in this process, in order (see `getKernels()`). */
export function v8FlagsSet(): readonly string[] {
  return [...flagsSet];
}

/** Path of a variant's .wasm file. */
export function wasmPath(variant: WasmVariant): string {
  return fileURLToPath(new URL(FILES[variant], VENDOR));
}

/** The bytes of a variant's module; an IOError says how to build it when it is missing. */
export function wasmBytes(variant: WasmVariant): Uint8Array {
  const cached = bytesCache.get(variant);
  if (cached !== undefined) return cached;
  const path = wasmPath(variant);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new IOError(
      `The GEMM kernels are not built: run \`npm run build -w @tessera/core\`. Received: path=${path}`,
      { cause },
    );
  }
  bytesCache.set(variant, bytes);
  return bytes;
}

/**
 * Which features this runtime supports, by validating the built modules themselves.
 * Node 20 ships relaxed SIMD behind `--experimental-wasm-relaxed-simd`; when the relaxed
 * module does not validate, the flag is set at run time (before anything is compiled
 * with it) and validation is tried once more. The flag is recorded: `v8FlagsSet()` and
 * `getKernels().v8Flags` report it. Only WebAssembly kernel modes look ('js' and 'tfjs'
 * never set it).
 */
export function detectWasmFeatures(): WasmFeatures {
  if (features !== null) return features;
  const simd = webAssembly.validate(wasmBytes('simd'));
  let relaxedSimd = false;
  if (simd) {
    const relaxed = wasmBytes('relaxed');
    relaxedSimd = webAssembly.validate(relaxed);
    if (!relaxedSimd) {
      const flag = '--experimental-wasm-relaxed-simd';
      setFlagsFromString(flag);
      flagsSet.push(flag);
      relaxedSimd = webAssembly.validate(relaxed);
    }
  }
  features = { simd, relaxedSimd };
  return features;
}

/** The compiled module of a variant (compiled once per thread). */
export function wasmModule(variant: WasmVariant): WasmModule {
  const cached = moduleCache.get(variant);
  if (cached !== undefined) return cached;
  const compiled = new webAssembly.Module(wasmBytes(variant));
  moduleCache.set(variant, compiled);
  return compiled;
}
