/**
 * The kernel table: GFLOP/s of one matMul at the reference task's shapes and 512³ for
 * Tessera's kernels (WebAssembly relaxed SIMD and SIMD128, pure-JS fallback), tfjs-backend-cpu's
 * original kernel (re-registered with `useKernels('tfjs')`) and tfjs-backend-wasm (in a
 * child process). These go through `tf.matMul`, so copies and tensor bookkeeping count;
 * 'wasm-raw' calls the fastest Tessera engine on Float32Arrays directly (copies into and
 * out of WebAssembly memory included). Before timing, each in-process result is checked
 * against a float64 reference.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  activeKernels,
  compareWithReference,
  createGemmEngine,
  type GemmProblem,
  gemmFlops,
  type KernelKind,
  type KernelsInfo,
  RngStream,
  referenceGemm,
  tf,
  useKernels,
} from '@tessera/core';
import { GEMM_SHAPES, type GemmShape, operandShapes, transposeLabel } from './gemm-shapes.js';
import { type MeasureOptions, measure, type Timing } from './measure.js';
import { formatNumber, formatRatio, formatTable } from './table.js';
import type { TfjsWasmReply, TfjsWasmRequest } from './tfjs-wasm-child.js';

/** The implementations compared. */
export type KernelImpl =
  | 'wasm-relaxed'
  | 'wasm-simd'
  | 'js'
  | 'wasm-raw'
  | 'tfjs-cpu'
  | 'tfjs-wasm';

/** Options of {@link runKernelBench}. */
export interface KernelBenchOptions {
  /** Shapes to time (default: the reference shapes and 512³). */
  shapes?: readonly GemmShape[];
  /** Timing settings for every cell. */
  measure?: MeasureOptions;
  /** Also time tfjs-backend-wasm in a child process (default true). */
  tfjsWasm?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** One shape's results. */
export interface KernelRow {
  /** The shape. */
  shape: GemmShape;
  /** Floating-point operations of one call. */
  flops: number;
  /** Median GFLOP/s per implementation (absent when it did not run). */
  gflops: Partial<Record<KernelImpl, number>>;
  /** Raw timings per implementation. */
  timings: Partial<Record<KernelImpl, Timing>>;
}

/** Everything the kernel table shows, for the JSON report. */
export interface KernelBenchResult {
  /** Implementations that ran, in column order. */
  impls: KernelImpl[];
  /** One row per shape. */
  rows: KernelRow[];
  /** Per training step (all its GEMMs): total flops ÷ total median time, per implementation. */
  steps: Array<{ step: string; gflops: Partial<Record<KernelImpl, number>> }>;
  /** The kernels Tessera registers by default on this machine. */
  defaultKernels: KernelsInfo;
  /** What tfjs-backend-wasm ran with, or null when it was not timed. */
  tfjsWasm: { simd: boolean; threads: boolean } | null;
  /** Anything skipped or wrong. */
  notes: string[];
}

const IN_PROCESS: Array<[KernelImpl, KernelKind]> = [
  ['wasm-relaxed', 'wasm-relaxed'],
  ['wasm-simd', 'wasm-simd'],
  ['js', 'js'],
  ['tfjs-cpu', 'tfjs'],
];

function problem(shape: GemmShape, rng: RngStream): GemmProblem {
  const { a, b } = operandShapes(shape);
  return {
    a: rng.fillUniform(new Float32Array(a[0] * a[1]), -1, 1),
    b: rng.fillUniform(new Float32Array(b[0] * b[1]), -1, 1),
    ...{ m: shape.m, n: shape.n, k: shape.k },
    ...{ transposeA: shape.transposeA, transposeB: shape.transposeB },
    aIndex: Int32Array.of(0),
    bIndex: Int32Array.of(0),
    ...{ bias: null, activation: 'linear', leakyreluAlpha: 0, preluWeights: null },
  };
}

async function timeTfjsWasm(
  shapes: readonly GemmShape[],
  options: MeasureOptions,
): Promise<TfjsWasmReply> {
  const child = fileURLToPath(new URL('./tfjs-wasm-child.js', import.meta.url));
  const request: TfjsWasmRequest = { shapes: [...shapes], measure: options };
  const { stdout } = await promisify(execFile)(process.execPath, [child, JSON.stringify(request)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as TfjsWasmReply;
}

function record(row: KernelRow, impl: KernelImpl, timing: Timing): void {
  row.timings[impl] = timing;
  row.gflops[impl] = row.flops / timing.medianSeconds / 1e9;
}

function stepSummaries(
  rows: readonly KernelRow[],
  impls: readonly KernelImpl[],
): KernelBenchResult['steps'] {
  const steps = [
    ...new Set(rows.map((r) => r.shape.step).filter((s): s is string => s !== undefined)),
  ];
  return steps.map((step) => {
    const members = rows.filter((r) => r.shape.step === step);
    const gflops: Partial<Record<KernelImpl, number>> = {};
    for (const impl of impls) {
      if (members.some((r) => r.timings[impl] === undefined)) continue;
      const flops = members.reduce((sum, r) => sum + r.flops, 0);
      const seconds = members.reduce((sum, r) => sum + r.timings[impl]!.medianSeconds, 0);
      gflops[impl] = flops / seconds / 1e9;
    }
    return { step, gflops };
  });
}

/** Runs the kernel benchmark; see the module comment. Restores the default kernels after. */
export async function runKernelBench(options: KernelBenchOptions = {}): Promise<KernelBenchResult> {
  const shapes = options.shapes ?? GEMM_SHAPES;
  const log = options.log ?? (() => {});
  const defaultKernels = activeKernels();
  const features = defaultKernels.features;
  const notes: string[] = [];
  const rows: KernelRow[] = shapes.map((shape) => ({
    shape,
    flops: gemmFlops(shape),
    gflops: {},
    timings: {},
  }));
  const rng = RngStream.fromSeed(2024, 'kernel-bench');
  const problems = shapes.map((shape) => problem(shape, rng));
  const references = problems.map((p) => referenceGemm(p));
  const impls: KernelImpl[] = [];
  const check = (impl: KernelImpl, i: number, values: ArrayLike<number>) => {
    const comparison = compareWithReference(values, references[i]!);
    if (!comparison.ok) {
      notes.push(
        `${impl} ${shapes[i]!.name}: ${comparison.mismatches} elements differ from float64`,
      );
    }
  };

  try {
    for (const [impl, kind] of IN_PROCESS) {
      const wasm = kind === 'wasm-relaxed' || kind === 'wasm-simd';
      if (
        wasm &&
        (features === null || (kind === 'wasm-relaxed' ? !features.relaxedSimd : !features.simd))
      ) {
        notes.push(`${impl} skipped: this runtime lacks the WebAssembly features it needs`);
        continue;
      }
      useKernels(kind);
      impls.push(impl);
      shapes.forEach((shape, i) => {
        const { a: aShape, b: bShape } = operandShapes(shape);
        const a = tf.tensor(problems[i]!.a, aShape);
        const b = tf.tensor(problems[i]!.b, bShape);
        check(
          impl,
          i,
          tf.tidy(() => tf.matMul(a, b, shape.transposeA, shape.transposeB).dataSync()),
        );
        record(
          rows[i]!,
          impl,
          measure(() => {
            tf.matMul(a, b, shape.transposeA, shape.transposeB).dispose();
          }, options.measure),
        );
        tf.dispose([a, b]);
        log(
          `${impl.padEnd(12)} ${shape.name.padEnd(24)} ${formatNumber(rows[i]!.gflops[impl])} GFLOP/s`,
        );
      });
    }
  } finally {
    useKernels(defaultKernels.mode);
  }

  const best = defaultKernels.kind;
  if (best === 'wasm-relaxed' || best === 'wasm-simd') {
    const engine = createGemmEngine(best);
    impls.push('wasm-raw');
    problems.forEach((p, i) => {
      check('wasm-raw', i, engine.run(p));
      record(
        rows[i]!,
        'wasm-raw',
        measure(() => engine.run(p), options.measure),
      );
    });
    log(`wasm-raw     done (${best})`);
  }

  let tfjsWasm: KernelBenchResult['tfjsWasm'] = null;
  if (options.tfjsWasm !== false) {
    try {
      const reply = await timeTfjsWasm(shapes, options.measure ?? {});
      impls.push('tfjs-wasm');
      tfjsWasm = { simd: reply.simd, threads: reply.threads };
      reply.timings.forEach((timing, i) => {
        record(rows[i]!, 'tfjs-wasm', timing);
      });
      log(`tfjs-wasm    done (simd=${reply.simd}, threads=${reply.threads})`);
    } catch (error) {
      notes.push(`tfjs-wasm skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { impls, rows, steps: stepSummaries(rows, impls), defaultKernels, tfjsWasm, notes };
}

/** The fastest of Tessera's WebAssembly kernels through tf.matMul. */
function oursBest(gflops: Partial<Record<KernelImpl, number>>): number | undefined {
  const values = [gflops['wasm-relaxed'], gflops['wasm-simd']].filter(
    (v): v is number => v !== undefined,
  );
  return values.length > 0 ? Math.max(...values) : undefined;
}

/** The kernel table as text lines: GFLOP/s per implementation, then ours ÷ each peer. */
export function kernelTable(result: KernelBenchResult): string[] {
  const columns = [
    { title: 'matMul', align: 'left' as const },
    { title: 'op', align: 'left' as const },
    { title: 'm×n×k', align: 'left' as const },
    ...result.impls.map((impl) => ({ title: impl, align: 'right' as const })),
    { title: 'ours÷tfjs-cpu', align: 'right' as const },
    { title: 'ours÷tfjs-wasm', align: 'right' as const },
  ];
  const cells = (gflops: Partial<Record<KernelImpl, number>>) => [
    ...result.impls.map((impl) => formatNumber(gflops[impl])),
    formatRatio(oursBest(gflops), gflops['tfjs-cpu']),
    formatRatio(oursBest(gflops), gflops['tfjs-wasm']),
  ];
  const rows = result.rows.map((row) => [
    row.shape.name,
    transposeLabel(row.shape),
    `${row.shape.m}×${row.shape.n}×${row.shape.k}`,
    ...cells(row.gflops),
  ]);
  for (const { step, gflops } of result.steps) {
    rows.push([`all GEMMs of a step ${step}`, '', 'flop-weighted', ...cells(gflops)]);
  }
  const lines = [
    'GEMM GFLOP/s (median of trials; one thread; tf.matMul except wasm-raw; ours = fastest Tessera wasm kernel via tf.matMul)',
    ...formatTable(columns, rows),
  ];
  if (result.tfjsWasm !== null) {
    lines.push(`tfjs-wasm: simd=${result.tfjsWasm.simd}, threads=${result.tfjsWasm.threads}`);
  }
  lines.push(`Tessera default kernels here: ${result.defaultKernels.kind}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  return lines;
}
