import { afterAll, describe, expect, it } from 'vitest';
import { StateError, ValueError } from '../errors.js';
import { tf } from '../tf.js';
import {
  activeKernels,
  createGemmEngine,
  type GemmEngineKind,
  KERNEL_MODES,
  type KernelKind,
  type KernelMode,
  parseKernelMode,
  resolveKernelKind,
  useKernels,
} from './register.js';
import { detectWasmFeatures } from './wasm-module.js';

afterAll(() => {
  useKernels('auto');
});

describe('parseKernelMode', () => {
  it('reads every documented TESSERA_KERNELS value, unset meaning auto', () => {
    expect(parseKernelMode(undefined)).toBe('auto');
    expect(parseKernelMode('')).toBe('auto');
    for (const mode of KERNEL_MODES) expect(parseKernelMode(mode)).toBe(mode);
  });

  it('rejects anything else in the Keras error form', () => {
    expect(() => parseKernelMode('gpu')).toThrow(ValueError);
    expect(() => parseKernelMode('gpu')).toThrow(
      'TESSERA_KERNELS must be one of auto, wasm, wasm-relaxed, wasm-simd, js, tfjs. Received: TESSERA_KERNELS="gpu"',
    );
  });
});

describe('resolveKernelKind', () => {
  const all = { simd: true, relaxedSimd: true };
  const simdOnly = { simd: true, relaxedSimd: false };
  const none = { simd: false, relaxedSimd: false };
  const table: Array<[KernelMode, typeof all, KernelKind]> = [
    ['auto', all, 'wasm-relaxed'],
    ['auto', simdOnly, 'wasm-simd'],
    ['auto', none, 'js'],
    ['wasm', all, 'wasm-relaxed'],
    ['wasm', simdOnly, 'wasm-simd'],
    ['wasm-simd', all, 'wasm-simd'],
    ['wasm-relaxed', all, 'wasm-relaxed'],
    ['js', all, 'js'],
    ['tfjs', none, 'tfjs'],
  ];
  it.each(table)('%s with %o gives %s', (mode, features, kind) => {
    expect(resolveKernelKind(mode, features)).toBe(kind);
  });

  it('falls back to JS without SIMD only when asked for auto; explicit wasm fails', () => {
    expect(() => resolveKernelKind('wasm', none)).toThrow(StateError);
    expect(() => resolveKernelKind('wasm-simd', none)).toThrow(/need WebAssembly SIMD/);
    expect(() => resolveKernelKind('wasm-relaxed', simdOnly)).toThrow(/relaxed SIMD/);
  });
});

describe('useKernels', () => {
  const kernel = () => tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc;
  const fused = () => tf.getKernel('_FusedMatMul', 'cpu')!.kernelFunc;

  it('is in effect after import: auto picks the fastest kernels this runtime has', () => {
    const features = detectWasmFeatures();
    const info = activeKernels();
    // The suite may be run with TESSERA_KERNELS set; the choice must follow from it.
    const mode = parseKernelMode(process.env['TESSERA_KERNELS']);
    expect(info.mode).toBe(mode);
    expect(info.kind).toBe(resolveKernelKind(mode, features));
    const fromEnv = process.env['TESSERA_KERNELS'];
    expect(info.source).toBe(
      fromEnv === undefined || fromEnv === '' ? 'default' : 'TESSERA_KERNELS',
    );
  });

  it('replaces both kernels and switches back to the tfjs originals', () => {
    useKernels('tfjs');
    const originals = [kernel(), fused()];
    expect(activeKernels()).toMatchObject({ mode: 'tfjs', kind: 'tfjs', features: null });
    useKernels('js');
    expect(kernel()).not.toBe(originals[0]);
    expect(fused()).not.toBe(originals[1]);
    expect(activeKernels().kind).toBe('js');
    useKernels('tfjs');
    expect([kernel(), fused()]).toEqual(originals);
  });

  it('gives the same products under every kernel choice', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, -1, 2, 0, 0.5, 1], [3, 2]);
    const kinds: KernelMode[] = detectWasmFeatures().simd
      ? ['tfjs', 'js', 'wasm-simd', 'auto']
      : ['tfjs', 'js'];
    for (const mode of kinds) {
      useKernels(mode);
      // [1 2 3; 4 5 6] · [1 -1; 2 0; 0.5 1] = [6.5 2; 17 2]
      expect(Array.from(tf.tidy(() => tf.matMul(a, b)).dataSync()), mode).toEqual([6.5, 2, 17, 2]);
    }
    tf.dispose([a, b]);
  });

  it('rejects an unknown mode', () => {
    expect(() => useKernels('gpu' as KernelMode)).toThrow(ValueError);
  });
});

describe('createGemmEngine', () => {
  const features = detectWasmFeatures();
  const kinds: Array<[GemmEngineKind, boolean]> = [
    ['js', true],
    ['wasm-simd', features.simd],
    ['wasm-relaxed', features.relaxedSimd],
  ];
  it.each(kinds)('makes a %s engine that multiplies Float32Arrays', (kind, available) => {
    if (!available) {
      expect(() => createGemmEngine(kind)).toThrow(StateError);
      return;
    }
    const engine = createGemmEngine(kind);
    expect(engine.name).toBe(kind);
    const c = engine.run({
      a: Float32Array.from([1, 2, 3, 4, 5, 6]),
      b: Float32Array.from([1, -1, 2, 0, 0.5, 1]),
      ...{ m: 2, n: 2, k: 3, transposeA: false, transposeB: false },
      ...{ aIndex: Int32Array.of(0), bIndex: Int32Array.of(0), bias: Float32Array.from([1, 2]) },
      ...{ activation: 'linear', leakyreluAlpha: 0, preluWeights: null },
    });
    expect(Array.from(c)).toEqual([7.5, 4, 18, 4]);
  });
});
