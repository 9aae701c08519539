/**
 * The TF.js LayersModel format: `model.json` (topology + weights manifest) and one
 * binary file of float32 values, little-endian, in manifest order — what
 * `tf.loadLayersModel('file://…/model.json')` or an IO handler reads.
 */
import { join } from 'node:path';
import { writeOutputFile } from '../output/files.js';
import { CLI_VERSION } from '../version.js';
import { type ExportWeight, type InputShapes, toTfjsTopology } from './tfjs-topology.js';

/** The binary file's name inside the export folder. */
export const TFJS_WEIGHTS_FILE = 'group1-shard1of1.bin';

/** What `tfjsArtifacts` needs. */
export interface TfjsArtifactsArgs {
  /** The model's `toJSON()` (`tessera-model` format). */
  model: unknown;
  /** Every weight, in the model's order. */
  weights: readonly ExportWeight[];
  /** Each layer's input shape (see `layerInputShapes`): glu and the normalizations need it. */
  inputShapes?: InputShapes;
  /** Stored as `userDefinedMetadata` (class names, normalizer, …); plain JSON. */
  metadata?: Record<string, unknown>;
}

/** model.json's content and the weight bytes. */
export interface TfjsArtifacts {
  /** The content of model.json. */
  modelJson: Record<string, unknown>;
  /** The weights file's bytes. */
  weightData: Uint8Array;
}

/** Float32 little-endian bytes of the weights, one after another. */
export function packWeights(weights: readonly ExportWeight[]): Uint8Array {
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const w of weights) {
    for (let i = 0; i < w.values.length; i++, offset += 4)
      view.setFloat32(offset, w.values[i]!, true);
  }
  return bytes;
}

/** Builds both parts in memory. */
export function tfjsArtifacts(args: TfjsArtifactsArgs): TfjsArtifacts {
  const { modelTopology, weights } = toTfjsTopology({
    model: args.model,
    weights: args.weights,
    ...(args.inputShapes === undefined ? {} : { inputShapes: args.inputShapes }),
  });
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `Tessera ${CLI_VERSION}`,
      convertedBy: null,
      modelTopology,
      weightsManifest: [
        {
          paths: [TFJS_WEIGHTS_FILE],
          weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
        },
      ],
      ...(args.metadata === undefined ? {} : { userDefinedMetadata: args.metadata }),
    },
    weightData: packWeights(weights),
  };
}

/** Writes model.json and the weights file into `dir`; returns their paths. */
export async function writeTfjsModel(
  dir: string,
  artifacts: TfjsArtifacts,
): Promise<{ modelJson: string; weights: string }> {
  const modelJson = join(dir, 'model.json');
  const weights = join(dir, TFJS_WEIGHTS_FILE);
  await writeOutputFile(weights, artifacts.weightData);
  await writeOutputFile(modelJson, `${JSON.stringify(artifacts.modelJson, null, 2)}\n`);
  return { modelJson, weights };
}
