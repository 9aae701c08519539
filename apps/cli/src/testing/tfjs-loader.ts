/**
 * Loads an exported folder (model.json + weight files) with @tensorflow/tfjs-layers, the
 * way `tf.loadLayersModel('file://…')` would, through an IO handler that reads the files
 * the manifest lists. Test-only: tfjs-layers is a devDependency.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Tfc from '@tensorflow/tfjs-core';
import type * as Tfl from '@tensorflow/tfjs-layers';

// @tessera/core has set tfjs up in this process already: tfjs keeps its platform and kernel
// registry process-wide, so loading these packages again warns once per kernel ("already
// registered", some 500 lines in the test output) and about the platform. Registering
// again is harmless; those warnings are muted while the packages load.
const warn = console.warn;
console.warn = (...args: unknown[]): void => {
  if (!/already registered|already been set/.test(String(args[0]))) warn(...args);
};
let tfc: typeof Tfc;
let tfl: typeof Tfl;
try {
  tfc = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tfl = await import('@tensorflow/tfjs-layers');
} finally {
  console.warn = warn;
}

interface ManifestGroup {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
}

/** The tfjs namespace the loaded model computes with (tfjs-core from node_modules, cpu backend). */
export { tfc, tfl };

/** Reads `dir/model.json` and its weights, and loads them into a tfjs LayersModel. */
export async function loadTfjsFolder(dir: string): Promise<Tfl.LayersModel> {
  await tfc.setBackend('cpu');
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: ManifestGroup[];
    format?: string;
    generatedBy?: string;
    userDefinedMetadata?: { [key: string]: object };
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths.map((p) => readFile(join(dir, p)))),
  );
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  const handler: Tfc.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: weightData.buffer,
      ...(json.format === undefined ? {} : { format: json.format }),
      ...(json.generatedBy === undefined ? {} : { generatedBy: json.generatedBy }),
      ...(json.userDefinedMetadata === undefined
        ? {}
        : { userDefinedMetadata: json.userDefinedMetadata }),
    }),
  };
  return tfl.loadLayersModel(handler, { strict: true });
}

/** The model's output for rows of features (flat), as a Float32Array. */
export function tfjsPredict(
  model: Tfl.LayersModel,
  features: Float32Array,
  shape: number[],
): Float32Array {
  return tfc.tidy(() => {
    const y = model.predict(tfc.tensor(features, shape)) as Tfc.Tensor;
    return y.dataSync() as Float32Array;
  });
}
