import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tf } from '../tf.js';
import { JsGemmEngine } from './js-engine.js';
import { getKernels, type KernelMode, setKernels } from './register.js';
import { WasmGemmEngine } from './wasm-engine.js';
import { detectWasmFeatures, v8FlagsSet } from './wasm-module.js';

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  setKernels('auto');
});

/** Which GEMM engine runs tf.matMul and tf.fused.matMul, by counting calls to each. */
function dispatched(): { wasm: number; js: number } {
  const wasm = vi.spyOn(WasmGemmEngine.prototype, 'run');
  const js = vi.spyOn(JsGemmEngine.prototype, 'run');
  tf.tidy(() => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const c = tf.matMul(a, b);
    expect(Array.from(c.dataSync())).toEqual([4, 5, 10, 11]);
    const d = tf.fused.matMul({ a, b, bias: tf.tensor1d([1, -20]), activation: 'relu' });
    expect(Array.from(d.dataSync())).toEqual([5, 0, 11, 0]);
  });
  return { wasm: wasm.mock.calls.length, js: js.mock.calls.length };
}

const simd = detectWasmFeatures().simd;

describe('setKernels / getKernels: one explicit kernel setting', () => {
  it("'tfjs' means tfjs-backend-cpu's own kernels: no Tessera GEMM runs, updates in JavaScript", () => {
    const info = setKernels('tfjs');
    expect(info).toMatchObject({ mode: 'tfjs', kind: 'tfjs', source: 'setKernels', update: 'js' });
    expect(getKernels()).toEqual(info);
    expect(dispatched()).toEqual({ wasm: 0, js: 0 });
  });

  it("'js' dispatches matMul and fused matMul to the JavaScript engine", () => {
    expect(setKernels('js')).toMatchObject({ kind: 'js', update: 'js' });
    expect(dispatched()).toEqual({ wasm: 0, js: 2 });
  });

  it.skipIf(!simd)(
    "'wasm' dispatches to the WebAssembly engine, and Adam updates in WebAssembly",
    () => {
      const info = setKernels('wasm');
      expect(info.kind).toMatch(/^wasm-/);
      expect(info.update).toBe('wasm');
      expect(dispatched()).toEqual({ wasm: 2, js: 0 });
    },
  );

  it('reports every V8 flag it switched on, and only the relaxed-SIMD one', () => {
    setKernels('auto');
    const flags = getKernels().v8Flags;
    expect(flags).toEqual(v8FlagsSet());
    for (const flag of flags) expect(flag).toBe('--experimental-wasm-relaxed-simd');
  });

  it('rejects an unknown mode in the Keras form and keeps the setting', () => {
    setKernels('js');
    expect(() => setKernels('gpu' as KernelMode)).toThrow(
      'TESSERA_KERNELS must be one of auto, wasm, wasm-relaxed, wasm-simd, js, tfjs. Received: TESSERA_KERNELS="gpu"',
    );
    expect(getKernels().kind).toBe('js');
  });
});
