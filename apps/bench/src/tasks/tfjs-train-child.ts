/**
 * Child-process entry that trains the reference task with tfjs-layers 4.22 on
 * tfjs-backend-cpu or tfjs-backend-wasm, so that tfjs setup never shares a process with
 * Tessera's own tfjs-core copy or with the other backend. Reads a {@link TfjsTrainRequest}
 * as JSON from argv[2]; prints one {@link TfjsTrainReply} line on stdout.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readMnistFiles } from './mnist-files.js';
import type { ReferenceTask } from './reference-task.js';

/** The two tfjs backends the bench compares. */
export type TfjsBackend = 'cpu' | 'wasm';

/** What the parent asks for. */
export interface TfjsTrainRequest {
  /** Backend to train on. */
  backend: TfjsBackend;
  /** Folder written by `writeMnistFiles`. */
  dataDir: string;
  /** The task's settings. */
  task: ReferenceTask;
}

/** What the child prints. */
export interface TfjsTrainReply {
  /** The backend tfjs actually ran on. */
  backend: string;
  /** tfjs-layers' version. */
  version: string;
  /** Whether tfjs-backend-wasm chose its SIMD build (wasm only). */
  simd?: boolean;
  /** Whether tfjs-backend-wasm chose its multi-threaded build (wasm only). */
  threads?: boolean;
  /** Examples trained on. */
  examples: number;
  /** Seconds inside `model.fit`. */
  trainSeconds: number;
  /** Mean training loss of the epoch, from fit's history. */
  loss: number;
  /** Mean training accuracy of the epoch. */
  accuracy: number;
}

type TfjsCore = typeof import('@tensorflow/tfjs-core');
type TfjsLayers = typeof import('@tensorflow/tfjs-layers');
type TfjsWasm = typeof import('@tensorflow/tfjs-backend-wasm');

/** The last value of a history series; tfjs may hold numbers or scalar tensors there. */
function last(series: ReadonlyArray<number | { dataSync(): ArrayLike<number> }> | undefined) {
  const value = series?.[series.length - 1];
  if (value === undefined) return Number.NaN;
  return typeof value === 'number' ? value : Number(value.dataSync()[0]);
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as TfjsTrainRequest;
  const { task } = request;
  // Node loads these packages' CommonJS builds; every one of them shares this tfjs-core.
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs-core') as TfjsCore;
  const tfl = require('@tensorflow/tfjs-layers') as TfjsLayers;
  const facts: Pick<TfjsTrainReply, 'simd' | 'threads'> = {};
  if (request.backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as TfjsWasm;
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(`${join(dirname(pkg), 'dist')}/`);
  } else {
    require('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(request.backend))) {
    throw new Error(`tfjs could not start backend ${request.backend}`);
  }
  await tf.ready();
  if (request.backend === 'wasm') {
    facts.simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    facts.threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  }

  const data = await readMnistFiles(request.dataDir, task.inputSize);
  const pixels = new Float32Array(data.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = data.images[i]! / 255;
  const x = tf.tensor2d(pixels, [data.examples, task.inputSize]);
  const y = tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(data.labels), 'int32'), task.classes), 'float32'),
  );

  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [task.inputSize],
        units: task.hiddenUnits,
        activation: 'relu',
      }),
      tfl.layers.dense({ units: task.classes, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(task.learningRate, 0.9, 0.999, task.epsilon),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  process.stderr.write(`tfjs-${request.backend}: training on ${data.examples} examples\n`);
  const start = performance.now();
  const history = await model.fit(x, y, { epochs: task.epochs, batchSize: task.batchSize });
  const trainSeconds = (performance.now() - start) / 1000;
  const logs = history.history;
  const reply: TfjsTrainReply = {
    backend: tf.getBackend(),
    version: tfl.version_layers,
    ...facts,
    examples: data.examples,
    trainSeconds,
    loss: last(logs['loss']),
    accuracy: last(logs['acc'] ?? logs['accuracy']),
  };
  tf.dispose([x, y]);
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

await main();
