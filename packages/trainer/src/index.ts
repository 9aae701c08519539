export type {
  CsvLoggerArgs,
  EarlyStoppingArgs,
  Logs,
  ModelCheckpointArgs,
  ReduceLROnPlateauArgs,
  TrainerCallback,
  TrainerContext,
} from './callbacks/index.js';
export {
  CallbackList,
  CsvLogger,
  csvLogger,
  EarlyStopping,
  earlyStopping,
  ModelCheckpoint,
  modelCheckpoint,
  ReduceLROnPlateau,
  reduceLROnPlateau,
  TerminateOnNaN,
  terminateOnNaN,
} from './callbacks/index.js';
export type { FitCheckOptions } from './check-fit.js';
export { checkModelFitsData, formatShape, unitsNeeded } from './check-fit.js';
export type { CheckpointData, ClassWeights, EpochProgress } from './checkpoint.js';
export { CHECKPOINT_FORMAT, loadCheckpoint, restoreModel, saveCheckpoint } from './checkpoint.js';
export {
  CHECKPOINTS_SUBFOLDER,
  checkpointFolder,
  checkpointsNear,
  missingCheckpointMessage,
  runFolderOf,
} from './checkpoint-layout.js';
export {
  MAX_CONFIG_DEPTH,
  nestingDepth,
  validateCheckpointAgainstModel,
  validateCheckpointFields,
} from './checkpoint-validation.js';
export { TrainingAbortedError, WorkerError } from './errors.js';
export { metricRecord } from './fit/checkpointing.js';
export type { ValidationSplitSizes } from './fit/split.js';
export { validationSplitSizes } from './fit/split.js';
export { fit } from './fit.js';
export type { EpochTiming, HistoryData } from './history.js';
export { TrainingHistory } from './history.js';
export {
  checkModelSize,
  checkWorkerCount,
  estimateParameters,
  memoryLimitBytes,
  TRAINING_BYTES_PER_PARAMETER,
} from './model-size.js';
export type { CheckpointOptions, FitOptions } from './options.js';
export { splitAligned, splitEvenly } from './sharding.js';
export type { StartThreadsOptions } from './threads.js';
export { StartedThreads, startThreads } from './threads.js';
export type { TrainingPathOption, TrainingPathReport } from './training-path.js';
