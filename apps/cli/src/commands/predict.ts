/**
 * `tessera predict --checkpoint F --input X.csv [--output Y.csv]`: runs a trained model on
 * the rows of a CSV file (raw feature values, as in the training data: the checkpoint's
 * feature scale and normalizer are applied) and writes a CSV of the outputs — a header,
 * one row per input row, one column per output unit, and for classifiers a last column
 * `label` with the class name. Without `--output` the CSV goes to stdout.
 */
import { tf } from '@tessera/core';
import { Normalizer } from '@tessera/datasets';
import { Command, Option } from 'commander';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { CommandContext } from '../context.js';
import { readPredictInput } from '../data/predict-input.js';
import { ExitCode } from '../errors.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { writeOutputFile } from '../output/files.js';
import { predictionsCsv } from '../output/predictions-csv.js';

/** Options of `predict`. */
export interface PredictOptions {
  /** `--checkpoint FILE` */
  checkpoint: string;
  /** `--custom-objects FILE` (repeatable): modules to import first; their code runs. */
  customObjects?: string[];
  /** `--input FILE.csv` */
  input: string;
  /** `--output FILE.csv` (default: stdout). */
  output?: string;
}

/** Runs `predict`; returns the exit code. */
export async function predictCommand(
  options: PredictOptions,
  ctx: CommandContext,
): Promise<number> {
  const opened = await openCheckpoint(options.checkpoint, {
    customObjects: options.customObjects,
  });
  const facts = opened.extra.data;
  const featureSize = facts.featureShape.reduce((a, b) => a * b, 1);
  const input = await readPredictInput({
    path: options.input,
    featureSize,
    featureNames: facts.featureNames,
    labelName: facts.labelName,
  });
  if (input.note !== undefined) ctx.io.stderr.write(`${input.note}\n`);
  let features = input.features;
  if (facts.featureScale !== 1) features = features.map((v) => v * facts.featureScale);
  if (opened.extra.normalizer !== undefined)
    features = Normalizer.fromJSON(opened.extra.normalizer).transform(features);
  const x = tf.tensor(features, [input.rows, ...facts.featureShape], 'float32');
  let outputs: Float32Array;
  let units: number;
  try {
    const y = opened.model.predict(x, { batchSize: 1024 });
    const single = Array.isArray(y) ? y[0]! : y;
    units = single.shape[single.shape.length - 1] ?? 1;
    outputs = (await single.data()) as Float32Array;
    tf.dispose(y);
  } finally {
    x.dispose();
  }
  const csv = predictionsCsv({
    outputs,
    units,
    classNames: facts.task === 'classification' ? facts.classNames : undefined,
  });
  if (options.output === undefined) {
    ctx.io.stdout.write(csv);
  } else {
    await writeOutputFile(options.output, csv);
    ctx.io.stdout.write(`Wrote ${input.rows} prediction(s) to ${options.output}\n`);
  }
  return ExitCode.ok;
}

/** The commander definition. */
export function predictDefinition(ctx: CommandContext): Command {
  return new Command('predict')
    .description(
      'run a trained model on the rows of a CSV file; writes one CSV row of outputs per input row',
    )
    .requiredOption('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)')
    .addOption(customObjectsOption())
    .requiredOption(
      '--input <FILE.csv>',
      'feature columns, header optional; a label column is ignored when named',
    )
    .addOption(
      new Option('--output <FILE.csv>', 'where to write the predictions (default: stdout)'),
    )
    .action(async (options: PredictOptions) => {
      ctx.exitCode = await predictCommand(options, ctx);
    });
}
