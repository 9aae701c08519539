/**
 * `fusedDense`: y = act(x · kernel + bias) as ONE kernel with its own gradient, for the
 * Dense layer's hot path.
 *
 * Forward runs the registered `_FusedMatMul` kernel (our GEMM, bias and ReLU fused into
 * its store), then softmax in place when asked. Backward first turns dy into the
 * pre-activation gradient dz in one pass over the saved output y (the ReLU mask, or the
 * softmax Jacobian), then dW = xᵀ·dz and dx = dz·kernelᵀ on the GEMM with transpose flags
 * (no transposed copies) and db = column sums of dz (the Sum kernel's in-place path).
 * tfjs computes each gradient only for inputs on the path to the loss, so the first
 * layer never pays for dx.
 *
 * Compared with tfjs's fused matMul, which records matMul + add + relu separately when
 * gradients are taken, this records one node and saves x, kernel and y once.
 */
import type { GradConfig, NamedAttrMap, Tensor as TfTensor } from '../../vendor/tfjs.js';
import { received, ShapeError, ValueError } from '../errors.js';
import { type Tensor, tf } from '../tf.js';
import { attrOf, type CpuBackend, float32Values, inputOf, type KernelArgs } from './cpu-backend.js';
import { softmaxGradRows, softmaxRows } from './softmax.js';

/** Kernel name of the fused dense forward pass. */
export const DENSE_KERNEL = 'TesseraDense';
/** Kernel name of the activation gradient (dy and y to dz). */
export const DENSE_ACTIVATION_GRAD_KERNEL = 'TesseraDenseActivationGrad';

/** Activations {@link fusedDense} applies itself. */
export type DenseActivation = 'linear' | 'relu' | 'softmax';

/** Every {@link DenseActivation}. */
export const DENSE_ACTIVATIONS: readonly DenseActivation[] = ['linear', 'relu', 'softmax'];

/** Arguments of {@link fusedDense}. */
export interface FusedDenseArgs {
  /** Inputs, [batch, inputDim], float32. */
  x: Tensor;
  /** Weights, [inputDim, units], float32. */
  kernel: Tensor;
  /** Added to every row, [units], float32; none when absent. */
  bias?: Tensor | undefined;
  /** Applied last, along the units axis (default 'linear'). */
  activation?: DenseActivation;
}

function activationOf(attrs: NamedAttrMap | undefined): DenseActivation {
  const a = attrOf(attrs, 'activation');
  return a === 'relu' || a === 'softmax' ? a : 'linear';
}

function denseForward(args: KernelArgs) {
  const activation = activationOf(args.attrs);
  const matMul = tf.getKernel('_FusedMatMul', 'cpu');
  if (matMul === undefined) throw new Error('The cpu backend has no _FusedMatMul kernel');
  const bias = inputOf(args, 'bias');
  const out = matMul.kernelFunc({
    inputs: { a: inputOf(args, 'x')!, b: inputOf(args, 'kernel')!, ...(bias ? { bias } : {}) },
    backend: args.backend,
    attrs: {
      transposeA: false,
      transposeB: false,
      activation: activation === 'relu' ? 'relu' : 'linear',
      leakyreluAlpha: 0,
    },
  });
  if (activation === 'softmax') {
    const info = Array.isArray(out) ? out[0]! : out;
    const values = float32Values(args.backend as CpuBackend, info)!;
    softmaxRows(values, values, info.shape[1]!);
  }
  return out;
}

/** dz from dy and the layer output y: ReLU mask (as tfjs: dy·step(y)) or softmax Jacobian. */
function activationGrad(args: KernelArgs) {
  const backend = args.backend as CpuBackend;
  const dyInfo = inputOf(args, 'dy')!;
  const dy = float32Values(backend, dyInfo)!;
  const y = float32Values(backend, inputOf(args, 'y'))!;
  let dz: Float32Array;
  if (activationOf(args.attrs) === 'softmax') {
    dz = softmaxGradRows(dy, y, dyInfo.shape[1]!);
  } else {
    dz = new Float32Array(dy.length);
    for (let i = 0; i < dz.length; i++) {
      const v = y[i]!;
      dz[i] = dy[i]! * (Number.isNaN(v) ? Number.NaN : v > 0 ? 1 : 0);
    }
  }
  return backend.makeTensorInfo([...dyInfo.shape], 'float32', dz);
}

/** The same dz from differentiable ops, for when a gradient is itself being differentiated. */
function activationGradOps(dy: TfTensor, y: TfTensor, activation: DenseActivation): TfTensor {
  if (activation === 'relu') return tf.mul(dy, tf.step(y));
  const dyTimesY = tf.mul(dy, y);
  return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y));
}

const denseGrad: GradConfig = {
  kernelName: DENSE_KERNEL,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved as [TfTensor, TfTensor, TfTensor];
    const upstream = dy as TfTensor;
    const activation = activationOf(attrs);
    let dz = upstream;
    if (activation !== 'linear') {
      dz = tf.engine().isTapeOn()
        ? activationGradOps(upstream, y, activation)
        : (tf
            .engine()
            .runKernel(
              DENSE_ACTIVATION_GRAD_KERNEL,
              { dy: upstream, y },
              { activation },
            ) as TfTensor);
    }
    return {
      x: () => tf.matMul(dz, kernel, false, true),
      kernel: () => tf.matMul(x, dz, true, false),
      bias: () => tf.sum(dz, 0),
    };
  },
};

let registered = false;

/** Registers the fused dense kernels and gradient on the cpu backend (once per thread). */
export function registerDenseOp(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: DENSE_KERNEL, backendName: 'cpu', kernelFunc: denseForward });
  tf.registerKernel({
    kernelName: DENSE_ACTIVATION_GRAD_KERNEL,
    backendName: 'cpu',
    kernelFunc: activationGrad,
  });
  tf.registerGradient(denseGrad);
}

function checkDense(args: FusedDenseArgs): void {
  const { x, kernel, bias } = args;
  const float = [x, kernel, ...(bias ? [bias] : [])].every((t) => t.dtype === 'float32');
  if (!float)
    throw new ValueError(
      received('fusedDense: inputs must be float32', 'dtype', [x.dtype, kernel.dtype]),
    );
  const n = kernel.shape[1];
  if (x.rank !== 2 || kernel.rank !== 2 || x.shape[1] !== kernel.shape[0]) {
    throw new ShapeError(
      received('fusedDense: expected x [batch, k] and kernel [k, units]', 'shapes', [
        x.shape,
        kernel.shape,
      ]),
    );
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== n)) {
    throw new ShapeError(
      received(`fusedDense: bias must have shape [${n}]`, 'bias.shape', bias.shape),
    );
  }
  const activation = args.activation ?? 'linear';
  if (!DENSE_ACTIVATIONS.includes(activation)) {
    throw new ValueError(
      received(
        `fusedDense: activation must be one of ${DENSE_ACTIVATIONS.join(', ')}`,
        'activation',
        activation,
      ),
    );
  }
}

/**
 * act(x · kernel + bias) as one recorded op with a fast gradient (see the module comment).
 *
 * ```ts
 * const h = fusedDense({ x, kernel, bias, activation: 'relu' });
 * ```
 */
export function fusedDense(args: FusedDenseArgs): Tensor {
  checkDense(args);
  const inputs: Record<string, Tensor> = { x: args.x, kernel: args.kernel };
  if (args.bias !== undefined) inputs['bias'] = args.bias;
  return tf
    .engine()
    .runKernel(DENSE_KERNEL, inputs, { activation: args.activation ?? 'linear' }) as Tensor;
}
