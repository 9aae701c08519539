export type { BenchArgs, BenchSection } from './args.js';
export { BENCH_USAGE, parseBenchArgs } from './args.js';
export type { GemmShape } from './gemm-shapes.js';
export { GEMM_SHAPES, operandShapes, transposeLabel } from './gemm-shapes.js';
export type { KernelBenchOptions, KernelBenchResult, KernelImpl, KernelRow } from './kernels.js';
export { kernelTable, runKernelBench } from './kernels.js';
export type { MeasureOptions, Timing } from './measure.js';
export { measure, median } from './measure.js';
export type {
  ScalingBatch,
  ScalingBenchOptions,
  ScalingBenchResult,
  ScalingRound,
  TrainRun,
} from './scaling.js';
export {
  runScalingBench,
  SCALING_BATCH_SIZES,
  SCALING_EPOCHS,
  scalingTable,
  scalingTrain,
} from './scaling.js';
export type { Column } from './table.js';
export { formatCount, formatNumber, formatRatio, formatTable } from './table.js';
export type { JsonChildArgs } from './tasks/json-child.js';
export { errorLine, lastJsonLine, runJsonChild } from './tasks/json-child.js';
export type { MnistBytes, WriteMnistFilesArgs } from './tasks/mnist-files.js';
export { MNIST_FILES, readMnistFiles, writeMnistFiles } from './tasks/mnist-files.js';
export type { PytorchReply, PytorchRunArgs } from './tasks/pytorch.js';
export {
  describeBlas,
  PYTORCH_MISSING,
  PYTORCH_SCRIPT,
  pytorchNote,
  runPytorch,
  SYSTEM_PYTHON,
  torchVersion,
} from './tasks/pytorch.js';
export type { ReferenceTask } from './tasks/reference-task.js';
export { QUICK_PEER_EXAMPLES, REFERENCE_TASK, stepsPerEpoch } from './tasks/reference-task.js';
export type {
  CompletedRun,
  MissingRun,
  RunnerKind,
  StepBreakdown,
  TrainingBenchResult,
  TrainingRun,
} from './tasks/result.js';
export type { TesseraRunArgs } from './tasks/tessera.js';
export { runTessera } from './tasks/tessera.js';
export type { TfjsRunArgs } from './tasks/tfjs.js';
export { runTfjs, tfjsNote } from './tasks/tfjs.js';
export type { TfjsBackend, TfjsTrainReply, TfjsTrainRequest } from './tasks/tfjs-train-child.js';
export type { TrainingBenchOptions } from './training.js';
export { runTrainingBench, workerCountsUpTo } from './training.js';
export { breakdownTable, describeTask, referenceSpeeds, trainingTable } from './training-table.js';
