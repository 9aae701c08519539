/**
 * `--dataset <name|file.csv>`: a built-in dataset by name (its train and test splits) or
 * a CSV file (numeric feature columns, the label in the last column; see
 * @tessera/datasets' loadCsv). A CSV has no test split, so `train` holds out a fixed,
 * stratified 20 % (seed `CSV_TEST_SEED`, the same every run) for the final evaluation
 * (split-rows.ts: the rows that takes); `evaluate` uses the whole file.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { IOError, ValueError } from '@tessera/core';
import {
  type Dataset,
  datasetNames,
  defaultFashionMnistDir,
  FASHION_MNIST_APT_PACKAGE,
  fashionMnistAvailable,
  getDataset,
  loadCsv,
  type Split,
  type Task,
} from '@tessera/datasets';
import { parse } from 'csv-parse/sync';
import { withContext } from '../errors.js';
import { requireRegularFile } from '../input-file.js';
import { loadIdxFolder } from './idx-folder.js';
import { CSV_TRAIN_FRACTION, checkCsvRows } from './split-rows.js';

/** Seed of the fixed train/test split of a CSV dataset. */
export const CSV_TEST_SEED = 42;

export { CSV_TRAIN_FRACTION } from './split-rows.js';

/** Where the data came from (saved in checkpoints). */
export interface DataSource {
  /** A built-in name or a CSV file. */
  kind: 'builtin' | 'csv';
  /** The built-in's name, or the CSV's absolute path. */
  ref: string;
}

/** The splits `train` uses. */
export interface TrainingData {
  source: DataSource;
  /** Training examples (validation is split from these), in shared memory. */
  train: Dataset;
  /** Examples for the final test metrics. */
  test: Dataset;
  /** How the test part was obtained, for messages. */
  testDescription: string;
  /** Name of the label column in files of this data, for `predict` to ignore. */
  labelName: string | undefined;
}

/** Options for loading. */
export interface LoadDataOptions {
  /** Folder of IDX files for mnist / fashion-mnist (`--data-dir`). */
  dataDir?: string | undefined;
}

/** Label column names of the built-in datasets (as a CSV export of them would call it). */
const BUILTIN_LABELS: Record<string, string> = { iris: 'species', 'study-scores': 'score' };

/** Built-in or CSV, without loading anything. */
export function datasetKind(spec: string): DataSource['kind'] {
  if ((datasetNames() as string[]).includes(spec)) return 'builtin';
  if (extname(spec).toLowerCase() === '.csv') return 'csv';
  throw new ValueError(
    `--dataset "${spec}": not a built-in dataset (${datasetNames().join(', ')}) or a .csv file. Received: dataset="${spec}"`,
  );
}

function loadBuiltin(
  name: string,
  split: Split,
  options: LoadDataOptions,
  shared: boolean,
): Dataset {
  if (options.dataDir !== undefined) {
    if (name !== 'mnist' && name !== 'fashion-mnist') {
      throw new ValueError(
        `--data-dir applies to mnist and fashion-mnist only. Received: dataset="${name}"`,
      );
    }
    return loadIdxFolder({ dataset: name, dir: options.dataDir, split, shared });
  }
  // The library's own hint names its API ({ dir }); on the command line it is --data-dir.
  if (name === 'fashion-mnist' && !fashionMnistAvailable()) {
    throw new IOError(
      `--dataset fashion-mnist: expected its four IDX files in ${defaultFashionMnistDir()}, but they are not there; install them (apt-get install ${FASHION_MNIST_APT_PACKAGE}) or pass --data-dir DIR, a folder that holds them`,
    );
  }
  try {
    return getDataset(name).load({ split, shared });
  } catch (err) {
    throw withContext(`--dataset ${name}`, err);
  }
}

/** The label column's name from a CSV header (the last column), when the file has one. */
function csvLabelName(path: string, data: Dataset): string | undefined {
  if (data.featureNames === undefined) return undefined;
  const text = readFileSync(path, 'utf8');
  const [header] = parse(text, { bom: true, trim: true, to_line: 1 }) as string[][];
  return header?.[header.length - 1];
}

/** Train and test parts for `tessera train`. */
export function loadTrainingData(spec: string, options: LoadDataOptions = {}): TrainingData {
  const kind = datasetKind(spec);
  if (kind === 'builtin') {
    return {
      source: { kind, ref: spec },
      train: loadBuiltin(spec, 'train', options, true),
      test: loadBuiltin(spec, 'test', options, false),
      testDescription: `the ${spec} test split`,
      labelName: BUILTIN_LABELS[spec] ?? 'label',
    };
  }
  if (options.dataDir !== undefined)
    throw new ValueError('--data-dir applies to mnist and fashion-mnist only, not to CSV files');
  const path = resolve(spec);
  requireRegularFile(spec, '--dataset');
  const all = loadCsv(spec, { shared: true });
  checkCsvRows(spec, all.size);
  const [train, test] = all.split(CSV_TRAIN_FRACTION, {
    seed: CSV_TEST_SEED,
    stratify: all.task === 'classification',
  });
  return {
    source: { kind, ref: path },
    train,
    test,
    testDescription: `the held-out 20 % of ${spec}`,
    labelName: csvLabelName(spec, all),
  };
}

/** What `evaluate` needs to read labels the way training did. */
export interface EvaluationDataOptions extends LoadDataOptions {
  /** Classification or regression, from the checkpoint. */
  task: Task;
  /** The training class names, so a CSV's labels map to the same ids. */
  classNames?: readonly string[] | undefined;
}

/** The data `tessera evaluate` scores: a built-in's test split, or a whole CSV file. */
export function loadEvaluationData(
  spec: string,
  options: EvaluationDataOptions,
): { source: DataSource; data: Dataset } {
  const kind = datasetKind(spec);
  if (kind === 'builtin')
    return { source: { kind, ref: spec }, data: loadBuiltin(spec, 'test', options, false) };
  if (options.dataDir !== undefined)
    throw new ValueError('--data-dir applies to mnist and fashion-mnist only, not to CSV files');
  requireRegularFile(spec, '--dataset');
  const data = loadCsv(spec, {
    task: options.task,
    ...(options.task === 'classification' && options.classNames !== undefined
      ? { classNames: options.classNames }
      : {}),
  });
  return { source: { kind, ref: resolve(spec) }, data };
}
