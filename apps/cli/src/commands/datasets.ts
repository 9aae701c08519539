/**
 * `tessera datasets [--json]`: the built-in datasets, their sizes, task and where each
 * comes from, and whether its files are on this machine (Fashion-MNIST may be missing).
 */
import { type DatasetInfo, datasets } from '@tessera/datasets';
import { Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { formatCount } from '../progress/format.js';
import { textTable } from '../text-table.js';

/** Options of `datasets`. */
export interface DatasetsOptions {
  /** Print one JSON object instead of the table. */
  json?: boolean;
}

/** One dataset as `--json` lists it. */
export interface DatasetListing {
  /** Name for `--dataset`. */
  name: string;
  /** One line on what the data is. */
  description: string;
  /** 'classification' or 'regression'. */
  task: string;
  /** Examples in the training split. */
  train: number;
  /** Examples in the test split. */
  test: number;
  /** Shape of one example's features. */
  feature_shape: number[];
  /** Number of classes; null for regression. */
  classes: number | null;
  /** Whether the data can be loaded on this machine now. */
  available: boolean;
  /** Where the data comes from. */
  source: string;
}

function listing(info: DatasetInfo): DatasetListing {
  return {
    name: info.name,
    description: info.description,
    task: info.task,
    train: info.size.train,
    test: info.size.test,
    feature_shape: [...info.featureShape],
    classes: info.numClasses ?? null,
    available: info.available(),
    source: info.source,
  };
}

/** Lines of the human-readable listing. */
export function datasetsReport(list: readonly DatasetListing[]): string[] {
  const table = textTable({
    header: ['NAME', 'TASK', 'TRAIN', 'TEST', 'FEATURES', 'CLASSES', 'AVAILABLE'],
    rows: list.map((d) => [
      d.name,
      d.task,
      formatCount(d.train),
      formatCount(d.test),
      d.feature_shape.join('×'),
      d.classes === null ? '-' : String(d.classes),
      d.available ? 'yes' : 'no',
    ]),
    alignRight: [2, 3, 5],
  });
  const details = list.flatMap((d) => [
    `${d.name}: ${d.description}`,
    `  from: ${d.source}${d.available ? '' : ' — not present on this machine'}`,
  ]);
  return [...table, '', ...details];
}

/** Runs `datasets`; returns the exit code. */
export async function datasetsCommand(
  options: DatasetsOptions,
  ctx: CommandContext,
): Promise<number> {
  const list = datasets.map(listing);
  if (options.json === true) {
    ctx.io.stdout.write(`${JSON.stringify({ command: 'datasets', datasets: list })}\n`);
  } else {
    ctx.io.stdout.write(`${datasetsReport(list).join('\n')}\n`);
  }
  return 0;
}

/** The commander definition. */
export function datasetsDefinition(ctx: CommandContext): Command {
  return new Command('datasets')
    .description('list the built-in datasets, their sizes and where they come from')
    .addOption(new Option('--json', 'print one JSON object'))
    .action(async (options: DatasetsOptions) => {
      ctx.exitCode = await datasetsCommand(options, ctx);
    });
}
