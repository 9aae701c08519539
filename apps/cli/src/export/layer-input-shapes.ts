/**
 * The input shape of every layer of a built model, by layer name (batch dimension null):
 * what the TF.js export needs where a rewrite depends on it (glu's width, the rank limit
 * of tfjs's normalization kernels).
 */
import type { Model } from '@tessera/layers';
import type { InputShapes } from './tfjs-topology.js';

/** `model`'s layers' input shapes; layers with several inputs are left out. */
export function layerInputShapes(model: Model): InputShapes {
  const shapes = new Map<string, ReadonlyArray<number | null>>();
  for (const layer of model.layers) {
    const shape = layer.buildInputShape;
    if (shape === undefined || shape.length === 0) continue;
    if (Array.isArray(shape[0])) continue;
    shapes.set(layer.name, shape as ReadonlyArray<number | null>);
  }
  return shapes;
}
