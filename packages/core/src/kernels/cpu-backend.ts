/**
 * The small part of tfjs-backend-cpu's MathBackendCPU that our kernels use, and helpers
 * to read kernel inputs. Kernels only read their inputs and return new tensors made by
 * `makeTensorInfo`, as tfjs's kernel contract asks.
 */
import type {
  BackendValues,
  DataId,
  DataType,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '../../vendor/tfjs.js';

/** What the kernels need of the cpu backend. */
export interface CpuBackend {
  data: { get(dataId: DataId): { values?: BackendValues } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues): TensorInfo;
}

/** The argument of a tfjs kernel function. */
export type KernelArgs = Parameters<KernelFunc>[0];

/** A named input of a kernel call (undefined when absent). */
export function inputOf(args: KernelArgs, name: string): TensorInfo | undefined {
  return (args.inputs as Record<string, TensorInfo | undefined>)[name];
}

/** A named attribute of a kernel call (undefined when absent). */
export function attrOf(attrs: NamedAttrMap | undefined, name: string): unknown {
  return attrs === undefined ? undefined : attrs[name];
}

/** A float32 input's values, or null when the input is absent or not float32 data. */
export function float32Values(
  backend: CpuBackend,
  info: TensorInfo | undefined,
): Float32Array | null {
  if (info === undefined || info.dtype !== 'float32') return null;
  const values = backend.data.get(info.dataId).values;
  return values instanceof Float32Array ? values : null;
}
