/**
 * Loads an exported folder (model.json + weight files) with @tensorflow/tfjs-layers, the
 * way `tf.loadLayersModel('file://…')` would, through an IO handler that reads the files
 * the manifest lists. Test-only: tfjs-layers is a devDependency.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

interface ManifestGroup {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
}

/** The tfjs namespace the loaded model computes with (tfjs-core from node_modules, cpu backend). */
export { tfc, tfl };

/** Reads `dir/model.json` and its weights, and loads them into a tfjs LayersModel. */
export async function loadTfjsFolder(dir: string): Promise<tfl.LayersModel> {
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
  const handler: tfc.io.IOHandler = {
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
  model: tfl.LayersModel,
  features: Float32Array,
  shape: number[],
): Float32Array {
  return tfc.tidy(() => {
    const y = model.predict(tfc.tensor(features, shape)) as tfc.Tensor;
    return y.dataSync() as Float32Array;
  });
}
