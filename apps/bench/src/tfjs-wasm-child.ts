/**
 * Child-process entry that times tfjs-backend-wasm's matMul, so its own copy of tfjs-core
 * and its WebAssembly runtime stay out of the parent's process. Reads a
 * {@link TfjsWasmRequest} as JSON from argv[2]; prints one {@link TfjsWasmReply} line.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type GemmShape, operandShapes } from './gemm-shapes.js';
import { type MeasureOptions, measure, type Timing } from './measure.js';

/** What the parent asks for. */
export interface TfjsWasmRequest {
  /** Shapes to time, in order. */
  shapes: GemmShape[];
  /** Timing options. */
  measure: MeasureOptions;
}

/** What the child prints. */
export interface TfjsWasmReply {
  /** The backend that ran ('wasm'). */
  backend: string;
  /** Whether tfjs-backend-wasm chose its SIMD build. */
  simd: boolean;
  /** Whether it chose its multi-threaded build. */
  threads: boolean;
  /** One timing per requested shape. */
  timings: Timing[];
}

type TfjsCore = typeof import('@tensorflow/tfjs-core');
type TfjsWasm = typeof import('@tensorflow/tfjs-backend-wasm');

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as TfjsWasmRequest;
  // Node loads these packages' CommonJS builds; tfjs-backend-wasm requires the same tfjs-core.
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as TfjsCore;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as TfjsWasm;
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  wasm.setWasmPaths(`${dist}/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const timings = request.shapes.map((shape) => {
    const { a: aShape, b: bShape } = operandShapes(shape);
    const a = tf.randomUniform(aShape, -1, 1);
    const b = tf.randomUniform(bShape, -1, 1);
    const timing = measure(() => {
      tf.matMul(a, b, shape.transposeA, shape.transposeB).dispose();
    }, request.measure);
    tf.dispose([a, b]);
    return timing;
  });
  const reply: TfjsWasmReply = { backend: tf.getBackend(), simd, threads, timings };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

await main();
