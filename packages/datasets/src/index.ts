export type { BufferDescription, BufferKind } from './buffers.js';
export type { CsvLoadOptions } from './csv.js';
export { CSV_MAX_INFERRED_CLASSES, loadCsv } from './csv.js';
export { decodeCsvText, isCsvNumber, parseCsvNumber, quoteCell } from './csv-number.js';
export type { CsvRow, CsvRowsOptions } from './csv-rows.js';
export { parseCsvRows } from './csv-rows.js';
export type { SplitOptions, TargetOptions } from './dataset.js';
export { Dataset } from './dataset.js';
export type { DatasetArgs, FeatureArray, Split, TargetArray, Task } from './dataset-args.js';
export type { DatasetDescription } from './description.js';
export type { DigitsLoadOptions } from './digits.js';
export { DIGIT_BITMAPS, DIGIT_PIXELS, loadDigits } from './digits.js';
export type { IdxFile, ReadIdxOptions } from './idx.js';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx } from './idx.js';
export type { IdxDatasetArgs } from './idx-dataset.js';
export { loadIdxDataset } from './idx-dataset.js';
export type { IrisLoadOptions } from './iris.js';
export {
  IRIS_CLASS_NAMES,
  IRIS_FEATURE_NAMES,
  IRIS_SPLIT_SEED,
  IRIS_TRAIN_FRACTION,
  loadIris,
} from './iris.js';
export type { FashionMnistLoadOptions, ImageLoadOptions } from './mnist.js';
export {
  defaultFashionMnistDir,
  FASHION_MNIST_APT_PACKAGE,
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DEBIAN_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
  loadMnist,
  MNIST_CLASS_NAMES,
  mnistAvailable,
  mnistDataDir,
} from './mnist.js';
export type { FitNormalizerOptions, NormalizerConfig, NormalizerMethod } from './normalizer.js';
export { fitNormalizer, Normalizer } from './normalizer.js';
export { oneHot } from './one-hot.js';
export type { BuiltinDatasetName, DatasetInfo, RegistryLoadOptions } from './registry.js';
export { datasetNames, datasets, getDataset } from './registry.js';
export type { SplitPlanArgs } from './split.js';
export { planSplit } from './split.js';
export type { StudyScoresLoadOptions } from './study-scores.js';
export { loadStudyScores, STUDY_SCORES_FEATURE_NAMES } from './study-scores.js';
