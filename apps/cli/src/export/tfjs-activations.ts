/**
 * How each Tessera activation is exported to @tensorflow/tfjs-layers 4.22, which loads no
 * custom code: by name when tfjs defines it the same way; otherwise as a small graph of
 * layers tfjs has (Rescaling `x·scale + offset`, Activation, Multiply, Add, LeakyReLU) that
 * computes the same formula:
 *
 * - celu (alpha 1, the only value a config can name) is elu;
 * - leaky_relu → LeakyReLU(alpha 0.2), Keras 3's slope;
 * - hard_sigmoid = relu6(x + 3) / 6 → Rescaling(1, +3) → relu6 → Rescaling(1/6);
 *   (tfjs's own hardSigmoid is Keras 2's, slope 0.2, so the name alone would mis-load);
 * - hard_silu = x · hard_sigmoid(x) → the above, then Multiply with x;
 * - log_sigmoid = -softplus(-x) → Rescaling(-1) → softplus → Rescaling(-1);
 * - sparse_plus = (clip(x, -1, 1) + 1)² / 4 + relu(x - 1), with clip(x, -1, 1) + 1 =
 *   relu6(3x + 3) / 3 → that, squared by Multiply, ·¼, plus relu(x - 1) by Add;
 * - glu (needs the width of its input): see tfjs-layer-map.ts.
 *
 * exponential and squareplus need exp or a square root of a sum, which no tfjs layer
 * computes: they fail with an ExportError saying so.
 */
import { ACTIVATION_NAMES, activations } from '@tessera/layers';
import { ExportError } from './keras-names.js';

/** Activations tfjs-layers has under the same name with the same definition. */
const SAME_ACTIVATIONS = new Set([
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'softmax',
  'log_softmax',
  'elu',
  'selu',
  'gelu',
  'swish',
  'softplus',
  'softsign',
  'mish',
]);

/** Tessera names that are a tfjs activation under another name. */
const RENAMED: Readonly<Record<string, string>> = {
  // celu's alpha is 1 whenever a config names it, and celu with alpha 1 is elu.
  celu: 'elu',
};

/** Why an activation cannot be exported. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  exponential: 'TF.js has no exponential activation, and no layer computes exp',
  squareplus: 'TF.js has no layer or activation that computes a square root',
};

/** One layer of an activation's graph. */
export interface ActivationStep {
  /** tfjs-layers class name. */
  className: string;
  /** Appended to the layer's name for the step's own name (`dense_1_relu6`). */
  suffix: string;
  /** Layer-specific config (camelCase; name, trainable and dtype are added later). */
  config: Record<string, unknown>;
  /** Earlier steps this one reads (-1: the activation's input); default the previous step. */
  inputs?: number[];
}

/** How one activation is exported. */
export type ActivationPlan =
  | { kind: 'same'; name: string }
  | { kind: 'graph'; steps: ActivationStep[] }
  | { kind: 'glu' };

const rescale = (scale: number, offset: number, inputs?: number[]): ActivationStep => ({
  className: 'Rescaling',
  suffix: 'rescale',
  config: { scale, offset },
  ...(inputs === undefined ? {} : { inputs }),
});
const apply = (activation: string): ActivationStep => ({
  className: 'Activation',
  suffix: activation,
  config: { activation },
});

/** hard_sigmoid = relu6(x + 3) / 6, reading the activation's input. */
const HARD_SIGMOID: ActivationStep[] = [rescale(1, 3), apply('relu6'), rescale(1 / 6, 0)];

const GRAPHS: Readonly<Record<string, ActivationStep[]>> = {
  leaky_relu: [{ className: 'LeakyReLU', suffix: 'leaky_relu', config: { alpha: 0.2 } }],
  hard_sigmoid: HARD_SIGMOID,
  hard_silu: [
    ...HARD_SIGMOID,
    { className: 'Multiply', suffix: 'hard_silu', config: {}, inputs: [-1, 2] },
  ],
  log_sigmoid: [rescale(-1, 0), apply('softplus'), rescale(-1, 0)],
  sparse_plus: [
    rescale(3, 3, [-1]), // 0: 3x + 3
    apply('relu6'), // 1: clip(3x + 3, 0, 6)
    rescale(1 / 3, 0), // 2: clip(x, -1, 1) + 1
    { className: 'Multiply', suffix: 'square', config: {}, inputs: [2, 2] }, // 3
    rescale(0.25, 0), // 4: (clip(x, -1, 1) + 1)² / 4
    rescale(1, -1, [-1]), // 5: x - 1
    apply('relu'), // 6
    { className: 'Add', suffix: 'sparse_plus', config: {}, inputs: [4, 6] },
  ],
};

/** The registered (canonical) name of `name`: aliases such as hardSwish → hard_silu. */
function canonical(name: string): string {
  try {
    return activations.serialize(activations.get(name));
  } catch {
    return name;
  }
}

/** The export plan of the activation a layer config names; ExportError when there is none. */
export function planActivation(name: unknown, where: string): ActivationPlan {
  if (name === undefined || name === null) return { kind: 'same', name: 'linear' };
  if (typeof name !== 'string')
    throw new ExportError(`${where}: activation ${JSON.stringify(name)} is not a name`);
  const key = canonical(name);
  if (SAME_ACTIVATIONS.has(key)) return { kind: 'same', name: key };
  const renamed = RENAMED[key];
  if (renamed !== undefined) return { kind: 'same', name: renamed };
  if (key === 'glu') return { kind: 'glu' };
  const steps = GRAPHS[key];
  if (steps !== undefined) return { kind: 'graph', steps };
  const reason = UNSUPPORTED[key];
  if (reason !== undefined)
    throw new ExportError(`${where}: activation "${name}" cannot be exported to TF.js: ${reason}`);
  const builtIn: readonly string[] = ACTIVATION_NAMES;
  if (builtIn.includes(key) || builtIn.includes(name)) {
    throw new ExportError(
      `${where}: activation "${name}" cannot be exported to TF.js: TF.js has no layer or activation that computes it (export to PyTorch does)`,
    );
  }
  throw new ExportError(
    `${where}: activation "${name}" is a custom function; TF.js cannot load custom functions, so this model cannot be exported`,
  );
}
