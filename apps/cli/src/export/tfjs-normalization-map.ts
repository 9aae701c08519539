/**
 * The normalization and noise layers in TF.js terms:
 *
 * - BatchNormalization and LayerNormalization map one to one (same formulas, same
 *   momentum convention `moving·momentum + batch·(1 - momentum)`, same weight names).
 * - Normalization (a fixed per-feature `(x - mean) / max(sqrt(var), 1e-7)`, or its inverse)
 *   has no tfjs layer; its inference is a BatchNormalization with epsilon 0:
 *   moving_mean = mean and moving_variance = max(sqrt(var), 1e-7)² (no gamma or beta); the
 *   inverse `mean + x·std` is gamma = std, beta = mean over moving statistics 0 and 1.
 * - GaussianNoise, GaussianDropout and AlphaDropout exist in tfjs and, like Tessera's, are
 *   identities at inference; ActivityRegularization (a training-time penalty, identity
 *   otherwise) has no tfjs layer and becomes a linear Activation.
 *
 * tfjs normalizes only inputs of rank 2 to 4; other ranks fail here, naming the layer. Its
 * batch-norm kernel (4.22, cpu) pairs statistics with the last axis whatever `axis` says, so
 * a layer over another axis is exported as Permute (that axis last) → the layer over the
 * last axis → Permute back: transposes, exact.
 */
import { ExportError, exportInitializer } from './keras-names.js';
import type { ExpandContext, Expansion } from './tfjs-layer-map.js';
import type { ExportWeight } from './tfjs-topology.js';

/** Keras's floor on Normalization's standard deviation. */
const STD_FLOOR = 1e-7;

/** The Tessera layer being expanded. */
export interface NormalizationSource {
  name: string;
  /** Its Tessera config. */
  config: Record<string, unknown>;
  /** name, trainable, dtype (and the input shape of a first layer), tfjs-style. */
  base: Record<string, unknown>;
  /** `layer "name" (Class)`, for errors. */
  where: string;
  ctx: ExpandContext;
}

/** Fails unless tfjs's batch-normalization kernels take the layer's input (rank 2 to 4). */
function requireRank(source: NormalizationSource): void {
  const shape = source.ctx.inputShape(source.name);
  if (shape !== undefined && (shape.length < 2 || shape.length > 4)) {
    throw new ExportError(
      `${source.where}: TF.js normalizes only inputs of rank 2 to 4 (batch included). Received: input shape [${shape.map((d) => d ?? 'null').join(', ')}]`,
    );
  }
}

/** The feature axis as a positive index, and the input's rank; an ExportError when unknown. */
function featureAxis(source: NormalizationSource): { axis: number; rank: number } | undefined {
  const raw = Number(source.config['axis'] ?? -1);
  const shape = source.ctx.inputShape(source.name);
  if (shape === undefined) {
    if (raw === -1) return undefined;
    throw new ExportError(
      `${source.where}: the rank of its input is unknown, so axis ${raw} cannot be placed`,
    );
  }
  return { axis: raw < 0 ? raw + shape.length : raw, rank: shape.length };
}

/**
 * `expansion` (one layer normalizing over the last axis) between two Permute layers when
 * the layer's feature axis is another one (see the module comment).
 */
function overFeatureAxis(source: NormalizationSource, expansion: Expansion): Expansion {
  const placed = featureAxis(source);
  if (placed === undefined || placed.axis === placed.rank - 1) return expansion;
  const { axis, rank } = placed;
  // Permute's dims count from 1 and leave the batch alone.
  const dims = [
    ...Array.from({ length: rank - 1 }, (_, i) => i + 1).filter((d) => d !== axis),
    axis,
  ];
  const back = dims.map((_, i) => dims.indexOf(i + 1) + 1);
  const inner = expansion.layers[0]!;
  const { batchInputShape, ...innerConfig } = inner.config;
  const permute = (suffix: string, order: number[], first: boolean) => {
    const name = source.ctx.names.fresh(`${source.name}_${suffix}`);
    return {
      className: 'Permute',
      name,
      config: {
        name,
        trainable: true,
        dtype: 'float32',
        dims: order,
        ...(first && batchInputShape !== undefined ? { batchInputShape } : {}),
      },
    };
  };
  return {
    ...expansion,
    layers: [
      permute('axis_last', dims, true),
      { ...inner, config: { ...innerConfig, axis: -1 } },
      permute('axis_back', back, false),
    ],
  };
}

/** A weight of this layer by its short name (`moving_mean`). */
function weightOf(own: ExportWeight[], layer: string, short: string): ExportWeight {
  const w = own.find((x) => x.name === `${layer}/${short}`);
  if (w === undefined) throw new ExportError(`layer "${layer}" has no weight "${short}"`);
  return w;
}

/** Normalization as a tfjs BatchNormalization (see the module comment). */
function normalizationAsBatchNorm(source: NormalizationSource): Expansion {
  const { name, config: c, base } = source;
  const invert = c['invert'] === true;
  const zeros = { className: 'Zeros', config: {} };
  const ones = { className: 'Ones', config: {} };
  return {
    layers: [
      {
        className: 'BatchNormalization',
        name,
        config: {
          ...base,
          trainable: false,
          axis: c['axis'] ?? -1,
          momentum: 0.99,
          epsilon: 0,
          center: invert,
          scale: invert,
          betaInitializer: zeros,
          gammaInitializer: ones,
          movingMeanInitializer: zeros,
          movingVarianceInitializer: ones,
        },
      },
    ],
    weights: (own) => {
      const mean = weightOf(own, name, 'mean');
      const variance = weightOf(own, name, 'variance');
      const std = Float64Array.from(variance.values, (v) => Math.max(Math.sqrt(v), STD_FLOOR));
      const shape = [...mean.shape];
      const named = (short: string, values: ArrayLike<number>): ExportWeight => ({
        name: `${name}/${short}`,
        shape,
        values: Float32Array.from(values),
      });
      if (!invert)
        return [
          named('moving_mean', mean.values),
          named(
            'moving_variance',
            std.map((s) => s * s),
          ),
        ];
      return [
        named('gamma', std),
        named('beta', mean.values),
        named('moving_mean', new Float32Array(mean.values.length)),
        named('moving_variance', new Float32Array(mean.values.length).fill(1)),
      ];
    },
  };
}

/** The tfjs layer(s) of a normalization or noise layer; undefined for other classes. */
export function expandNormalization(
  className: string,
  source: NormalizationSource,
): Expansion | undefined {
  const { name, config: c, base, where } = source;
  const one = (tfjsClass: string, config: Record<string, unknown>): Expansion => ({
    layers: [{ className: tfjsClass, name, config: { ...base, ...config } }],
  });
  switch (className) {
    case 'BatchNormalization':
      requireRank(source);
      return overFeatureAxis(
        source,
        one('BatchNormalization', {
          axis: c['axis'] ?? -1,
          momentum: c['momentum'] ?? 0.99,
          epsilon: c['epsilon'] ?? 1e-3,
          center: c['center'] ?? true,
          scale: c['scale'] ?? true,
          betaInitializer: exportInitializer(c['betaInitializer'] ?? 'Zeros', where),
          gammaInitializer: exportInitializer(c['gammaInitializer'] ?? 'Ones', where),
          movingMeanInitializer: exportInitializer(c['movingMeanInitializer'] ?? 'Zeros', where),
          movingVarianceInitializer: exportInitializer(
            c['movingVarianceInitializer'] ?? 'Ones',
            where,
          ),
        }),
      );
    case 'LayerNormalization':
      requireRank(source);
      return one('LayerNormalization', {
        axis: -1,
        epsilon: c['epsilon'] ?? 1e-3,
        center: c['center'] ?? true,
        scale: c['scale'] ?? true,
        betaInitializer: exportInitializer(c['betaInitializer'] ?? 'Zeros', where),
        gammaInitializer: exportInitializer(c['gammaInitializer'] ?? 'Ones', where),
      });
    case 'Normalization':
      requireRank(source);
      return overFeatureAxis(source, normalizationAsBatchNorm(source));
    case 'GaussianNoise':
      return one('GaussianNoise', { stddev: c['stddev'] });
    case 'GaussianDropout':
    case 'AlphaDropout':
      return one(className, { rate: c['rate'] });
    case 'ActivityRegularization':
      return one('Activation', { activation: 'linear' });
    default:
      return undefined;
  }
}
