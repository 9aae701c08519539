/**
 * Optimizer update rules over flat Float32Arrays, for @tessera/layers' optimizers: Adam
 * (with decoupled weight decay and AMSGrad) in WebAssembly f64x2 when the matMul kernels
 * are WebAssembly ones, else the same loop in JavaScript.
 *
 * Both compute every element in float64 from its own float32 param, gradient and moments
 * and store float32; IEEE float64 arithmetic is correctly rounded in both, so they give
 * the same bits (tested), and updating [0, k) then [k, n) equals updating [0, n). Adam
 * over 100k parameters is bound by float64 sqrt and division; two lanes at a time halve
 * that. The arrays (often shared between threads) are copied through the module's memory
 * in chunks that stay in cache.
 */
import { StateError } from '../errors.js';
import { updateLoop } from './register.js';
import { wasmModule } from './wasm-module.js';
import { type WasmMemory, webAssembly } from './webassembly.js';

/** One Adam update over [start, end). */
export interface AdamStepArgs {
  /** Parameters, updated in place. */
  params: Float32Array;
  /** Gradients. */
  grads: Float32Array;
  /** First moments, updated in place. */
  m: Float32Array;
  /** Second moments, updated in place. */
  v: Float32Array;
  /** AMSGrad's running maximum of v (updated in place), or null without AMSGrad. */
  vhat: Float32Array | null;
  /** First index. */
  start: number;
  /** One past the last index. */
  end: number;
  /** Step size of this iteration: lr·sqrt(1 - β2^t) / (1 - β1^t). */
  alpha: number;
  /** 1 - β1. */
  oneMinusBeta1: number;
  /** 1 - β2. */
  oneMinusBeta2: number;
  /** Added to the square root in the denominator. */
  epsilon: number;
  /** Decoupled weight decay factor weightDecay·lr (0 for none), applied first. */
  decay: number;
}

/** The module's update export (see assembly/update.ts). */
interface UpdateExports {
  memory: WasmMemory;
  heapBase(): number;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    vhat: number,
    n: number,
    alpha: number,
    c1: number,
    c2: number,
    eps: number,
    decay: number,
  ): void;
}

/** Elements per chunk: five 16 KiB arrays stay in L1/L2 between copy-in, update and copy-out. */
const CHUNK = 4096;
const PAGE = 65536;

let instance: { exports: UpdateExports; heap: Float32Array; base: number } | null = null;

function wasm(): { exports: UpdateExports; heap: Float32Array; base: number } {
  if (instance !== null) return instance;
  const created = new webAssembly.Instance(wasmModule('simd'), {
    env: {
      abort: () => {
        throw new StateError('The update module aborted');
      },
    },
  });
  const exports = created.exports as unknown as UpdateExports;
  const base = Math.ceil(exports.heapBase() / 64) * 64;
  const need = base + 5 * CHUNK * 4;
  const have = exports.memory.buffer.byteLength;
  if (have < need) exports.memory.grow(Math.ceil((need - have) / PAGE));
  instance = { exports, heap: new Float32Array(exports.memory.buffer), base: base / 4 };
  return instance;
}

/** Adam in JavaScript: the reference the WebAssembly loop reproduces bit for bit. */
export function adamStepJs(a: AdamStepArgs): void {
  const { params, grads, m, v, vhat, alpha, epsilon: eps, decay } = a;
  const c1 = a.oneMinusBeta1;
  const c2 = a.oneMinusBeta2;
  for (let i = a.start; i < a.end; i++) {
    let w = params[i]!;
    if (decay !== 0) w -= w * decay;
    const g = grads[i]!;
    const mi = m[i]!;
    const vi = v[i]!;
    const mNew = mi + (g - mi) * c1;
    const vNew = vi + (g * g - vi) * c2;
    let base = vNew;
    if (vhat !== null) {
      base = Math.max(vhat[i]!, vNew);
      vhat[i] = base;
    }
    m[i] = mNew;
    v[i] = vNew;
    params[i] = w - (mNew * alpha) / (Math.sqrt(base) + eps);
  }
}

/** Adam in WebAssembly f64x2, chunk by chunk through the module's memory. */
export function adamStepWasm(a: AdamStepArgs): void {
  const { exports, heap, base } = wasm();
  const [p, g, m, v, h] = [
    base,
    base + CHUNK,
    base + 2 * CHUNK,
    base + 3 * CHUNK,
    base + 4 * CHUNK,
  ];
  for (let s = a.start; s < a.end; s += CHUNK) {
    const e = Math.min(a.end, s + CHUNK);
    const n = e - s;
    heap.set(a.params.subarray(s, e), p);
    heap.set(a.grads.subarray(s, e), g);
    heap.set(a.m.subarray(s, e), m);
    heap.set(a.v.subarray(s, e), v);
    if (a.vhat !== null) heap.set(a.vhat.subarray(s, e), h);
    exports.adam(
      p * 4,
      g * 4,
      m * 4,
      v * 4,
      a.vhat === null ? 0 : h * 4,
      n,
      a.alpha,
      a.oneMinusBeta1,
      a.oneMinusBeta2,
      a.epsilon,
      a.decay,
    );
    a.params.set(heap.subarray(p, p + n), s);
    a.m.set(heap.subarray(m, m + n), s);
    a.v.set(heap.subarray(v, v + n), s);
    if (a.vhat !== null) a.vhat.set(heap.subarray(h, h + n), s);
  }
}

/**
 * One Adam update in place over [start, end): in the loop this thread's kernel setting
 * names (`getKernels().update`: WebAssembly with WebAssembly kernels, JavaScript with 'js'
 * and 'tfjs'); the same bits either way.
 *
 * ```ts
 * adamStep({ params, grads, m, v, vhat: null, start: 0, end: params.length,
 *   alpha, oneMinusBeta1: 0.1, oneMinusBeta2: 0.001, epsilon: 1e-7, decay: 0 });
 * ```
 */
export function adamStep(args: AdamStepArgs): void {
  if (updateLoop() === 'wasm') adamStepWasm(args);
  else adamStepJs(args);
}
