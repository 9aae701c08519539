/**
 * @tessera/layers — Keras-style layers and models for Node.js.
 *
 * ```ts
 * import { sequential, layers } from '@tessera/layers';
 * const m = sequential([
 *   layers.flatten({ inputShape: [28, 28] }),
 *   layers.dense({ units: 128, activation: 'relu' }),
 *   layers.dense({ units: 10, activation: 'softmax' }),
 * ], { name: 'mnist_mlp' });
 * m.summary();
 * m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
 * const history = await m.fit(x, y, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
 * ```
 */
import './layers/builtins.js';

export type {
  ActivationFn,
  ActivationIdentifier,
  ActivationName,
  CustomActivationName,
} from './activations/index.js';
// ---- registries (activations, initializers, regularizers, constraints) ------------------
export { ACTIVATION_NAMES, activations } from './activations/index.js';
export type { FitParams, Logs, RunContext } from './callbacks/callback.js';
export { Callback } from './callbacks/callback.js';
export { CallbackList } from './callbacks/callback-list.js';
export type { EarlyStoppingArgs } from './callbacks/early-stopping.js';
export { EarlyStopping } from './callbacks/early-stopping.js';
export { History } from './callbacks/history.js';
export { callbacks } from './callbacks/index.js';
export type { LearningRateSchedulerArgs } from './callbacks/learning-rate-scheduler.js';
export { LearningRateScheduler } from './callbacks/learning-rate-scheduler.js';
export type { MonitorMode } from './callbacks/monitor.js';
export { improved, monitored, resolveMode } from './callbacks/monitor.js';
export type {
  CallbackHooks,
  CallbackLike,
  ListedCallback,
  TrainerHooks,
} from './callbacks/plain-callback.js';
export { toCallback } from './callbacks/plain-callback.js';
export type { ReduceLROnPlateauArgs } from './callbacks/reduce-lr-on-plateau.js';
export { ReduceLROnPlateau } from './callbacks/reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
export type {
  Constraint,
  ConstraintIdentifier,
  ConstraintName,
  SerializedConstraint,
} from './constraints/index.js';
export {
  CONSTRAINT_NAMES,
  constraints,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
} from './constraints/index.js';
export type { ModelData, NestedNumbers, NumericArray } from './engine/array-input.js';
export type {
  ApplyOptions,
  Arity,
  BatchExchange,
  CallContext,
  Out,
  StateUpdate,
} from './engine/call-context.js';
// ---- training ---------------------------------------------------------------------------
export type { CompileArgs, CompiledState } from './engine/compile.js';
export type {
  EpochLoopArgs,
  EpochMeasures,
  EpochProgress,
  LoopStart,
} from './engine/epoch-loop.js';
export { checkInitialEpoch, EpochLoop, epochLine, freshStart } from './engine/epoch-loop.js';
export type { Graph } from './engine/graph.js';
export type {
  ActivationArg,
  ConstraintArg,
  InitializerArg,
  RegularizerArg,
} from './engine/identifiers.js';
export type { InputArgs, InputLayerArgs } from './engine/input-layer.js';
export { InputLayer, input } from './engine/input-layer.js';
export { BATCH_INPUT_SHAPE_KEYS } from './engine/input-shape-args.js';
export type { LayerArgs, LayerClass, SerializedLayer } from './engine/layer.js';
// ---- layers ---------------------------------------------------------------------------
export { Layer } from './engine/layer.js';
export type { RegisterLayerOptions } from './engine/layer-registry.js';
export {
  deserializeLayer,
  getLayerClass,
  registeredLayerNames,
  registerLayer,
  serializeLayer,
} from './engine/layer-registry.js';
export type { AddWeightOptions, LayerWeight } from './engine/layer-weight.js';
export { Weight, withWeightValues } from './engine/layer-weight.js';
export type { ArityOf, ModelArgs, ModelBaseArgs, OutputsArg } from './engine/model.js';
// ---- models and the functional API ----------------------------------------------------
export { Model, model } from './engine/model.js';
// ---- names, seeds, serialization --------------------------------------------------------
export { clearSession } from './engine/names.js';
export { bindWeights, parameterSpecs, trainableOffsets } from './engine/parameters.js';
export type { ClassWeight, SampleWeight } from './engine/sample-weights.js';
export { rowWeights, sampleWeightArray } from './engine/sample-weights.js';
export { DEFAULT_SEED, setGlobalSeed } from './engine/seed.js';
export type { SequentialArgs, SequentialConfig, SequentialOptions } from './engine/sequential.js';
export { Sequential, sequential } from './engine/sequential.js';
export type {
  CallKwargs,
  FunctionalConfig,
  FunctionalLayerConfig,
  InboundRef,
  ModelJSON,
  TensorRef,
} from './engine/serialization.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './engine/serialization.js';
export type { Shape } from './engine/shape.js';
export { formatShape } from './engine/shape.js';
export {
  chunkNoiseName,
  partOffset,
  partSize,
  ROW_CHUNKS,
  rowChunkCount,
  StepNoise,
} from './engine/step-noise.js';
export type { Measured, RunResult, StepRun, StepRunner } from './engine/step-runner.js';
export type { Node } from './engine/symbolic.js';
export { isSymbolic, SymbolicTensor } from './engine/symbolic.js';
export type { EvaluateArgs, FitArgs, OptimizerState, PredictArgs } from './engine/training.js';
export type { StepResult, TrainingStepOptions } from './engine/training-step.js';
export { applyConstraints, TrainingStep } from './engine/training-step.js';
export type {
  Initializer,
  InitializerIdentifier,
  InitializerName,
  SerializedInitializer,
} from './initializers/index.js';
export {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  INITIALIZER_NAMES,
  initializers,
  LecunNormal,
  LecunUniform,
  Ones,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
} from './initializers/index.js';
export type { ActivationArgs } from './layers/activation.js';
export { Activation } from './layers/activation.js';
export type { ActivityRegularizationArgs } from './layers/activity-regularization.js';
export { ActivityRegularization } from './layers/activity-regularization.js';
export type { BatchNormalizationArgs } from './layers/batch-normalization.js';
export { BatchNormalization } from './layers/batch-normalization.js';
export type { DenseArgs } from './layers/dense.js';
export { Dense } from './layers/dense.js';
export type { DropoutArgs } from './layers/dropout.js';
export { Dropout } from './layers/dropout.js';
export type { ELUArgs } from './layers/elu.js';
export { ELU } from './layers/elu.js';
export type { FlattenArgs } from './layers/flatten.js';
export { Flatten } from './layers/flatten.js';
export { layers } from './layers/index.js';
export type { LambdaArgs } from './layers/lambda.js';
export { Lambda } from './layers/lambda.js';
export type { LayerNormalizationArgs } from './layers/layer-normalization.js';
export { LayerNormalization } from './layers/layer-normalization.js';
export type { LeakyReLUArgs } from './layers/leaky-relu.js';
export { LeakyReLU } from './layers/leaky-relu.js';
export type { MaxoutArgs } from './layers/maxout.js';
export { Maxout } from './layers/maxout.js';
export type { AddArgs, ConcatenateArgs } from './layers/merge.js';
export { Add, Concatenate } from './layers/merge.js';
export type { GaussianNoiseArgs, NoiseDropoutArgs } from './layers/noise.js';
export { AlphaDropout, GaussianDropout, GaussianNoise } from './layers/noise.js';
export type { NormalizationArgs } from './layers/normalization.js';
export { Normalization } from './layers/normalization.js';
export type { ReLUArgs } from './layers/relu.js';
export { ReLU } from './layers/relu.js';
export type { ReshapeArgs } from './layers/reshape.js';
export { Reshape } from './layers/reshape.js';
export type { SoftmaxArgs } from './layers/softmax.js';
export { Softmax } from './layers/softmax.js';
// ---- losses, metrics, optimizers --------------------------------------------------------
export type {
  CosineSimilarityArgs,
  Loss,
  LossFn,
  LossIdentifier,
  LossName,
  Reduction,
  ReductionArgs,
  SerializedLoss,
} from './losses/index.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  losses,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  REDUCTIONS,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './losses/index.js';
export type {
  AUCArgs,
  ConfusionArgs,
  Metric,
  MetricFn,
  MetricIdentifier,
  MetricName,
  R2ScoreArgs,
  SerializedMetric,
  StatefulMetric,
} from './metrics/index.js';
export {
  AUC,
  BinaryAccuracy,
  CategoricalAccuracy,
  isStatefulMetric,
  MetricStatistics,
  metrics,
  Precision,
  R2Score,
  Recall,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './metrics/index.js';
export type {
  AdadeltaArgs,
  AdamaxArgs,
  InverseTimeDecayArgs,
  LearningRateSchedule,
  LionArgs,
  NadamArgs,
  OptimizerIdentifier,
  OptimizerName,
  PiecewiseConstantDecayArgs,
  PolynomialDecayArgs,
  SerializedOptimizer,
  UpdateArgs,
  VariableRange,
} from './optimizers/index.js';
export {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  CosineDecay,
  createSlots,
  ExponentialDecay,
  InverseTimeDecay,
  Lion,
  Nadam,
  Optimizer,
  optimizers,
  PiecewiseConstantDecay,
  PolynomialDecay,
  RMSprop,
  SGD,
  schedules,
} from './optimizers/index.js';
export type { PlotOptions } from './plot/dot.js';
export { plotModel } from './plot/dot.js';
export type { PngOptions, RenderOptions } from './plot/render.js';
export { DEFAULT_FONT_DIRS, plotModelToFile, renderDot, svgToPng } from './plot/render.js';
export type {
  Regularizer,
  RegularizerIdentifier,
  RegularizerName,
  SerializedRegularizer,
} from './regularizers/index.js';
export { L1, L1L2, L2, REGULARIZER_NAMES, regularizers } from './regularizers/index.js';
export type {
  CompressedInput,
  ForwardBackwardArgs,
  PlannedLoss,
  PlannedMetric,
  PlannedOp,
  PlanOutcome,
  ResidentEvaluateArgs,
  ResidentInput,
  ResidentPlan,
  ResidentStepOptions,
  TargetKind,
  UnitSplitOptions,
  UnitSplitShape,
} from './resident/index.js';
export {
  planResidentStep,
  RESIDENT_ACTIVATIONS,
  ResidentStep,
  residentPlanReason,
  UNIT_BLOCK,
  UNIT_SPLIT_MAX_DECODED_BYTES,
  UnitSplitStep,
  unitRange,
  unitSplitShape,
} from './resident/index.js';
export { formatBytes, formatCount } from './summary/format.js';
export type { SummaryOptions } from './summary/summary.js';
// ---- summary and plots ------------------------------------------------------------------
export { summaryLines, summaryText } from './summary/summary.js';
