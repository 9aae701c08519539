/**
 * `tessera evaluate --checkpoint F --dataset D [--json]`: loss and metrics of a trained
 * model on a built-in dataset's test split or on a whole CSV file, with the training
 * normalisation and class mapping applied.
 */
import { Normalizer } from '@tessera/datasets';
import { losses } from '@tessera/layers';
import { Command, Option } from 'commander';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { CommandContext } from '../context.js';
import { checkModelFitsData } from '../data/check-fit.js';
import { loadEvaluationData } from '../data/resolve-dataset.js';
import { ExitCode } from '../errors.js';
import { evaluateModel } from '../evaluation.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { formatCount, formatMetric } from '../progress/format.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** `--checkpoint FILE` */
  checkpoint: string;
  /** `--custom-objects FILE` (repeatable): modules to import first; their code runs. */
  customObjects?: string[];
  /** `--dataset <name|file.csv>` */
  dataset: string;
  /** `--data-dir DIR`: IDX files for mnist / fashion-mnist. */
  dataDir?: string;
  /** `--json`: one JSON object on stdout. */
  json?: boolean;
}

/** Runs `evaluate`; returns the exit code. */
export async function evaluateCommand(
  options: EvaluateOptions,
  ctx: CommandContext,
): Promise<number> {
  const opened = await openCheckpoint(options.checkpoint, {
    customObjects: options.customObjects,
  });
  const facts = opened.extra.data;
  const { data: raw } = loadEvaluationData(options.dataset, {
    task: facts.task,
    classNames: facts.classNames,
    dataDir: options.dataDir,
  });
  const loss = opened.data.compile.loss;
  const lossName = losses.get(loss as Parameters<typeof losses.get>[0]).name;
  checkModelFitsData(opened.model, raw, lossName, {
    model: options.checkpoint,
    dataset: options.dataset,
  });
  const data =
    opened.extra.normalizer === undefined
      ? raw
      : Normalizer.fromJSON(opened.extra.normalizer).apply(raw);
  const results = evaluateModel(opened.model, data, { loss, metrics: opened.data.compile.metrics });
  if (options.json === true) {
    ctx.io.stdout.write(
      `${JSON.stringify({ command: 'evaluate', checkpoint: options.checkpoint, dataset: options.dataset, examples: data.size, ...results, metrics: results })}\n`,
    );
  } else {
    const parts = Object.entries(results).map(([k, v]) => `${k} ${formatMetric(v)}`);
    ctx.io.stdout.write(
      `Evaluated on ${options.dataset} (${formatCount(data.size)} examples): ${parts.join(', ')}\n`,
    );
  }
  return ExitCode.ok;
}

/** The commander definition. */
export function evaluateDefinition(ctx: CommandContext): Command {
  return new Command('evaluate')
    .description("a trained model's loss and metrics on a dataset's test split or a CSV file")
    .requiredOption('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)')
    .addOption(customObjectsOption())
    .requiredOption(
      '--dataset <name|file.csv>',
      'built-in dataset name (its test split) or CSV file',
    )
    .addOption(
      new Option('--data-dir <DIR>', 'folder with the IDX files of mnist or fashion-mnist'),
    )
    .addOption(new Option('--json', 'print one JSON object'))
    .action(async (options: EvaluateOptions) => {
      ctx.exitCode = await evaluateCommand(options, ctx);
    });
}
