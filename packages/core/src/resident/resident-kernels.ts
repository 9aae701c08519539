/**
 * The resident step's kernels: one instance of the resident WebAssembly build per thread,
 * over a memory the caller provides — normally one shared `WebAssembly.Memory` that every
 * worker's instance imports, holding weights, gradient slots, optimizer state, the
 * dataset's compressed rows and each worker's own scratch. Pointers are byte offsets in
 * that memory. The layout (who owns which bytes) is the caller's; see
 * packages/layers/src/resident/ and the trainer's shared-state.ts.
 */
import { received, StateError, ValueError } from '../errors.js';
import { activeKernels } from '../kernels/register.js';
import { detectWasmFeatures, wasmModule } from '../kernels/wasm-module.js';
import { type WasmMemory, webAssembly } from '../kernels/webassembly.js';

/** Bytes of one WebAssembly page. */
export const WASM_PAGE = 65536;

/** Bytes at the start of a resident memory kept for the module's static data. */
export const RESIDENT_STATIC_BYTES = WASM_PAGE;

/** Activation codes of assembly/activation.ts. */
export const ActivationCode = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leaky_relu: 3,
  elu: 5,
  sigmoid: 6,
  tanh: 7,
  selu: 8,
  softplus: 9,
  softsign: 10,
  swish: 11,
  gelu: 12,
  gelu_tanh: 13,
  mish: 14,
  exponential: 15,
  hard_sigmoid: 16,
} as const;

/** Activations the GEMM and csrDense apply in their epilogue (their backward reads only y). */
export const EPILOGUE_CODES: ReadonlySet<number> = new Set([0, 1, 2, 3]);

interface Exports {
  memory: WasmMemory;
  heapBase(): number;
  contextBytes(): number;
  useContext(at: number): void;
  workspaceBytes(m: number, n: number, k: number): number;
  // biome-ignore format: one line per argument group reads best here
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: number, transB: number, bias: number, act: number, alpha: number, prelu: number, work: number): void;
  // biome-ignore format: as above
  csrDense(rowPtr: number, index: number, value: number, idx16: number, valU8: number, scaleAt: number, examples: number, count: number, w: number, bias: number, out: number, units: number, act: number, alpha: number, decoded: number): void;
  // biome-ignore format: as above
  csrDenseWeightGrad(rowPtr: number, index: number, value: number, idx16: number, valU8: number, scaleAt: number, examples: number, count: number, dz: number, units: number, rowFrom: number, rowTo: number, dw: number, decoded: number, readAhead: number): void;
  // biome-ignore format: as above
  decodeRows(rowPtr: number, index: number, value: number, idx16: number, valU8: number, scaleAt: number, examples: number, count: number, ld: number, starts: number, pairs: number): void;
  // biome-ignore format: as above
  csrDenseDecoded(starts: number, pairs: number, count: number, w: number, bias: number, out: number, units: number, ldo: number, act: number, alpha: number): void;
  // biome-ignore format: as above
  csrDenseWeightGradDecoded(starts: number, pairs: number, count: number, dz: number, units: number, ldz: number, dw: number, dwBytes: number): void;
  columnSums(src: number, rows: number, cols: number, dst: number): void;
  // biome-ignore format: as above
  compressRows(src: number, rows: number, features: number, srcU8: number, rowPtr: number, firstRow: number, index: number, idx16: number, value: number, at: number): number;
  packColumns(src: number, rows: number, cols: number, c0: number, c1: number, dst: number): void;
  placeColumns(
    src: number,
    rows: number,
    width: number,
    dst: number,
    cols: number,
    c0: number,
  ): void;
  accumulate(dst: number, src: number, n: number): void;
  activationForward(act: number, z: number, y: number, n: number, alpha: number): void;
  // biome-ignore format: as above
  activationBackward(act: number, z: number, y: number, dy: number, dz: number, n: number, alpha: number): void;
  softmaxRows(z: number, y: number, rows: number, cols: number, log: number): void;
  // biome-ignore format: as above
  softmaxRowsBackward(y: number, dy: number, dz: number, rows: number, cols: number, log: number): void;
  multiply(x: number, mask: number, y: number, n: number): void;
  maxoutForward(z: number, y: number, rows: number, units: number, pieces: number): void;
  // biome-ignore format: as above
  maxoutBackward(z: number, y: number, dy: number, dz: number, rows: number, units: number, pieces: number): void;
  copyBytes(dst: number, src: number, bytes: number): void;
  touchLines(at: number, bytes: number): void;
  sumSlots(dst: number, first: number, strideBytes: number, count: number, n: number): void;
  // biome-ignore format: as above
  adamSlots(p: number, first: number, strideBytes: number, count: number, m: number, v: number, vhat: number, n: number, alpha: number, c1: number, c2: number, eps: number, decay: number): void;
  // biome-ignore format: as above
  adamMoved(pIn: number, pOut: number, g: number, mIn: number, mOut: number, vIn: number, vOut: number, vhatIn: number, vhatOut: number, n: number, alpha: number, c1: number, c2: number, eps: number, decay: number): void;
  floorMoments(x: number, n: number): void;
}

/** The resident build that matches this thread's kernel choice, or null (js / tfjs kernels). */
function residentVariant(): 'resident-simd' | 'resident-relaxed' | null {
  const kind = activeKernels().kind;
  if (kind === 'wasm-relaxed') return 'resident-relaxed';
  if (kind === 'wasm-simd') return detectWasmFeatures().simd ? 'resident-simd' : null;
  return null;
}

/**
 * Whether this thread can run the resident step: it needs the WebAssembly kernels
 * (`TESSERA_KERNELS` js or tfjs ask for the tfjs path everywhere).
 */
export function residentKernelsAvailable(): boolean {
  return residentVariant() !== null;
}

/** A shared memory of at least `bytes` bytes that cannot grow (views over it stay valid). */
export function createResidentMemory(bytes: number): WasmMemory {
  const pages = Math.ceil(bytes / WASM_PAGE);
  try {
    return new webAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch (cause) {
    throw new ValueError(
      received(
        'resident step: could not allocate the shared WebAssembly memory (at most 4 GiB)',
        'bytes',
        bytes,
      ),
      { cause },
    );
  }
}

/**
 * The kernels over `memory`, with this instance's GEMM state in `contextBytes()` bytes
 * at `context` (distinct for every thread sharing the memory).
 *
 * ```ts
 * const memory = createResidentMemory(1 << 20);
 * const k = new ResidentKernels(memory, RESIDENT_STATIC_BYTES);
 * k.columnSums(src, rows, cols, dst);
 * ```
 */
export class ResidentKernels {
  readonly memory: WasmMemory;
  /** Every byte of the memory as floats and ints (the memory never grows). */
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  readonly variant: string;
  private readonly x: Exports;

  constructor(memory: WasmMemory, context: number) {
    const variant = residentVariant();
    if (variant === null) {
      throw new StateError(
        `resident step: needs the WebAssembly kernels. Received: kernels=${activeKernels().kind}`,
      );
    }
    this.variant = variant;
    this.memory = memory;
    const instance = new webAssembly.Instance(wasmModule(variant), { env: { memory } });
    this.x = instance.exports as unknown as Exports;
    if (this.x.heapBase() > RESIDENT_STATIC_BYTES) {
      throw new StateError('resident step: the module has more static data than reserved');
    }
    if (context % 16 !== 0 || context < RESIDENT_STATIC_BYTES) {
      throw new ValueError(received('ResidentKernels: bad context offset', 'context', context));
    }
    if (this.x.contextBytes() > ResidentKernels.contextBytes()) {
      throw new StateError('resident step: the GEMM context outgrew its reserved bytes');
    }
    this.x.useContext(context);
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Bytes of one thread's GEMM context. */
  static contextBytes(): number {
    // The same for every build; 256 covers the tile state and its edge block.
    return 256;
  }

  /** Scratch bytes one `gemm` call of this size needs. */
  workspaceBytes(m: number, n: number, k: number): number {
    return this.x.workspaceBytes(m, n, k);
  }

  /** Copies `bytes` bytes from `src` to `dst` inside the memory. */
  copy(dst: number, src: number, bytes: number): void {
    this.x.copyBytes(dst, src, bytes);
  }

  /** Raw exports for the planned step (its hot loop calls them without argument objects). */
  get raw(): Exports {
    return this.x;
  }
}

export type ResidentExports = Exports;

let probe: ResidentKernels | undefined;

/**
 * Scratch bytes a resident GEMM of this size needs, asked of an instance over a small
 * memory of its own (for sizing a layout before the real memory exists).
 */
export function residentWorkspaceBytes(m: number, n: number, k: number): number {
  probe ??= new ResidentKernels(createResidentMemory(2 * WASM_PAGE), RESIDENT_STATIC_BYTES);
  return probe.workspaceBytes(m, n, k);
}
