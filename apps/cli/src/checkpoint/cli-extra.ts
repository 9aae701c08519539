/**
 * What the CLI keeps in every checkpoint's `extra` (through fit's `checkpointExtra`), so
 * `evaluate`, `predict` and `export` treat data exactly as training did: where model and
 * data came from, the registered names of the custom objects the model needs (never code
 * to import), the task, class and feature names, the feature scale and the fitted normalizer.
 *
 * Version 1 records listed module paths under `customObjects`; they are ignored (never
 * imported) and read as "no names recorded".
 */
import { FormatError, type TesseraError } from '@tessera/core';
import type { Dataset, NormalizerConfig, Task } from '@tessera/datasets';
import type { DataSource } from '../data/resolve-dataset.js';
import type { ModelSource } from '../models/resolve-model.js';

/** Facts about the training data that inputs at prediction time must match. */
export interface DataFacts {
  /** Where the training data came from. */
  source: DataSource;
  /** Classification or regression. */
  task: Task;
  /** Shape of one example's features. */
  featureShape: number[];
  /** Factor applied to raw feature values before normalisation (1/255 for pixels). */
  featureScale: number;
  /** Class names in id order (classification). */
  classNames?: string[];
  /** Feature column names, when the data had them. */
  featureNames?: string[];
  /** The label column's name in files of this data. */
  labelName?: string;
  /** Smallest and largest value of each feature in training (scaled; tabular data only). */
  featureRanges?: { min: number[]; max: number[] };
}

/** Tabular data at most this wide records its feature ranges (for the playground's inputs). */
const MAX_RANGED_FEATURES = 256;

/** Per-feature min and max of a 1-D dataset's scaled features. */
function featureRanges(data: Dataset): { min: number[]; max: number[] } | undefined {
  const d = data.featureSize;
  if (data.featureShape.length !== 1 || d > MAX_RANGED_FEATURES || data.size === 0)
    return undefined;
  const min = new Array<number>(d).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < data.size; i++) {
    for (let j = 0; j < d; j++) {
      const v = data.features[i * d + j]! * data.featureScale;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  // Features are float32: 7 significant digits show 4.4 rather than 4.400000095367432.
  const tidy = (xs: number[]): number[] => xs.map((v) => Number(v.toPrecision(7)));
  return { min: tidy(min), max: tidy(max) };
}

/** The `extra` record of a CLI checkpoint. */
export interface CliCheckpointExtra {
  /** Tag of this record. */
  format: 'tessera-cli';
  /** Layout version of this record. */
  version: 2;
  /** Where the model came from. */
  model: ModelSource;
  /** Registered names of the custom activations and layers the model needs. */
  customObjectNames: string[];
  data: DataFacts;
  /** The normalizer fit on the training data, if any. */
  normalizer?: NormalizerConfig;
  /** Settings a resumed run reuses that the trainer does not keep itself. */
  training?: { validationSplit: number };
}

/** The data facts of a dataset. */
export function dataFacts(
  source: DataSource,
  data: Dataset,
  labelName: string | undefined,
): DataFacts {
  const ranges = featureRanges(data);
  return {
    source,
    task: data.task,
    featureShape: [...data.featureShape],
    featureScale: data.featureScale,
    ...(data.classNames === undefined ? {} : { classNames: [...data.classNames] }),
    ...(data.featureNames === undefined ? {} : { featureNames: [...data.featureNames] }),
    ...(labelName === undefined ? {} : { labelName }),
    ...(ranges === undefined ? {} : { featureRanges: ranges }),
  };
}

function fail(path: string, what: string): TesseraError {
  return new FormatError(`${path}: ${what}; was this checkpoint written by \`tessera train\`?`);
}

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

const isNumbers = (v: unknown, n: number): boolean =>
  Array.isArray(v) && v.length === n && v.every((x) => Number.isFinite(x));

/** Ranges of a 1-D feature shape: `min` and `max`, one finite number per feature. */
function isRanges(v: unknown, shape: number[]): boolean {
  const r = v as { min?: unknown; max?: unknown } | null;
  const n = shape.reduce((a, b) => a * b, 1);
  return r !== null && typeof r === 'object' && isNumbers(r.min, n) && isNumbers(r.max, n);
}

/** Reads and checks the CLI's record from a checkpoint's `extra`. */
export function readCliExtra(extra: unknown, path: string): CliCheckpointExtra {
  const e = extra as Partial<CliCheckpointExtra> | null;
  if (e === null || typeof e !== 'object' || e.format !== 'tessera-cli')
    throw fail(path, 'it has no tessera-cli record');
  const version = (e as { version?: unknown }).version;
  if (version !== 1 && version !== 2)
    throw fail(path, `unknown tessera-cli record version ${String(version)}`);
  const m = e.model as Partial<CliCheckpointExtra['model']> | undefined;
  if (
    m === undefined ||
    m === null ||
    (m.kind !== 'builtin' && m.kind !== 'json' && m.kind !== 'module') ||
    typeof m.ref !== 'string'
  )
    throw fail(path, 'its record of the model source is incomplete');
  const d = e.data as Partial<DataFacts> | undefined;
  if (
    d === undefined ||
    d === null ||
    typeof d.source !== 'object' ||
    d.source === null ||
    typeof (d.source as { ref?: unknown }).ref !== 'string' ||
    (d.task !== 'classification' && d.task !== 'regression') ||
    !Array.isArray(d.featureShape) ||
    !d.featureShape.every((n) => Number.isInteger(n) && n > 0) ||
    d.featureShape.length === 0 ||
    typeof d.featureScale !== 'number' ||
    !Number.isFinite(d.featureScale) ||
    d.featureScale <= 0 ||
    (d.classNames !== undefined && !isStrings(d.classNames)) ||
    (d.featureNames !== undefined && !isStrings(d.featureNames)) ||
    (d.featureRanges !== undefined && !isRanges(d.featureRanges, d.featureShape))
  ) {
    throw fail(path, 'its record of the training data is incomplete');
  }
  if (d.task === 'classification' && d.classNames === undefined)
    throw fail(path, 'a classifier without class names');
  if (d.task === 'classification' && d.classNames!.length < 2)
    throw fail(path, 'a classifier with fewer than two classes');
  if (d.labelName !== undefined && typeof d.labelName !== 'string')
    throw fail(path, 'its label name is not text');
  const training = e.training as { validationSplit?: unknown } | undefined;
  if (
    training !== undefined &&
    (training === null ||
      typeof training.validationSplit !== 'number' ||
      !(training.validationSplit >= 0 && training.validationSplit < 1))
  )
    throw fail(path, 'its validation split is not a number in [0, 1)');
  if (e.normalizer !== undefined && (e.normalizer === null || typeof e.normalizer !== 'object'))
    throw fail(path, 'its normalizer is not a record');
  // Version 1 listed module paths here: they are never imported, and name nothing.
  const names = version === 2 ? e.customObjectNames : [];
  if (!isStrings(names)) throw fail(path, 'its list of custom object names is not a list of names');
  const { customObjects: _ignoredPaths, ...rest } = e as Partial<CliCheckpointExtra> & {
    customObjects?: unknown;
  };
  return { ...(rest as CliCheckpointExtra), version: 2, customObjectNames: [...names] };
}
