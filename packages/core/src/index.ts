export { decode, encode } from './codec.js';
export type { ErrorCode } from './errors.js';
export {
  FormatError,
  formatValue,
  IOError,
  NotFoundError,
  received,
  ShapeError,
  StateError,
  TesseraError,
  ValueError,
} from './errors.js';
export type { FrameFormat } from './framed-file.js';
export {
  FRAME_HEADER_BYTES,
  frame,
  readFramedFile,
  unframe,
  writeFileAtomic,
  writeFramedFile,
} from './framed-file.js';
export type { GradientCheckOptions, GradientCheckReport } from './gradient-check.js';
export { checkGradients, numericGradients } from './gradient-check.js';
export type { CategoricalCrossentropyArgs } from './kernels/crossentropy-op.js';
export { categoricalCrossentropy } from './kernels/crossentropy-op.js';
export type { DenseActivation, FusedDenseArgs } from './kernels/dense-op.js';
export { DENSE_ACTIVATIONS, fusedDense } from './kernels/dense-op.js';
export type { FusedActivation, GemmEngine, GemmProblem } from './kernels/gemm-problem.js';
export { gemmFlops } from './kernels/gemm-problem.js';
export type { ReferenceComparison, ReferenceResult } from './kernels/gemm-reference.js';
export { compareWithReference, referenceGemm } from './kernels/gemm-reference.js';
export type {
  GemmEngineKind,
  KernelKind,
  KernelMode,
  KernelsInfo,
  KernelsSource,
} from './kernels/register.js';
export {
  activeKernels,
  createGemmEngine,
  getKernels,
  KERNEL_MODES,
  parseKernelMode,
  resolveKernelKind,
  setKernels,
  useKernels,
} from './kernels/register.js';
export type { AdamStepArgs } from './kernels/update-kernels.js';
export { adamStep } from './kernels/update-kernels.js';
export type { WasmFeatures } from './kernels/wasm-module.js';
export { v8FlagsSet } from './kernels/wasm-module.js';
export type { WasmMemory } from './kernels/webassembly.js';
export type {
  ParameterEntry,
  ParameterSpec,
  ParameterStoreDescription,
} from './parameter-store.js';
export { PARAMETER_ALIGNMENT, ParameterStore, planLayout } from './parameter-store.js';
export type { CompressedRowsOffsets, StagingArea } from './resident/compress-in-memory.js';
export { writeCompressedRowsInMemory } from './resident/compress-in-memory.js';
export type {
  CompressedRowsShape,
  CompressedRowsTarget,
  FeatureMatrix,
} from './resident/compressed-rows.js';
export {
  compressedBytes,
  compressedShape,
  countNonzeros,
  SPARSE_DENSITY_LIMIT,
  writeCompressedRows,
} from './resident/compressed-rows.js';
export type { ResidentExports } from './resident/resident-kernels.js';
export {
  ActivationCode,
  createResidentMemory,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  residentKernelsAvailable,
  residentWorkspaceBytes,
  WASM_PAGE,
} from './resident/resident-kernels.js';
export type { RngState, StreamState } from './rng.js';
export { Rng, RngStream } from './rng.js';
export type { DataType, Rank, Tensor, TensorLike, Variable } from './tf.js';
export { ready, tf } from './tf.js';
