/** A model's weights as the exporter takes them (name, shape, float32 values), for tests. */
import { tf } from '@tessera/core';
import type { Model } from '@tessera/layers';
import type { ExportWeight } from '../export/tfjs-topology.js';

export function weightsOf(m: Model): ExportWeight[] {
  const values = m.getWeights();
  const out = m.weights.map((w, i) => ({
    name: w.name,
    shape: [...w.shape],
    values: values[i]!.dataSync() as Float32Array,
  }));
  tf.dispose(values);
  return out;
}
