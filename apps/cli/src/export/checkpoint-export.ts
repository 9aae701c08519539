/**
 * A CLI checkpoint as TF.js LayersModel artifacts that take raw features (the input
 * transform folded in): what `export --format tfjs` writes and `serve` hands the browser.
 */
import type { OpenCheckpoint } from '../checkpoint/open-checkpoint.js';
import { withContext } from '../errors.js';
import { type FoldResult, foldInputTransform } from './fold-input-transform.js';
import { layerInputShapes } from './layer-input-shapes.js';
import { type TfjsArtifacts, tfjsArtifacts } from './tfjs-artifacts.js';
import type { ExportWeight } from './tfjs-topology.js';

/** The artifacts, and what was folded into them. */
export interface CheckpointExport {
  artifacts: TfjsArtifacts;
  folded: FoldResult;
}

/** Converts an opened checkpoint; an unexportable model fails naming the checkpoint. */
export function exportCheckpoint(opened: OpenCheckpoint): CheckpointExport {
  const weights: ExportWeight[] = opened.model.weights.map((w) => ({
    name: w.name,
    shape: [...w.shape],
    values: opened.data.weights[w.name] ?? new Float32Array(w.shape.reduce((a, b) => a * b, 1)),
  }));
  const facts = opened.extra.data;
  const modelJson = opened.model.toJSON();
  try {
    const folded = foldInputTransform(modelJson, weights, {
      featureScale: facts.featureScale,
      ...(opened.extra.normalizer === undefined ? {} : { normalizer: opened.extra.normalizer }),
    });
    const artifacts = tfjsArtifacts({
      model: folded.model,
      weights: folded.weights,
      inputShapes: layerInputShapes(opened.model),
      metadata: {
        tessera: {
          task: facts.task,
          // The graph reads raw feature values: nothing is to be scaled or normalised first.
          input: 'raw',
          featureShape: facts.featureShape,
          ...(facts.classNames === undefined ? {} : { classNames: facts.classNames }),
          ...(facts.featureNames === undefined ? {} : { featureNames: facts.featureNames }),
          ...(facts.featureRanges === undefined ? {} : { featureRanges: facts.featureRanges }),
        },
      },
    });
    return { artifacts, folded };
  } catch (err) {
    throw withContext(`${opened.path}: cannot export to TF.js`, err);
  }
}
