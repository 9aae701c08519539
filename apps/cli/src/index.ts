/**
 * @tessera/cli — the `tessera` command, and its pieces for programmatic use.
 *
 * ```ts
 * import { run, memoryIO } from '@tessera/cli';
 * const io = memoryIO();
 * const code = await run(['datasets', '--json'], io);   // 0, io.stdout.text holds the JSON
 * ```
 */

/** The one SVG → PNG renderer (@tessera/layers'), re-exported for the CLI's users. */
export { svgToPng } from '@tessera/layers';
export type { CurvePanel, LearningCurvesArgs } from './charts/learning-curves.js';
// ---- outputs ---------------------------------------------------------------------------
export { curvePanels, learningCurvesSvg } from './charts/learning-curves.js';
export type { CliCheckpointExtra, DataFacts } from './checkpoint/cli-extra.js';
export { readCliExtra } from './checkpoint/cli-extra.js';
export type { OpenCheckpoint } from './checkpoint/open-checkpoint.js';
export { openCheckpoint } from './checkpoint/open-checkpoint.js';
export { createProgram, run } from './cli.js';
export type { DatasetListing, DatasetsOptions } from './commands/datasets.js';
export { datasetsCommand, datasetsReport } from './commands/datasets.js';
export type { EvaluateOptions } from './commands/evaluate.js';
export { evaluateCommand } from './commands/evaluate.js';
export type { ExportOptions } from './commands/export.js';
export { EXPORT_FORMATS, exportCommand } from './commands/export.js';
export type { PlotOptions } from './commands/plot.js';
export { plotCommand } from './commands/plot.js';
export type { PredictOptions } from './commands/predict.js';
export { predictCommand } from './commands/predict.js';
export type { SummaryOptions } from './commands/summary.js';
export { summaryCommand } from './commands/summary.js';
export type { TrainOptions } from './commands/train.js';
// ---- commands --------------------------------------------------------------------------
export { trainCommand } from './commands/train.js';
export type { CommandContext } from './context.js';
export type { PredictInput, PredictInputArgs } from './data/predict-input.js';
export { readPredictInput } from './data/predict-input.js';
export type { DataSource, TrainingData } from './data/resolve-dataset.js';
export {
  CSV_TEST_SEED,
  CSV_TRAIN_FRACTION,
  datasetKind,
  loadEvaluationData,
  loadTrainingData,
} from './data/resolve-dataset.js';
export type { ErrorReport } from './errors.js';
export { ExitCode, REPORT_HINT, reportError, withContext } from './errors.js';
export { evaluateModel } from './evaluation.js';
export { ExportError } from './export/keras-names.js';
export type { TfjsArtifacts, TfjsArtifactsArgs } from './export/tfjs-artifacts.js';
export { TFJS_WEIGHTS_FILE, tfjsArtifacts, writeTfjsModel } from './export/tfjs-artifacts.js';
export type { ExportWeight, TfjsTopology } from './export/tfjs-topology.js';
export { toTfjsTopology } from './export/tfjs-topology.js';
export { type CliIO, memoryIO, type OutputStream, processIO, TextSink } from './io.js';
export type { BuiltinModel, NormalizeMethod, TrainingDefaults } from './models/builtin-model.js';
export { NORMALIZE_METHODS } from './models/builtin-model.js';
// ---- models and data -------------------------------------------------------------------
export { BUILTIN_MODELS, findBuiltinModel, getBuiltinModel } from './models/builtins.js';
export type { ModelSource, ResolvedModel } from './models/resolve-model.js';
export { modelKind, resolveModel } from './models/resolve-model.js';
export { historyCsv, historyJson, overallSamplesPerSecond } from './output/history-files.js';
export { outputColumns, predictionsCsv } from './output/predictions-csv.js';
export type { ProgressArgs } from './progress/progress.js';
export { TrainingProgress } from './progress/progress.js';
export { CLI_VERSION } from './version.js';
