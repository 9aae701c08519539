export { tf, ready } from './tf.js';
export type { Tensor, Rank, Variable, TensorLike, DataType } from './tf.js';
export {
  TesseraError,
  ValueError,
  ShapeError,
  NotFoundError,
  FormatError,
  IOError,
  StateError,
  formatValue,
  received,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export { Rng, RngStream } from './rng.js';
export type { RngState, StreamState } from './rng.js';
export { ParameterStore, planLayout, PARAMETER_ALIGNMENT } from './parameter-store.js';
export type { ParameterSpec, ParameterEntry, ParameterStoreDescription } from './parameter-store.js';
export { encode, decode } from './codec.js';
export {
  frame,
  unframe,
  writeFileAtomic,
  writeFramedFile,
  readFramedFile,
  FRAME_HEADER_BYTES,
} from './framed-file.js';
export type { FrameFormat } from './framed-file.js';
export { checkGradients, numericGradients } from './gradient-check.js';
export type { GradientCheckOptions, GradientCheckReport } from './gradient-check.js';
