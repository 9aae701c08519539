/**
 * tfjs kernel functions for the cpu backend's `BatchMatMul` and `_FusedMatMul`, backed
 * by a {@link GemmEngine}. They honour tfjs's kernel contract: the same inputs and attrs,
 * inputs are only read, the output is a new tensor made by `backend.makeTensorInfo`.
 * Cases the engines do not cover (non-float32 dtypes, a bias or PReLU
 * weight that is not one value per column, unknown activations) go to tfjs's own kernel.
 */
import type { KernelFunc, NamedTensorInfoMap, TensorInfo } from '../../vendor/tfjs.js';
import { attrOf as attr, type CpuBackend, float32Values, type KernelArgs } from './cpu-backend.js';
import { FUSED_ACTIVATIONS, type FusedActivation, type GemmEngine } from './gemm-problem.js';
import { columnVector, planMatMul } from './matmul-plan.js';

function isActivation(value: unknown): value is FusedActivation {
  return typeof value === 'string' && (FUSED_ACTIVATIONS as readonly string[]).includes(value);
}

/** What one call computes, or null when it must go to tfjs's own kernel. */
interface Call {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo | undefined;
  prelu?: TensorInfo | undefined;
  activation: unknown;
  leakyreluAlpha: number;
}

function compute(engine: GemmEngine, backend: CpuBackend, call: Call): TensorInfo | null {
  const plan = planMatMul(call.a.shape, call.b.shape, call.transposeA, call.transposeB);
  const a = float32Values(backend, call.a);
  const b = float32Values(backend, call.b);
  if (a === null || b === null || !isActivation(call.activation)) return null;
  const outRank = plan.outShape.length;
  let bias: Float32Array | null = null;
  if (call.bias !== undefined) {
    const values = float32Values(backend, call.bias);
    bias = values === null ? null : columnVector(values, call.bias.shape, plan.n, outRank);
    if (bias === null) return null;
  }
  let activation: FusedActivation = call.activation;
  let alpha = call.leakyreluAlpha;
  let preluWeights: Float32Array | null = null;
  if (activation === 'prelu') {
    const values = float32Values(backend, call.prelu);
    if (values === null || call.prelu === undefined) return null;
    if (values.length === 1 && call.prelu.shape.length <= outRank) {
      // One slope for every element is a leaky ReLU.
      activation = 'leakyrelu';
      alpha = values[0]!;
    } else {
      preluWeights = columnVector(values, call.prelu.shape, plan.n, outRank);
      if (preluWeights === null) return null;
    }
  }
  const out = engine.run({
    a,
    b,
    m: plan.m,
    n: plan.n,
    k: plan.k,
    transposeA: call.transposeA,
    transposeB: call.transposeB,
    aIndex: plan.aIndex,
    bIndex: plan.bIndex,
    bias,
    activation,
    leakyreluAlpha: alpha,
    preluWeights,
  });
  return backend.makeTensorInfo(plan.outShape, 'float32', out);
}

function inputsOf(inputs: NamedTensorInfoMap): Record<string, TensorInfo | undefined> {
  return inputs as Record<string, TensorInfo | undefined>;
}

/** `BatchMatMul` on `engine`; `fallback` is tfjs's own kernel for the cases it leaves. */
export function batchMatMulKernel(engine: GemmEngine, fallback: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const inputs = inputsOf(args.inputs);
    const result = compute(engine, args.backend as CpuBackend, {
      a: inputs['a']!,
      b: inputs['b']!,
      transposeA: attr(args.attrs, 'transposeA') === true,
      transposeB: attr(args.attrs, 'transposeB') === true,
      activation: 'linear',
      leakyreluAlpha: 0,
    });
    return result ?? fallback(args);
  };
}

/** `_FusedMatMul` on `engine`; `fallback` is tfjs's own kernel for the cases it leaves. */
export function fusedMatMulKernel(engine: GemmEngine, fallback: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const inputs = inputsOf(args.inputs);
    const activation = attr(args.attrs, 'activation') ?? 'linear';
    const alpha = attr(args.attrs, 'leakyreluAlpha');
    const result = compute(engine, args.backend as CpuBackend, {
      a: inputs['a']!,
      b: inputs['b']!,
      transposeA: attr(args.attrs, 'transposeA') === true,
      transposeB: attr(args.attrs, 'transposeB') === true,
      bias: inputs['bias'],
      prelu: inputs['preluActivationWeights'],
      activation,
      leakyreluAlpha: typeof alpha === 'number' ? alpha : 0.2,
    });
    return result ?? fallback(args);
  };
}
