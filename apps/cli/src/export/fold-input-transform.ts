/**
 * Makes an exported model take raw features, as `tessera predict` does, by folding the
 * input transform of training — `x' = (x·featureScale − offset) / scale` per feature — into
 * the first Dense layer: with `a_j = featureScale / scale_j` and `c_j = offset_j / scale_j`,
 *
 *   Dense(x') = Σ_j x'_j W_jk + b_k = Σ_j x_j (a_j W_jk) + (b_k − Σ_j c_j W_jk),
 *
 * so the kernel becomes `a_j W_jk` and the bias `b_k − Σ_j c_j W_jk`, computed in float64.
 * A first BatchNormalization, Normalization or LayerNormalization takes the transform into
 * its statistics instead (fold-into-normalization.ts). Only layers that keep each feature
 * where it is at inference (Flatten, Reshape, Dropout and the noise layers, the input) may
 * stand before that layer; any other model is an ExportError naming the layer in the way.
 */
import type { NormalizerConfig } from '@tessera/datasets';
import { type FeatureTransform, foldIntoNormalization } from './fold-into-normalization.js';
import { ExportError } from './keras-names.js';
import { record } from './tfjs-layer-map.js';
import type { ExportWeight } from './tfjs-topology.js';

/** Layers that keep every feature value where the flattened row puts it. */
const PASS_THROUGH = new Set([
  'InputLayer',
  'Flatten',
  'Reshape',
  'Dropout',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'ActivityRegularization',
]);

/** The transform applied to raw features before the model, as the checkpoint records it. */
export interface InputTransform {
  /** Factor applied first (1/255 for pixels; 1 for none). */
  featureScale: number;
  /** The fitted normalizer, if training used one. */
  normalizer?: Pick<NormalizerConfig, 'method' | 'offset' | 'scale'>;
}

/** The weights after folding, and what was done, for the command's output. */
export interface FoldResult {
  /** The model config to export (a normalization layer's config may change). */
  model: unknown;
  weights: ExportWeight[];
  /** The Dense layer whose kernel and bias now include the transform (none: nothing to fold). */
  layer?: string;
  /** One sentence for the user. */
  description: string;
}

interface LayerEntry {
  name: string;
  className: string;
  config: Record<string, unknown>;
}

/** The layers from the model input to the first layer that is not a pass-through. */
function firstLayers(model: Record<string, unknown>): LayerEntry[] {
  const config = record(model['config'], 'config');
  const list = Array.isArray(config['layers']) ? config['layers'] : [];
  const entries = list.map((entry, i) => {
    const e = record(entry, `layers[${i}]`);
    const c = record(e['config'], `layers[${i}].config`);
    return {
      name: String(e['name'] ?? c['name'] ?? ''),
      className: String(e['className']),
      config: c,
      inbound: (Array.isArray(e['inboundNodes']) ? e['inboundNodes'] : []) as unknown[][],
    };
  });
  if (model['className'] === 'Sequential') return entries;
  // Functional: follow the single input through layers with exactly one consumer.
  const inputs = Array.isArray(config['inputLayers']) ? (config['inputLayers'] as unknown[][]) : [];
  if (inputs.length !== 1)
    throw new ExportError(
      `cannot fold the input normalization into a model with ${inputs.length} inputs; expected 1`,
    );
  const chain: LayerEntry[] = [];
  let current = entries.find((e) => e.name === inputs[0]![0]);
  while (current !== undefined) {
    chain.push(current);
    if (!PASS_THROUGH.has(current.className)) break;
    const name = current.name;
    const consumers = entries.filter((e) =>
      e.inbound.some((node) => node.some((ref) => Array.isArray(ref) && ref[0] === name)),
    );
    if (consumers.length !== 1 || consumers[0]!.inbound.flat().length !== 1)
      throw new ExportError(
        `cannot fold the input normalization: layer "${name}" feeds ${consumers.length} layers; expected exactly one Dense layer reading the input`,
      );
    current = consumers[0];
  }
  return chain;
}

function describeTransform(t: InputTransform): string {
  const parts: string[] = [];
  if (t.featureScale !== 1) {
    const inverse = 1 / t.featureScale;
    const shown = Number.isInteger(inverse) ? `1/${inverse}` : String(t.featureScale);
    parts.push(`the feature scale ${shown}`);
  }
  if (t.normalizer !== undefined) parts.push(`the ${t.normalizer.method} normalization`);
  return parts.join(' and ');
}

/** Folds `transform` into the first Dense layer's weights; see the module comment. */
export function foldInputTransform(
  model: unknown,
  weights: readonly ExportWeight[],
  transform: InputTransform,
): FoldResult {
  if (transform.featureScale === 1 && transform.normalizer === undefined) {
    return {
      model,
      weights: [...weights],
      description: 'The model was trained on raw features; nothing to fold.',
    };
  }
  const what = describeTransform(transform);
  const dense = firstLayers(record(model, 'the model')).find((l) => !PASS_THROUGH.has(l.className));
  if (dense !== undefined && dense.className !== 'Dense') {
    const folded = foldIntoFirstNormalization(model, weights, transform, dense, what);
    if (folded !== undefined) return folded;
  }
  if (dense === undefined || dense.className !== 'Dense')
    throw new ExportError(
      `cannot fold ${what} into the model: the first layer after the input must be Dense, BatchNormalization, Normalization or LayerNormalization. Received: ${dense?.className ?? 'no such layer'}`,
    );
  const kernelIndex = weights.findIndex((w) => w.name === `${dense.name}/kernel`);
  const kernel = weights[kernelIndex];
  if (kernel === undefined || kernel.shape.length !== 2)
    throw new ExportError(`cannot fold ${what}: layer "${dense.name}" has no 2-D kernel`);
  const [rows, units] = kernel.shape as [number, number];
  const offset = transform.normalizer?.offset ?? new Array<number>(rows).fill(0);
  const scale = transform.normalizer?.scale ?? new Array<number>(rows).fill(1);
  if (offset.length !== rows)
    throw new ExportError(
      `cannot fold ${what} into layer "${dense.name}": the normalizer has ${offset.length} features, the kernel ${rows} input rows`,
    );
  const biasIndex = weights.findIndex((w) => w.name === `${dense.name}/bias`);
  const needsBias = offset.some((o) => o !== 0);
  if (biasIndex < 0 && needsBias)
    throw new ExportError(
      `cannot fold ${what} into layer "${dense.name}": it has no bias to absorb the offset (useBias: false)`,
    );

  const newKernel = new Float32Array(rows * units);
  const shift = new Float64Array(units);
  for (let j = 0; j < rows; j++) {
    const a = transform.featureScale / scale[j]!;
    const c = offset[j]! / scale[j]!;
    for (let k = 0; k < units; k++) {
      const w = kernel.values[j * units + k]!;
      newKernel[j * units + k] = a * w;
      shift[k]! += c * w;
    }
  }
  const out = [...weights];
  out[kernelIndex] = { ...kernel, values: newKernel };
  if (biasIndex >= 0) {
    const bias = weights[biasIndex]!;
    const newBias = new Float32Array(units);
    for (let k = 0; k < units; k++) newBias[k] = bias.values[k]! - shift[k]!;
    out[biasIndex] = { ...bias, values: newBias };
  }
  return {
    model,
    weights: out,
    layer: dense.name,
    description: `Folded ${what} into the kernel and bias of the first Dense layer "${dense.name}": the exported model takes raw features, as tessera predict does.`,
  };
}

/** `x' = a_j·x - c_j` per input feature, from the recorded transform. */
function featureTransform(transform: InputTransform, what: string): FeatureTransform {
  const n = transform.normalizer;
  if (n === undefined) return { a: [transform.featureScale], c: [0], uniform: true, what };
  const a = n.scale.map((s) => transform.featureScale / s);
  const c = n.offset.map((o, j) => o / n.scale[j]!);
  const uniform = a.every((v) => v === a[0]) && c.every((v) => v === c[0]);
  return { a, c, uniform, what };
}

/** The fold into a first normalization layer; undefined for other layers. */
function foldIntoFirstNormalization(
  model: unknown,
  weights: readonly ExportWeight[],
  transform: InputTransform,
  layer: LayerEntry,
  what: string,
): FoldResult | undefined {
  const fold = foldIntoNormalization(layer, weights, featureTransform(transform, what));
  if (fold === undefined) return undefined;
  const out = weights.map((w) => fold.weights.get(w.name) ?? w);
  const added = [...fold.weights.values()].filter((w) => !weights.some((x) => x.name === w.name));
  const first = out.findIndex((w) => w.name.startsWith(`${layer.name}/`));
  out.splice(first < 0 ? out.length : first, 0, ...added);
  return {
    model: withLayerConfig(model, layer.name, fold.config),
    weights: out,
    layer: layer.name,
    description: `Folded ${what} into the statistics of the first layer "${layer.name}" (${layer.className}): the exported model takes raw features, as tessera predict does.`,
  };
}

/** `model` with `changes` merged into the config of layer `name` (a copy; the rest shared). */
function withLayerConfig(model: unknown, name: string, changes: Record<string, unknown>): unknown {
  if (Object.keys(changes).length === 0) return model;
  const m = record(model, 'the model');
  const config = record(m['config'], 'config');
  const list = Array.isArray(config['layers']) ? (config['layers'] as unknown[]) : [];
  const layers = list.map((entry) => {
    const e = record(entry, 'a layer');
    const c = record(e['config'], 'a layer config');
    if ((e['name'] ?? c['name']) !== name) return e;
    return { ...e, config: { ...c, ...changes } };
  });
  return { ...m, config: { ...config, layers } };
}
