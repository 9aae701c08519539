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
} from './keras-names.js';
import { type ActivationPlan, planActivation } from './tfjs-activations.js';
import { expandNormalization } from './tfjs-normalization-map.js';
import type { ExportWeight } from './tfjs-topology.js';

/** One tfjs layer of the output. */
export interface TfjsLayer {
  /** tfjs-layers class name ('Dense', 'LeakyReLU', …). */
  className: string;
  /** Layer name (kept from Tessera where the layer holds weights). */
  name: string;
  /** Its config, camelCase. */
  config: Record<string, unknown>;
  /**
   * The layers of the same expansion this one reads, by index; -1 is the Tessera layer's
   * input. Default: the previous layer (the input for the first).
   */
  inputs?: number[];
}

/** What one Tessera layer becomes; the last layer's output is the Tessera layer's output. */
export interface Expansion {
  /** The tfjs layers, in order. */
  layers: TfjsLayer[];
  /**
   * The tfjs weights of this layer, from its Tessera weights (in the model's order; none for
   * a layer without weights); default: unchanged.
   */
  weights?: (own: ExportWeight[]) => ExportWeight[];
}

/** What expanding a layer may need from around it. */
export interface ExpandContext {
  /** Layer names in use. */
  names: NamePool;
  /** A layer's input shape (batch dimension null), when the model is at hand. */
  inputShape(layer: string): ReadonlyArray<number | null> | undefined;
}

/** Whether every layer reads only the one before it (a Sequential can hold it). */
export function isChain(expansion: Expansion): boolean {
  return expansion.layers.every(
    (l, i) => l.inputs === undefined || (l.inputs.length === 1 && l.inputs[0] === i - 1),
  );
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
export function baseConfig(name: string, config: Record<string, unknown>): Record<string, unknown> {
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

/** A layer with a name, trainable, dtype and `config`. */
function plainLayer(
  className: string,
  name: string,
  config: Record<string, unknown>,
  inputs?: number[],
): TfjsLayer {
  return {
    className,
    name,
    config: { name, trainable: true, dtype: 'float32', ...config },
    ...(inputs === undefined ? {} : { inputs }),
  };
}

/**
 * The layers of an activation graph after the layer at `at` of an expansion (or after the
 * expansion's input, `at` = -1); the last one is named `lastName` when given.
 */
function activationLayers(
  plan: Extract<ActivationPlan, { kind: 'graph' }>,
  owner: string,
  at: number,
  names: NamePool,
  lastName?: string,
): TfjsLayer[] {
  const first = at + 1;
  return plan.steps.map((step, i) => {
    const name =
      lastName !== undefined && i === plan.steps.length - 1
        ? lastName
        : names.fresh(`${owner}_${step.suffix}`);
    const inputs = (step.inputs ?? [i - 1]).map((j) => (j === -1 ? at : first + j));
    return plainLayer(step.className, name, step.config, inputs);
  });
}

/** Columns [from, to) of a [rows, width] matrix (or a [width] vector). */
function columns(w: ExportWeight, from: number, to: number, name: string): ExportWeight {
  const width = w.shape[w.shape.length - 1]!;
  const rows = w.values.length / width;
  const out = new Float32Array(rows * (to - from));
  for (let r = 0; r < rows; r++)
    out.set(w.values.subarray(r * width + from, r * width + to), r * (to - from));
  return { name, shape: [...w.shape.slice(0, -1), to - from], values: out };
}

/**
 * glu after a Dense layer: the Dense layer split in two by columns — `a` (keeping the name)
 * and `gate` — then `a · sigmoid(gate)`. Each half computes exactly its columns.
 */
function denseGlu(
  name: string,
  dense: Record<string, unknown>,
  names: NamePool,
  where: string,
): Expansion {
  const units = Number(dense['units']);
  if (!Number.isInteger(units) || units % 2 !== 0)
    throw new ExportError(`${where}: glu needs an even number of units. Received: units=${units}`);
  const half = units / 2;
  const gate = names.fresh(`${name}_gate`);
  const { batchInputShape: _shape, ...gateConfig } = dense;
  return {
    layers: [
      { className: 'Dense', name, config: { ...dense, units: half } },
      {
        className: 'Dense',
        name: gate,
        config: { ...gateConfig, name: gate, units: half },
        inputs: [-1],
      },
      plainLayer('Activation', names.fresh(`${name}_sigmoid`), { activation: 'sigmoid' }, [1]),
      plainLayer('Multiply', names.fresh(`${name}_glu`), {}, [0, 2]),
    ],
    weights: (own) =>
      own.flatMap((w) => {
        const kind = w.name.slice(w.name.lastIndexOf('/') + 1);
        return [columns(w, 0, half, `${name}/${kind}`), columns(w, half, units, `${gate}/${kind}`)];
      }),
  };
}

/**
 * glu as a layer of its own: two Dense layers without bias whose kernels select the first
 * and the second half of the features (each output is one input times 1 plus zeros: exact),
 * then `a · sigmoid(b)`.
 */
function layerGlu(
  name: string,
  base: Record<string, unknown>,
  ctx: ExpandContext,
  where: string,
): Expansion {
  const width = ctx.inputShape(name)?.at(-1);
  if (typeof width !== 'number')
    throw new ExportError(`${where}: glu needs the width of its input, which is unknown here`);
  if (width % 2 !== 0)
    throw new ExportError(`${where}: glu needs an even input width. Received: width=${width}`);
  const half = width / 2;
  const [a, b] = [ctx.names.fresh(`${name}_first_half`), ctx.names.fresh(`${name}_second_half`)];
  const selector = (layer: string): Record<string, unknown> => ({
    ...base,
    name: layer,
    units: half,
    activation: 'linear',
    useBias: false,
    trainable: false,
    kernelInitializer: { className: 'Zeros', config: {} },
  });
  const select = (layer: string, from: number): ExportWeight => {
    const values = new Float32Array(width * half);
    for (let k = 0; k < half; k++) values[(from + k) * half + k] = 1;
    return { name: `${layer}/kernel`, shape: [width, half], values };
  };
  // Only the first layer of an expansion may carry the model's input shape.
  const { batchInputShape: _shape, ...second } = selector(b);
  return {
    layers: [
      { className: 'Dense', name: a, config: selector(a) },
      { className: 'Dense', name: b, config: second, inputs: [-1] },
      plainLayer('Activation', ctx.names.fresh(`${name}_sigmoid`), { activation: 'sigmoid' }, [1]),
      plainLayer('Multiply', name, {}, [0, 2]),
    ],
    weights: () => [select(a, 0), select(b, half)],
  };
}

/** The tfjs layers that compute what one Tessera layer computes; ExportError when none do. */
export function expand(layer: SourceLayer, ctx: ExpandContext): Expansion {
  const { names } = ctx;
  const c = record(layer.config, 'a layer config');
  const name =
    typeof c['name'] === 'string' ? c['name'] : names.fresh(layer.className.toLowerCase());
  const where = `layer "${name}" (${layer.className})`;
  const base = baseConfig(name, c);
  const normalization = expandNormalization(layer.className, { name, config: c, base, where, ctx });
  if (normalization !== undefined) return normalization;
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
      const dense = denseConfig(name, c, plan.kind === 'same' ? plan.name : 'linear', where);
      if (plan.kind === 'same') return { layers: [{ className: 'Dense', name, config: dense }] };
      if (plan.kind === 'glu') return denseGlu(name, dense, names, where);
      return {
        layers: [
          { className: 'Dense', name, config: dense },
          ...activationLayers(plan, name, 0, names),
        ],
      };
    }
    case 'Activation': {
      const plan = planActivation(c['activation'], where);
      if (plan.kind === 'same')
        return {
          layers: [{ className: 'Activation', name, config: { ...base, activation: plan.name } }],
        };
      if (plan.kind === 'glu') return layerGlu(name, base, ctx, where);
      const layers = activationLayers(plan, name, -1, names, name);
      // The first layer takes the model's input shape when this layer is first.
      layers[0]!.config = { ...base, ...layers[0]!.config, name: layers[0]!.name };
      return { layers };
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
      if (Array.isArray(c['axis']) && c['axis'].length > 1) {
        throw new ExportError(
          `${where}: TF.js's Softmax layer normalises over one axis. Received: axis=${JSON.stringify(c['axis'])}`,
        );
      }
      return {
        layers: [
          {
            className: 'Softmax',
            name,
            config: { ...base, axis: (Array.isArray(c['axis']) ? c['axis'][0] : c['axis']) ?? -1 },
          },
        ],
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
      const reorder = maxoutReorder(units, pieces);
      return {
        layers: [
          { className: 'Dense', name, config: dense },
          plainLayer('Reshape', reshape, { targetShape: [pieces, units] }),
          plainLayer('GlobalMaxPooling1D', pool, {}),
        ],
        weights: (own) => own.map(reorder),
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
