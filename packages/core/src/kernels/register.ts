/**
 * Chooses the matMul kernels of the cpu backend and registers them as `BatchMatMul` and
 * `_FusedMatMul`, replacing tfjs-backend-cpu's, so every layer and every gradient (tfjs's
 * matMul gradients call BatchMatMul with transpose flags) runs on them. Alongside, the
 * elementwise binary ops, `Sum`, `Mean` and `Softmax` get fast float32 paths (bitwise
 * tfjs's results), and the fused ops `fusedDense` and `categoricalCrossentropy` register
 * their kernels and gradients.
 *
 * The kernels are one explicit setting per thread: `setKernels(mode)` chooses them and
 * `getKernels()` says what runs, where the choice came from, which loop Adam's update uses
 * and which V8 flags were switched on. Modes: `auto` (fastest available), `wasm`,
 * `wasm-relaxed`, `wasm-simd`, `js` (pure-JS fallback) or `tfjs` (tfjs-backend-cpu's own
 * kernels for everything, and no WebAssembly anywhere). Until `setKernels` is called, the
 * setting is the environment variable `TESSERA_KERNELS` (unset: `auto`), applied when
 * `@tessera/core` is imported. README.md beside this file has the table.
 *
 * Relaxed SIMD results may differ from SIMD128 in the last bit (fused multiply-add), never
 * between runs on one machine.
 */
import type { KernelConfig, KernelFunc } from '../../vendor/tfjs.js';
import { received, StateError, ValueError } from '../errors.js';
import { tf } from '../tf.js';
import { BINARY_KERNEL_NAMES, type BinaryKernelName, binaryKernel } from './binary-kernels.js';
import { registerCrossentropyOp } from './crossentropy-op.js';
import { registerDenseOp } from './dense-op.js';
import type { GemmEngine } from './gemm-problem.js';
import { JsGemmEngine } from './js-engine.js';
import { batchMatMulKernel, fusedMatMulKernel } from './matmul-kernels.js';
import { meanKernel, sumKernel } from './reduce-kernels.js';
import { softmaxKernel } from './softmax.js';
import { WasmGemmEngine } from './wasm-engine.js';
import { detectWasmFeatures, v8FlagsSet, type WasmFeatures } from './wasm-module.js';

/** A request for kernels, as in `TESSERA_KERNELS`. */
export type KernelMode = 'auto' | 'wasm' | 'wasm-relaxed' | 'wasm-simd' | 'js' | 'tfjs';

/** The kernels actually registered. */
export type KernelKind = 'wasm-relaxed' | 'wasm-simd' | 'js' | 'tfjs';

/** Every {@link KernelMode}. */
export const KERNEL_MODES: readonly KernelMode[] = [
  'auto',
  'wasm',
  'wasm-relaxed',
  'wasm-simd',
  'js',
  'tfjs',
];

/** Where the kernel setting came from. */
export type KernelsSource = 'default' | 'TESSERA_KERNELS' | 'setKernels';

/** The kernel setting of this thread, as `getKernels()` reports it. */
export interface KernelsInfo {
  /** What was asked for. */
  mode: KernelMode;
  /** What is registered. */
  kind: KernelKind;
  /** The WebAssembly features found (null when the mode did not need to look). */
  features: WasmFeatures | null;
  /** Who chose: the default ('auto'), the `TESSERA_KERNELS` variable at import, or a `setKernels` call. */
  source: KernelsSource;
  /** The loop optimizer updates (`adamStep`) run: WebAssembly only with WebAssembly kernels. */
  update: 'wasm' | 'js';
  /** V8 flags Tessera switched on in this process to run the kernels (e.g. relaxed SIMD on Node 20). */
  v8Flags: readonly string[];
}

/** Reads a `TESSERA_KERNELS` value (undefined or empty means 'auto'). */
export function parseKernelMode(value: string | undefined): KernelMode {
  if (value === undefined || value === '') return 'auto';
  if ((KERNEL_MODES as readonly string[]).includes(value)) return value as KernelMode;
  throw new ValueError(
    received(`TESSERA_KERNELS must be one of ${KERNEL_MODES.join(', ')}`, 'TESSERA_KERNELS', value),
  );
}

/**
 * The kernels a mode gets on a runtime with `features`: 'auto' falls back from relaxed
 * SIMD to SIMD128 to pure JS; explicit WebAssembly modes fail when unsupported.
 */
export function resolveKernelKind(mode: KernelMode, features: WasmFeatures): KernelKind {
  switch (mode) {
    case 'js':
    case 'tfjs':
      return mode;
    case 'auto':
      if (features.relaxedSimd) return 'wasm-relaxed';
      return features.simd ? 'wasm-simd' : 'js';
    case 'wasm':
      if (features.relaxedSimd) return 'wasm-relaxed';
      if (features.simd) return 'wasm-simd';
      break;
    case 'wasm-relaxed':
      if (features.relaxedSimd) return 'wasm-relaxed';
      break;
    case 'wasm-simd':
      if (features.simd) return 'wasm-simd';
      break;
  }
  throw new StateError(
    received(
      `Kernels '${mode}' need WebAssembly ${mode === 'wasm-relaxed' ? 'relaxed SIMD' : 'SIMD'}, which this runtime lacks`,
      'features',
      features,
    ),
  );
}

const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
/** Kernels replaced by pure-JS fast paths in every mode but 'tfjs'. */
const ELEMENTWISE_KERNELS = [...BINARY_KERNEL_NAMES, 'Sum', 'Mean', 'Softmax'] as const;
const KERNEL_NAMES = [...MATMUL_KERNELS, ...ELEMENTWISE_KERNELS] as const;
type KernelName = (typeof KERNEL_NAMES)[number];

/** tfjs-backend-cpu's own kernels, captured before the first replacement. */
let originals: Record<KernelName, KernelFunc> | null = null;
const engines = new Map<KernelKind, GemmEngine>();
let info: KernelsInfo = {
  mode: 'tfjs',
  kind: 'tfjs',
  features: null,
  source: 'default',
  update: 'js',
  v8Flags: [],
};

function tfjsKernels(): Record<KernelName, KernelFunc> {
  if (originals === null) {
    const found = {} as Record<KernelName, KernelFunc>;
    for (const name of KERNEL_NAMES) {
      const config: KernelConfig | undefined = tf.getKernel(name, 'cpu');
      if (config === undefined) {
        throw new StateError(
          received('The cpu backend lacks a kernel we replace', 'kernelName', name),
        );
      }
      found[name] = config.kernelFunc;
    }
    originals = found;
  }
  return originals;
}

/** The fast elementwise, reduction and softmax kernels, each falling back to tfjs's own. */
function fastKernels(
  fallback: Record<KernelName, KernelFunc>,
): Record<(typeof ELEMENTWISE_KERNELS)[number], KernelFunc> {
  const binary = Object.fromEntries(
    BINARY_KERNEL_NAMES.map((name) => [name, binaryKernel(name, fallback[name])]),
  ) as Record<BinaryKernelName, KernelFunc>;
  return {
    ...binary,
    Sum: sumKernel(fallback.Sum),
    Mean: meanKernel(fallback.Mean),
    Softmax: softmaxKernel(fallback.Softmax),
  };
}

/** Kinds of {@link GemmEngine} that {@link createGemmEngine} makes. */
export type GemmEngineKind = Exclude<KernelKind, 'tfjs'>;

/**
 * A new GEMM engine of one kind, for callers that multiply Float32Arrays without tensors
 * (benchmarks, tight training loops). Throws a StateError when this runtime cannot run it.
 *
 * ```ts
 * const engine = createGemmEngine('wasm-simd');
 * const c = engine.run({ a, b, m, n, k, transposeA: false, transposeB: false,
 *   aIndex: Int32Array.of(0), bIndex: Int32Array.of(0), bias: null,
 *   activation: 'linear', leakyreluAlpha: 0, preluWeights: null });
 * ```
 */
export function createGemmEngine(kind: GemmEngineKind): GemmEngine {
  if (kind === 'js') return new JsGemmEngine();
  resolveKernelKind(kind, detectWasmFeatures());
  return new WasmGemmEngine(kind === 'wasm-relaxed' ? 'relaxed' : 'simd');
}

function engineFor(kind: GemmEngineKind): GemmEngine {
  let engine = engines.get(kind);
  if (engine === undefined) {
    engine = createGemmEngine(kind);
    engines.set(kind, engine);
  }
  return engine;
}

function install(name: KernelName, kernelFunc: KernelFunc): void {
  tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc });
}

/**
 * Sets this thread's kernels: registers the matMul, elementwise, reduction and softmax
 * kernels `mode` selects (tfjs's own for 'tfjs') and chooses Adam's update loop with them.
 * Returns the new setting. Each thread (main or worker) has its own.
 *
 * ```ts
 * setKernels('tfjs');        // tfjs-backend-cpu's kernels, JavaScript updates
 * getKernels().kind;         // 'tfjs'
 * setKernels('auto');        // back to the fastest
 * ```
 */
export function setKernels(
  mode: KernelMode = 'auto',
  source: KernelsSource = 'setKernels',
): KernelsInfo {
  parseKernelMode(mode);
  const needsWasm = mode !== 'js' && mode !== 'tfjs';
  const features = needsWasm ? detectWasmFeatures() : null;
  const kind = resolveKernelKind(mode, features ?? { simd: false, relaxedSimd: false });
  const fallback = tfjsKernels();
  registerDenseOp();
  registerCrossentropyOp();
  if (kind === 'tfjs') {
    for (const name of KERNEL_NAMES) install(name, fallback[name]);
  } else {
    const engine = engineFor(kind);
    install('BatchMatMul', batchMatMulKernel(engine, fallback.BatchMatMul));
    install('_FusedMatMul', fusedMatMulKernel(engine, fallback._FusedMatMul));
    for (const [name, kernel] of Object.entries(fastKernels(fallback)))
      install(name as KernelName, kernel);
  }
  const update = kind === 'wasm-relaxed' || kind === 'wasm-simd' ? 'wasm' : 'js';
  info = { mode, kind, features, source, update, v8Flags: v8FlagsSet() };
  return getKernels();
}

/** This thread's kernel setting (a copy). */
export function getKernels(): KernelsInfo {
  return { ...info, v8Flags: [...info.v8Flags] };
}

/**
 * The loop this thread's optimizer updates run in (`getKernels().update`), read without
 * copying the setting: the update kernels ask for it on every call.
 */
export function updateLoop(): KernelsInfo['update'] {
  return info.update;
}

/** `setKernels(mode).kind` (the earlier name). */
export function useKernels(mode: KernelMode = 'auto'): KernelKind {
  return setKernels(mode).kind;
}

/** `getKernels()` (the earlier name). */
export function activeKernels(): KernelsInfo {
  return getKernels();
}

// The setting at import: TESSERA_KERNELS when set, else 'auto'.
{
  const fromEnv = process.env['TESSERA_KERNELS'];
  const set = fromEnv !== undefined && fromEnv !== '';
  setKernels(parseKernelMode(fromEnv), set ? 'TESSERA_KERNELS' : 'default');
}
