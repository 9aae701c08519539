/**
 * The WebAssembly SIMD GEMM engine: copies the operands into the module's linear memory,
 * runs assembly/index.ts's `gemm` once per output matrix and copies the result out.
 * Linear memory grows to the largest problem seen and is reused; it never shrinks.
 */
import { StateError } from '../errors.js';
import type { FusedActivation, GemmEngine, GemmProblem } from './gemm-problem.js';
import { applyActivationInPlace } from './js-activation.js';
import { type WasmVariant, wasmModule } from './wasm-module.js';
import { type WasmMemory, webAssembly } from './webassembly.js';

/** Activation codes of assembly/activation.ts. */
const ACTIVATION_CODES: Record<FusedActivation, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  prelu: 4,
  elu: 5,
  sigmoid: 6,
};

/** The module's exports (see assembly/index.ts); booleans are passed as 0/1. */
interface GemmExports {
  memory: WasmMemory;
  heapBase(): number;
  workspaceBytes(m: number, n: number, k: number): number;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    bias: number,
    act: number,
    alpha: number,
    preluWeights: number,
    work: number,
  ): void;
}

const PAGE = 65536;

/** The result when k = 0: every output element is its bias (or 0), then the activation. */
function emptySum(p: GemmProblem, outLength: number): Float32Array {
  const out = new Float32Array(outLength);
  if (p.bias !== null) {
    for (let row = 0; row < outLength; row += p.n) out.set(p.bias.subarray(0, p.n), row);
  }
  applyActivationInPlace(out, {
    n: p.n,
    activation: p.activation,
    leakyreluAlpha: p.leakyreluAlpha,
    preluWeights: p.preluWeights,
  });
  return out;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** GEMM in WebAssembly SIMD128 (`'simd'`) or with relaxed-SIMD FMA (`'relaxed'`). */
export class WasmGemmEngine implements GemmEngine {
  readonly name: string;
  private readonly exports: GemmExports;
  private heap: Float32Array;
  private readonly base: number;

  /** Instantiates a variant; its module must validate on this runtime (see detectWasmFeatures). */
  constructor(variant: WasmVariant) {
    this.name = `wasm-${variant}`;
    const instance = new webAssembly.Instance(wasmModule(variant), {
      env: {
        abort: () => {
          throw new StateError(`The ${this.name} GEMM module aborted`);
        },
      },
    });
    this.exports = instance.exports as unknown as GemmExports;
    this.base = align(this.exports.heapBase());
    this.heap = new Float32Array(this.exports.memory.buffer);
  }

  /** Makes linear memory at least `bytes` long and refreshes the view after growth. */
  private reserve(bytes: number): void {
    const memory = this.exports.memory;
    const have = memory.buffer.byteLength;
    if (have < bytes) {
      try {
        memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch (cause) {
        throw new StateError(
          `${this.name}: matMul needs ${bytes} bytes of WebAssembly memory, more than it can grow to. Received: bytes=${bytes}`,
          { cause },
        );
      }
    }
    if (this.heap.buffer !== memory.buffer) this.heap = new Float32Array(memory.buffer);
  }

  run(p: GemmProblem): Float32Array {
    const { m, n, k } = p;
    const count = p.aIndex.length;
    const outLength = count * m * n;
    if (outLength === 0) return new Float32Array(0);
    if (k === 0) return emptySum(p, outLength);
    const ex = this.exports;
    const aOff = this.base;
    const bOff = align(aOff + p.a.length * 4);
    const biasOff = align(bOff + p.b.length * 4);
    const preluOff = align(biasOff + (p.bias !== null ? n * 4 : 0));
    const cOff = align(preluOff + (p.preluWeights !== null ? n * 4 : 0));
    const workOff = align(cOff + outLength * 4);
    this.reserve(workOff + ex.workspaceBytes(m, n, k));

    const heap = this.heap;
    heap.set(p.a, aOff / 4);
    heap.set(p.b, bOff / 4);
    if (p.bias !== null) heap.set(p.bias.subarray(0, n), biasOff / 4);
    if (p.preluWeights !== null) heap.set(p.preluWeights.subarray(0, n), preluOff / 4);

    const act = ACTIVATION_CODES[p.activation];
    const aSize = m * k * 4;
    const bSize = k * n * 4;
    const cSize = m * n * 4;
    for (let index = 0; index < count; index++) {
      ex.gemm(
        aOff + p.aIndex[index]! * aSize,
        bOff + p.bIndex[index]! * bSize,
        cOff + index * cSize,
        m,
        n,
        k,
        p.transposeA ? 1 : 0,
        p.transposeB ? 1 : 0,
        p.bias !== null ? biasOff : 0,
        act,
        p.leakyreluAlpha,
        p.preluWeights !== null ? preluOff : 0,
        workOff,
      );
    }
    return heap.slice(cOff / 4, cOff / 4 + outLength);
  }
}
