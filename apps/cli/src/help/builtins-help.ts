/**
 * The built-in models and datasets as `--help` lists them, with the defaults `train` uses
 * for each model (every one overridable by its flag). Pure functions of the registries:
 * the commands add the text to their help.
 */
import { datasets } from '@tessera/datasets';
import { BUILTIN_MODELS } from '../models/builtins.js';
import { formatCount } from '../progress/format.js';
import { textTable } from '../text-table.js';

/** "Built-in models" with each one's dataset and training defaults. */
export function builtinModelsHelp(): string {
  const table = textTable({
    header: [
      'MODEL',
      'DATASET',
      'EPOCHS',
      'BATCH',
      'OPTIMIZER',
      'LR',
      'SCHEDULE',
      'LOSS',
      'VAL',
      'NORMALIZE',
    ],
    rows: BUILTIN_MODELS.map((m) => [
      m.name,
      m.dataset,
      String(m.training.epochs),
      String(m.training.batchSize),
      m.training.optimizer,
      String(m.training.learningRate),
      m.training.learningRateSchedule,
      m.training.loss,
      String(m.training.validationSplit),
      m.training.normalize,
    ]),
  });
  return [
    'Built-in models (--model NAME) and the defaults train uses for them; the flags',
    '--dataset, --epochs, --batch-size, --optimizer, --learning-rate, --lr-schedule, --loss,',
    '--validation-split and --normalize override them (--workers: all cores; --seed: random):',
    ...table.map((line) => `  ${line}`),
    ...BUILTIN_MODELS.map((m) => `  ${m.name}: ${m.description}`),
  ].join('\n');
}

/** "Built-in datasets" with their sizes (`tessera datasets` says which are installed). */
export function builtinDatasetsHelp(): string {
  const table = textTable({
    header: ['DATASET', 'TASK', 'TRAIN', 'TEST', 'FEATURES'],
    rows: datasets.map((d) => [
      d.name,
      d.task,
      formatCount(d.size.train),
      formatCount(d.size.test),
      d.featureShape.join('×'),
    ]),
  });
  return [
    'Built-in datasets (--dataset NAME, or a CSV file; `tessera datasets` says which are',
    'on this machine):',
    ...table.map((line) => `  ${line}`),
  ].join('\n');
}
