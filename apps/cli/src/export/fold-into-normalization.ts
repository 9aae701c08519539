/**
 * The input transform of training, `x' = a_j·x - c_j` per feature (a_j = featureScale /
 * scale_j, c_j = offset_j / scale_j), folded into a first layer that normalizes, so the
 * exported model takes raw features (see fold-input-transform.ts for the Dense case):
 *
 * - BatchNormalization: `γ(x' - μ)/√(σ²+ε) + β = (γa)(x - (μ + c)/a)/√(σ²+ε) + β`, so
 *   gamma becomes γ·a and the moving mean (μ + c)/a (a layer without gamma gets one);
 * - Normalization: `(x' - m)/s = (x - (m + c)/a) / (s/a)`, so the mean becomes (m + c)/a
 *   and the variance (s/a)²; inverted, `m + x'·s = (m - c·s) + x·(a·s)`;
 * - LayerNormalization, over each example's features, absorbs only a uniform scale and no
 *   offset: `LN(a·x)` is `LN(x)` with ε/a² for ε.
 *
 * Computed in float64. Per-feature factors need one statistic per input feature; a layer
 * over fewer features (an axis of a rank-3 input) takes only a uniform transform.
 */
import { ExportError } from './keras-names.js';
import type { ExportWeight } from './tfjs-topology.js';

/** Keras's floor on Normalization's standard deviation. */
const STD_FLOOR = 1e-7;

/** Per-feature `a_j` and `c_j` of `x' = a_j·x - c_j`, and whether they are the same for all. */
export interface FeatureTransform {
  a: number[];
  c: number[];
  uniform: boolean;
  /** How the transform reads, for errors ("the standard normalization"). */
  what: string;
}

/** The layer to fold into. */
export interface FoldTarget {
  name: string;
  className: string;
  config: Record<string, unknown>;
}

/** New weights (by name) and config keys of the layer. */
export interface LayerFold {
  weights: Map<string, ExportWeight>;
  config: Record<string, unknown>;
}

/** `a` and `c` for each of the layer's `features` (a uniform transform is spread). */
function perFeature(
  t: FeatureTransform,
  features: number,
  layer: string,
): { a: number[]; c: number[] } {
  if (t.a.length === features) return t;
  if (t.uniform)
    return { a: new Array(features).fill(t.a[0]), c: new Array(features).fill(t.c[0]) };
  throw new ExportError(
    `cannot fold ${t.what} into layer "${layer}": it normalizes ${features} features, the input has ${t.a.length}; fold needs one statistic per input feature`,
  );
}

function requirePositive(a: number[], t: FeatureTransform, layer: string): void {
  if (!a.every((v) => v > 0 && Number.isFinite(v)))
    throw new ExportError(
      `cannot fold ${t.what} into layer "${layer}": its scale factors must be positive`,
    );
}

/** The weight `<layer>/<short>`, or undefined. */
function find(
  weights: readonly ExportWeight[],
  layer: string,
  short: string,
): ExportWeight | undefined {
  return weights.find((w) => w.name === `${layer}/${short}`);
}

function required(weights: readonly ExportWeight[], layer: string, short: string): ExportWeight {
  const w = find(weights, layer, short);
  if (w === undefined)
    throw new ExportError(`cannot fold into layer "${layer}": it has no ${short}`);
  return w;
}

const vector = (like: ExportWeight, name: string, values: ArrayLike<number>): ExportWeight => ({
  name,
  shape: [...like.shape],
  values: Float32Array.from(values),
});

function foldBatchNorm(
  target: FoldTarget,
  weights: readonly ExportWeight[],
  t: FeatureTransform,
): LayerFold {
  const { name } = target;
  const mean = required(weights, name, 'moving_mean');
  const { a, c } = perFeature(t, mean.values.length, name);
  requirePositive(a, t, name);
  const gamma = find(weights, name, 'gamma');
  const newGamma = a.map((aj, j) => (gamma === undefined ? 1 : gamma.values[j]!) * aj);
  const out = new Map<string, ExportWeight>();
  out.set(`${name}/gamma`, vector(mean, `${name}/gamma`, newGamma));
  out.set(
    `${name}/moving_mean`,
    vector(
      mean,
      mean.name,
      a.map((aj, j) => (mean.values[j]! + c[j]!) / aj),
    ),
  );
  return { weights: out, config: { scale: true } };
}

function foldNormalization(
  target: FoldTarget,
  weights: readonly ExportWeight[],
  t: FeatureTransform,
): LayerFold {
  const { name } = target;
  const mean = required(weights, name, 'mean');
  const variance = required(weights, name, 'variance');
  const { a, c } = perFeature(t, mean.values.length, name);
  requirePositive(a, t, name);
  const std = Array.from(variance.values, (v) => Math.max(Math.sqrt(v), STD_FLOOR));
  const invert = target.config['invert'] === true;
  const newMean = a.map((aj, j) =>
    invert ? mean.values[j]! - c[j]! * std[j]! : (mean.values[j]! + c[j]!) / aj,
  );
  const newStd = a.map((aj, j) => (invert ? std[j]! * aj : std[j]! / aj));
  if (newStd.some((s) => s < STD_FLOOR))
    throw new ExportError(
      `cannot fold ${t.what} into layer "${name}": a standard deviation would fall below Normalization's floor 1e-7`,
    );
  const out = new Map<string, ExportWeight>();
  out.set(mean.name, vector(mean, mean.name, newMean));
  out.set(
    variance.name,
    vector(
      variance,
      variance.name,
      newStd.map((s) => s * s),
    ),
  );
  return { weights: out, config: {} };
}

function foldLayerNorm(target: FoldTarget, t: FeatureTransform): LayerFold {
  if (!t.uniform || t.c[0] !== 0)
    throw new ExportError(
      `cannot fold ${t.what} into layer "${target.name}" (LayerNormalization): it normalizes each example over its features, which a per-feature shift or scale changes; train with --normalize none`,
    );
  const a = t.a[0]!;
  requirePositive([a], t, target.name);
  const epsilon = Number(target.config['epsilon'] ?? 1e-3);
  return { weights: new Map(), config: { epsilon: epsilon / (a * a) } };
}

/** The fold into `target`, or undefined when it is not a normalization layer. */
export function foldIntoNormalization(
  target: FoldTarget,
  weights: readonly ExportWeight[],
  t: FeatureTransform,
): LayerFold | undefined {
  switch (target.className) {
    case 'BatchNormalization':
      return foldBatchNorm(target, weights, t);
    case 'Normalization':
      return foldNormalization(target, weights, t);
    case 'LayerNormalization':
      return foldLayerNorm(target, t);
    default:
      return undefined;
  }
}
