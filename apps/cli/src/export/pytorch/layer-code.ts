/**
 * One Tessera layer as PyTorch code: the submodule `__init__` creates (if any), the
 * expression `forward()` computes, and which Tessera weight fills which parameter.
 */
import { ValueError } from '@tessera/core';
import type { GraphNode } from './model-graph.js';
import { builtinActivation } from './python-activations.js';

/** A Tessera weight and the PyTorch parameter it becomes. */
export interface WeightLink {
  /** Tessera weight name, e.g. `dense/kernel`. */
  tessera: string;
  /** Attribute path on the module, e.g. `dense.weight`. */
  torch: string;
  /** Dense kernels are [in, out] in Tessera and [out, in] in `nn.Linear`. */
  transpose: boolean;
}

/** The code of one layer. */
export interface LayerCode {
  /** `self.<attr> = ...` right-hand side, when the layer owns a submodule. */
  module?: string;
  /** Python expression of the output. */
  expr: string;
  weights: WeightLink[];
  /** Helper functions of model.py this layer needs. */
  helpers: string[];
}

/** What rendering a layer needs from around it. */
export interface LayerContext {
  /** The submodule's attribute name. */
  attr: string;
  /** Python expressions of the inputs. */
  args: string[];
  /** Shapes of the model's weights by name. */
  shapes: ReadonlyMap<string, readonly number[]>;
  /** Names of user functions with a Python equivalent in custom_functions.py. */
  custom: ReadonlySet<string>;
}

/** Python for `name` applied to `x`; custom names need a supplied equivalent. */
export function activationCode(
  name: unknown,
  x: string,
  layer: string,
  custom: ReadonlySet<string>,
): string {
  const key = String(name ?? 'linear');
  const builtin = builtinActivation(key, x);
  if (builtin !== undefined) return builtin;
  if (custom.has(key)) return `custom_functions.${key}(${x})`;
  throw new ValueError(
    `PyTorch export: layer "${layer}" uses the custom function "${key}", which has no PyTorch equivalent. ` +
      `Supply one with --pytorch-functions FILE.py defining \`def ${key}(x): ...\``,
  );
}

function num(config: Record<string, unknown>, key: string, fallback: number): number {
  const v = config[key];
  return typeof v === 'number' ? v : fallback;
}

function linear(node: GraphNode, ctx: LayerContext, outUnits: number): LayerCode {
  const kernel = ctx.shapes.get(`${node.name}/kernel`);
  if (kernel === undefined || kernel.length !== 2) {
    throw new ValueError(`PyTorch export: layer "${node.name}" has no 2-D kernel weight`);
  }
  const useBias = node.config['useBias'] !== false;
  const weights: WeightLink[] = [
    { tessera: `${node.name}/kernel`, torch: `${ctx.attr}.weight`, transpose: true },
  ];
  if (useBias)
    weights.push({ tessera: `${node.name}/bias`, torch: `${ctx.attr}.bias`, transpose: false });
  return {
    module: `nn.Linear(${kernel[0]}, ${outUnits}, bias=${useBias ? 'True' : 'False'})`,
    expr: `self.${ctx.attr}(${ctx.args[0]})`,
    weights,
    helpers: [],
  };
}

const plain = (expr: string, helpers: string[] = []): LayerCode => ({ expr, weights: [], helpers });

const pyBool = (value: unknown, fallback: boolean): string =>
  (typeof value === 'boolean' ? value : fallback) ? 'True' : 'False';

/** Links `<layer>/<short>` to `<attr>.<short>` for each weight the layer has. */
function ownWeights(node: GraphNode, ctx: LayerContext, shorts: string[]): WeightLink[] {
  return shorts
    .filter((short) => ctx.shapes.has(`${node.name}/${short}`))
    .map((short) => ({
      tessera: `${node.name}/${short}`,
      torch: `${ctx.attr}.${short}`,
      transpose: false,
    }));
}

/** The length of the layer's per-feature weight `short`. */
function features(node: GraphNode, ctx: LayerContext, short: string): number {
  const shape = ctx.shapes.get(`${node.name}/${short}`);
  if (shape === undefined || shape.length !== 1)
    throw new ValueError(`PyTorch export: layer "${node.name}" has no 1-D weight "${short}"`);
  return shape[0]!;
}

/** A layer that is a helper module of model.py: `self.<attr> = Class(args)`. */
function helperModule(
  className: string,
  args: string,
  ctx: LayerContext,
  weights: WeightLink[] = [],
): LayerCode {
  return {
    module: `${className}(${args})`,
    expr: `self.${ctx.attr}(${ctx.args[0] ?? 'x'})`,
    weights,
    helpers: [className],
  };
}

/** The normalization and noise layers; undefined for other classes. */
function normalizationCode(node: GraphNode, ctx: LayerContext): LayerCode | undefined {
  const c = node.config;
  const trainable = pyBool(c['trainable'], true);
  switch (node.className) {
    case 'BatchNormalization': {
      const n = features(node, ctx, 'moving_mean');
      const args = `${n}, ${num(c, 'axis', -1)}, ${num(c, 'momentum', 0.99)}, ${num(c, 'epsilon', 1e-3)}, ${pyBool(c['center'], true)}, ${pyBool(c['scale'], true)}, ${trainable}`;
      return helperModule(
        'BatchNormalization',
        args,
        ctx,
        ownWeights(node, ctx, ['gamma', 'beta', 'moving_mean', 'moving_variance']),
      );
    }
    case 'LayerNormalization': {
      const n = ctx.shapes.has(`${node.name}/gamma`)
        ? features(node, ctx, 'gamma')
        : ctx.shapes.has(`${node.name}/beta`)
          ? features(node, ctx, 'beta')
          : 0;
      const args = `${n}, ${num(c, 'epsilon', 1e-3)}, ${pyBool(c['center'], true)}, ${pyBool(c['scale'], true)}, ${trainable}`;
      return helperModule(
        'LayerNormalization',
        args,
        ctx,
        ownWeights(node, ctx, ['gamma', 'beta']),
      );
    }
    case 'Normalization': {
      const args = `${features(node, ctx, 'mean')}, ${num(c, 'axis', -1)}, ${pyBool(c['invert'], false)}`;
      return helperModule('Normalization', args, ctx, ownWeights(node, ctx, ['mean', 'variance']));
    }
    case 'GaussianNoise':
      return helperModule('GaussianNoise', String(num(c, 'stddev', 0)), ctx);
    case 'GaussianDropout':
      return helperModule('GaussianDropout', String(num(c, 'rate', 0)), ctx);
    case 'AlphaDropout':
      // torch's alpha dropout is Keras's: selu's saturation, then a·x + b.
      return {
        module: `nn.AlphaDropout(${num(c, 'rate', 0)})`,
        expr: `self.${ctx.attr}(${ctx.args[0] ?? 'x'})`,
        weights: [],
        helpers: [],
      };
    case 'ActivityRegularization':
      // The identity; its penalty belongs to training (train_ddp.py refuses penalties).
      return plain(ctx.args[0] ?? 'x');
    default:
      return undefined;
  }
}

/** The PyTorch code of one layer call. */
export function layerCode(node: GraphNode, ctx: LayerContext): LayerCode {
  const c = node.config;
  const x = ctx.args[0] ?? 'x';
  const normalization = normalizationCode(node, ctx);
  if (normalization !== undefined) return normalization;
  switch (node.className) {
    case 'Dense': {
      const code = linear(node, ctx, num(c, 'units', 0));
      return { ...code, expr: activationCode(c['activation'], code.expr, node.name, ctx.custom) };
    }
    case 'Maxout': {
      const units = num(c, 'units', 0);
      const pieces = num(c, 'pieces', 0);
      const code = linear(node, ctx, units * pieces);
      // Tessera's kernel columns are unit-major: column u·pieces + p is piece p of unit u.
      return { ...code, expr: `${code.expr}.reshape(-1, ${units}, ${pieces}).amax(dim=-1)` };
    }
    case 'Activation':
      return plain(activationCode(c['activation'], x, node.name, ctx.custom));
    case 'Lambda':
      return plain(activationCode(c['fn'], x, node.name, ctx.custom));
    case 'ReLU': {
      const max = c['maxValue'];
      const args = `${max === null || max === undefined ? 'None' : String(max)}, ${num(c, 'negativeSlope', 0)}, ${num(c, 'threshold', 0)}`;
      return plain(`relu_with_options(${x}, ${args})`, ['relu_with_options']);
    }
    case 'LeakyReLU':
      return plain(`F.leaky_relu(${x}, ${num(c, 'alpha', 0.3)})`);
    case 'ELU':
      return plain(`F.elu(${x}, ${num(c, 'alpha', 1)})`);
    case 'Softmax': {
      const axis = c['axis'];
      if (Array.isArray(axis) && axis.length > 1) {
        // Over several axes at once: exp(x − logsumexp over them).
        const dims = axis.map((a) => String(Number(a))).join(', ');
        return plain(`torch.exp(${x} - torch.logsumexp(${x}, dim=(${dims}), keepdim=True))`);
      }
      const one = Array.isArray(axis) ? axis[0] : axis;
      return plain(
        `torch.softmax(${x}, dim=${one === undefined || one === null ? -1 : Number(one)})`,
      );
    }
    case 'Dropout':
      return {
        module: `nn.Dropout(${num(c, 'rate', 0)})`,
        expr: `self.${ctx.attr}(${x})`,
        weights: [],
        helpers: [],
      };
    case 'Flatten':
      return plain(`${x}.flatten(1)`);
    case 'Reshape': {
      const target = (c['targetShape'] as number[] | undefined) ?? [];
      return plain(`${x}.reshape(${x}.shape[0], ${target.join(', ')})`);
    }
    case 'Add':
      return plain(ctx.args.join(' + '));
    case 'Concatenate':
      return plain(`torch.cat([${ctx.args.join(', ')}], dim=${num(c, 'axis', -1)})`);
    default:
      throw new ValueError(
        `PyTorch export: layer "${node.name}" of class ${node.className} has no PyTorch equivalent`,
      );
  }
}
