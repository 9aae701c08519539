/**
 * One Tessera layer → the tfjs-layers layer(s) that compute the same thing (see
 * tfjs-topology.ts for the rewrites and why). Configs stay camelCase here; the topology
 * converts keys to snake_case at the end.
 */
import {
  ExportError,
  exportConstraint,
  exportInitializer,
  exportRegularizer,
  planActivation,
} from './keras-names.js';
import type { ExportWeight } from './tfjs-topology.js';

/** One tfjs layer of the output. */
export interface TfjsLayer {
  /** tfjs-layers class name ('Dense', 'LeakyReLU', …). */
  className: string;
  /** Layer name (kept from Tessera where the layer holds weights). */
  name: string;
  /** Its config, camelCase. */
  config: Record<string, unknown>;
}

/** What one Tessera layer becomes. */
export interface Expansion {
  /** The tfjs layers, in order; the first takes the original inputs. */
  layers: TfjsLayer[];
  /** Reorders the weights of this layer, when its rewrite needs it. */
  reorder?: (weight: ExportWeight) => ExportWeight;
}

/** A layer of the Tessera config. */
export interface SourceLayer {
  /** Tessera class name. */
  className: string;
  /** Tessera config, camelCase. */
  config: Record<string, unknown>;
}

/** `value` as a plain object, or an ExportError naming `what`. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ExportError(`model config: ${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** Keys every tfjs layer takes: name, trainable, dtype, and the input shape of a first layer. */
function baseConfig(name: string, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name,
    trainable: config['trainable'] ?? true,
    dtype: 'float32',
  };
  const inputShape = config['inputShape'];
  if (Array.isArray(inputShape)) out['batchInputShape'] = [null, ...inputShape];
  return out;
}

/** Layer names already used, so layers added by rewrites never collide. */
export class NamePool {
  private readonly used = new Set<string>();
  constructor(names: Iterable<string>) {
    for (const n of names) this.used.add(n);
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

function denseConfig(
  name: string,
  c: Record<string, unknown>,
  activation: string,
  where: string,
): Record<string, unknown> {
  return {
    ...baseConfig(name, c),
    units: c['units'],
    activation,
    useBias: c['useBias'] ?? true,
    kernelInitializer: exportInitializer(c['kernelInitializer'], where),
    biasInitializer: exportInitializer(c['biasInitializer'], where),
    kernelRegularizer: exportRegularizer(c['kernelRegularizer'], where),
    biasRegularizer: exportRegularizer(c['biasRegularizer'], where),
    activityRegularizer: exportRegularizer(c['activityRegularizer'], where),
    kernelConstraint: exportConstraint(c['kernelConstraint'], where),
    biasConstraint: exportConstraint(c['biasConstraint'], where),
  };
}

/** Maxout's column order u·pieces + p → p·units + u, for its kernel [in, units·pieces] and bias. */
function maxoutReorder(units: number, pieces: number): (w: ExportWeight) => ExportWeight {
  return (w) => {
    const width = units * pieces;
    const rows = w.values.length / width;
    const out = new Float32Array(w.values.length);
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        for (let p = 0; p < pieces; p++)
          out[r * width + p * units + u] = w.values[r * width + u * pieces + p]!;
      }
    }
    return { ...w, values: out };
  };
}

/** The tfjs layers that compute what one Tessera layer computes; ExportError when none do. */
export function expand(layer: SourceLayer, names: NamePool): Expansion {
  const c = record(layer.config, 'a layer config');
  const name =
    typeof c['name'] === 'string' ? c['name'] : names.fresh(layer.className.toLowerCase());
  const where = `layer "${name}" (${layer.className})`;
  const base = baseConfig(name, c);
  switch (layer.className) {
    case 'InputLayer':
      return {
        layers: [
          {
            className: 'InputLayer',
            name,
            config: {
              name,
              batchInputShape: c['batchShape'],
              dtype: c['dtype'] ?? 'float32',
              sparse: false,
            },
          },
        ],
      };
    case 'Dense': {
      const plan = planActivation(c['activation'], where);
      const dense: TfjsLayer = {
        className: 'Dense',
        name,
        config: denseConfig(name, c, plan.kind === 'same' ? plan.name : 'linear', where),
      };
      if (plan.kind === 'same') return { layers: [dense] };
      const extra = names.fresh(`${name}_leaky_relu`);
      return {
        layers: [
          dense,
          {
            className: plan.className,
            name: extra,
            config: { name: extra, trainable: true, dtype: 'float32', ...plan.config },
          },
        ],
      };
    }
    case 'Activation': {
      const plan = planActivation(c['activation'], where);
      if (plan.kind === 'same')
        return {
          layers: [{ className: 'Activation', name, config: { ...base, activation: plan.name } }],
        };
      return { layers: [{ className: plan.className, name, config: { ...base, ...plan.config } }] };
    }
    case 'Flatten':
      return { layers: [{ className: 'Flatten', name, config: base }] };
    case 'Reshape':
      return {
        layers: [
          { className: 'Reshape', name, config: { ...base, targetShape: c['targetShape'] } },
        ],
      };
    case 'Dropout':
      return {
        layers: [
          {
            className: 'Dropout',
            name,
            config: {
              ...base,
              rate: c['rate'],
              ...(c['seed'] === undefined ? {} : { seed: c['seed'] }),
            },
          },
        ],
      };
    case 'LeakyReLU':
      return { layers: [{ className: 'LeakyReLU', name, config: { ...base, alpha: c['alpha'] } }] };
    case 'ELU':
      if (Number(c['alpha'] ?? 1) !== 1) {
        throw new ExportError(
          `${where}: TF.js's ELU layer supports only alpha 1. Received: alpha=${String(c['alpha'])}`,
        );
      }
      return { layers: [{ className: 'ELU', name, config: { ...base, alpha: 1 } }] };
    case 'Softmax':
      return {
        layers: [{ className: 'Softmax', name, config: { ...base, axis: c['axis'] ?? -1 } }],
      };
    case 'ReLU': {
      const slope = Number(c['negativeSlope'] ?? 0);
      const threshold = Number(c['threshold'] ?? 0);
      const maxValue = c['maxValue'] ?? null;
      if (threshold === 0 && slope === 0)
        return { layers: [{ className: 'ReLU', name, config: { ...base, maxValue } }] };
      if (threshold === 0 && maxValue === null)
        return { layers: [{ className: 'LeakyReLU', name, config: { ...base, alpha: slope } }] };
      throw new ExportError(
        `${where}: a ReLU with a threshold or with both a slope and a cap has no TF.js equivalent`,
      );
    }
    case 'Maxout': {
      const units = Number(c['units']);
      const pieces = Number(c['pieces']);
      const reshape = names.fresh(`${name}_pieces`);
      const pool = names.fresh(`${name}_max`);
      const dense = denseConfig(name, { ...c, activityRegularizer: null }, 'linear', where);
      dense['units'] = units * pieces;
      return {
        layers: [
          { className: 'Dense', name, config: dense },
          {
            className: 'Reshape',
            name: reshape,
            config: {
              name: reshape,
              trainable: true,
              dtype: 'float32',
              targetShape: [pieces, units],
            },
          },
          {
            className: 'GlobalMaxPooling1D',
            name: pool,
            config: { name: pool, trainable: true, dtype: 'float32' },
          },
        ],
        reorder: maxoutReorder(units, pieces),
      };
    }
    case 'Concatenate':
      return {
        layers: [{ className: 'Concatenate', name, config: { ...base, axis: c['axis'] ?? -1 } }],
      };
    case 'Add':
      return { layers: [{ className: 'Add', name, config: base }] };
    case 'Lambda':
      throw new ExportError(
        `${where}: a Lambda layer runs a JavaScript function, and TF.js cannot load code from a model file; replace it with a built-in layer or activation to export`,
      );
    default:
      throw new ExportError(`${where}: TF.js has no layer for Tessera's ${layer.className}`);
  }
}
