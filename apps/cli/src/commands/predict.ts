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

/** The input format, for `predict --help`. */
export const PREDICT_INPUT_HELP = `
Input (--input FILE.csv): one row per example holding the raw feature values, as in the
training data (raw pixels 0–255, raw measurements); the checkpoint's feature scale and
normalizer are applied. The first row is a header when one of its cells is not a number.
  With a header: columns are matched to the model's feature names (those of its
    training data, e.g. SepalLength, SepalWidth, PetalLength, PetalWidth for iris)
    ignoring case and separators (sepal_length matches SepalLength), in any order; a
    column named like the training label (or "label") is ignored. When no column name
    matches but there are exactly as many columns as features, they are read by
    position and a note on stderr says so. Anything else is refused, naming the
    expected columns.
  Without a header: each row holds exactly the features, in training order.
Output: a CSV with a header, one column per output unit and, for classifiers, a last
column "label" with the predicted class name.
Example: tessera predict --checkpoint runs/iris/checkpoints/best.tsr --input examples/flowers.csv`;

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
      'one row of raw feature values per example; header optional (see below)',
    )
    .addOption(
      new Option('--output <FILE.csv>', 'where to write the predictions (default: stdout)'),
    )
    .addHelpText('after', PREDICT_INPUT_HELP)
    .action(async (options: PredictOptions) => {
      ctx.exitCode = await predictCommand(options, ctx);
    });
}
