/**
 * `categoricalCrossentropy`: the mean over rows of -Σ yTrue·log(clip(yPred / Σ yPred)),
 * Keras's crossentropy on probabilities, as ONE kernel with its own gradient.
 *
 * Unfused, tfjs records about ten ops for it (sum, divide, clip, log, multiply, sum,
 * negate, mean) and twice as many in the backward pass, each a full pass with generic
 * broadcasting. The forward loop performs the same float32 steps in the same order as
 * those ops, so the value is bitwise tfjs's. The gradient is the exact derivative of that
 * computation — renormalisation, the clip's zero gradient outside [ε, 1 - ε], the log —
 * evaluated in float64 per element and rounded once, so it agrees with tfjs's chain of
 * float32 steps to float32 rounding. With one-hot targets and nothing clipped, the
 * gradient w.r.t. yPred followed by softmax's Jacobian is (p - y) / batch.
 */
import type { GradConfig, Tensor as TfTensor } from '../../vendor/tfjs.js';
import { received, ShapeError, ValueError } from '../errors.js';
import { type Tensor, tf } from '../tf.js';
import { attrOf, type CpuBackend, float32Values, inputOf, type KernelArgs } from './cpu-backend.js';

/** Kernel name of the fused crossentropy. */
export const CROSSENTROPY_KERNEL = 'TesseraCategoricalCrossentropy';
/** Kernel name of its gradient. */
export const CROSSENTROPY_GRAD_KERNEL = 'TesseraCategoricalCrossentropyGrad';

/** Arguments of {@link categoricalCrossentropy}. */
export interface CategoricalCrossentropyArgs {
  /** Targets, [batch, classes], float32 (one-hot or any distribution). */
  yTrue: Tensor;
  /** Probabilities, [batch, classes], float32; each row is renormalised to sum to 1. */
  yPred: Tensor;
  /** Probabilities are clipped to [epsilon, 1 - epsilon] before the log (Keras: 1e-7). */
  epsilon: number;
}

interface Operands {
  y: Float32Array;
  p: Float32Array;
  rows: number;
  columns: number;
  epsilon: number;
}

function operands(args: KernelArgs): Operands {
  const backend = args.backend as CpuBackend;
  const pInfo = inputOf(args, 'yPred')!;
  const columns = pInfo.shape[1]!;
  return {
    y: float32Values(backend, inputOf(args, 'yTrue'))!,
    p: float32Values(backend, pInfo)!,
    rows: pInfo.shape[0]!,
    columns,
    epsilon: attrOf(args.attrs, 'epsilon') as number,
  };
}

/** Sum of row r of p, accumulated in float64 and rounded to float32 as tfjs's Sum. */
function rowSum(p: Float32Array, start: number, columns: number): number {
  let s = 0;
  for (let j = start; j < start + columns; j++) s += p[j]!;
  return Math.fround(s);
}

/** tfjs's clipByValue: compares with the float64 bounds, stores float32. */
function clip(q: number, lo: number, hi: number): number {
  return Math.fround(q > hi ? hi : Math.max(q, lo));
}

function forward(args: KernelArgs) {
  const { y, p, rows, columns, epsilon } = operands(args);
  const lo = epsilon;
  const hi = 1 - epsilon;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    const s = rowSum(p, start, columns);
    let sum = 0;
    for (let j = start; j < start + columns; j++) {
      const c = clip(Math.fround(p[j]! / s), lo, hi);
      sum += Math.fround(y[j]! * Math.fround(Math.log(c)));
    }
    total += Math.fround(-Math.fround(sum) / rows);
  }
  const backend = args.backend as CpuBackend;
  return backend.makeTensorInfo([], 'float32', Float32Array.of(total));
}

/** d loss / d yPred (wrt 'yPred') or d loss / d yTrue (wrt 'yTrue'), times the upstream dy. */
function gradient(args: KernelArgs) {
  const { y, p, rows, columns, epsilon } = operands(args);
  const backend = args.backend as CpuBackend;
  const dy = float32Values(backend, inputOf(args, 'dy'))![0]!;
  const wrtPred = attrOf(args.attrs, 'wrt') === 'yPred';
  const lo = epsilon;
  const hi = 1 - epsilon;
  // The clip's gradient passes where lo <= q <= hi, compared in float32 as tfjs does.
  const loF = Math.fround(lo);
  const hiF = Math.fround(hi);
  const scale = dy / rows;
  const out = new Float32Array(rows * columns);
  const g = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    const start = r * columns;
    const s = rowSum(p, start, columns);
    if (!wrtPred) {
      for (let j = start; j < start + columns; j++) {
        const c = clip(Math.fround(p[j]! / s), lo, hi);
        out[j] = -Math.fround(Math.log(c)) * scale;
      }
      continue;
    }
    // g = d loss / d q (zero where clipped); then through q = p / s.
    let gq = 0;
    for (let j = 0; j < columns; j++) {
      const q = Math.fround(p[start + j]! / s);
      const gj = q >= loF && q <= hiF ? (-y[start + j]! * scale) / q : 0;
      g[j] = gj;
      gq += gj * q;
    }
    for (let j = 0; j < columns; j++) out[start + j] = (g[j]! - gq) / s;
  }
  return backend.makeTensorInfo([rows, columns], 'float32', out);
}

const crossentropyGrad: GradConfig = {
  kernelName: CROSSENTROPY_KERNEL,
  inputsToSave: ['yTrue', 'yPred'],
  gradFunc: (dy, saved, attrs) => {
    const [yTrue, yPred] = saved as [TfTensor, TfTensor];
    const upstream = dy as TfTensor;
    const epsilon = attrOf(attrs, 'epsilon') as number;
    // Not differentiable again: neither is tfjs's clipByValue gradient.
    const grad = (wrt: 'yTrue' | 'yPred') => (): TfTensor =>
      tf
        .engine()
        .runKernel(
          CROSSENTROPY_GRAD_KERNEL,
          { yTrue, yPred, dy: upstream },
          { epsilon, wrt },
        ) as TfTensor;
    return { yTrue: grad('yTrue'), yPred: grad('yPred') };
  },
};

let registered = false;

/** Registers the crossentropy kernels and gradient on the cpu backend (once per thread). */
export function registerCrossentropyOp(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: CROSSENTROPY_KERNEL, backendName: 'cpu', kernelFunc: forward });
  tf.registerKernel({
    kernelName: CROSSENTROPY_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: gradient,
  });
  tf.registerGradient(crossentropyGrad);
}

/**
 * Scalar mean crossentropy of probabilities, as one recorded op (see the module comment).
 *
 * ```ts
 * const loss = categoricalCrossentropy({ yTrue, yPred: probabilities, epsilon: 1e-7 });
 * ```
 */
export function categoricalCrossentropy(args: CategoricalCrossentropyArgs): Tensor {
  const { yTrue, yPred, epsilon } = args;
  if (yTrue.dtype !== 'float32' || yPred.dtype !== 'float32') {
    throw new ValueError(
      received('categoricalCrossentropy: yTrue and yPred must be float32', 'dtype', [
        yTrue.dtype,
        yPred.dtype,
      ]),
    );
  }
  if (yPred.rank !== 2 || yTrue.rank !== 2 || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      received(
        'categoricalCrossentropy: expected yTrue and yPred of one shape [batch, classes]',
        'shapes',
        [yTrue.shape, yPred.shape],
      ),
    );
  }
  if (!(typeof epsilon === 'number' && epsilon > 0 && epsilon < 0.5)) {
    throw new ValueError(
      received('categoricalCrossentropy: epsilon must be in (0, 0.5)', 'epsilon', epsilon),
    );
  }
  return tf.engine().runKernel(CROSSENTROPY_KERNEL, { yTrue, yPred }, { epsilon }) as Tensor;
}
