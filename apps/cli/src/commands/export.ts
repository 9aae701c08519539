/**
 * `tessera export --checkpoint F --format tfjs --out DIR`: the trained model as a TF.js
 * LayersModel — `model.json` (Keras topology + weights manifest) and the float32 weights —
 * which @tensorflow/tfjs-layers loads with `tf.loadLayersModel` and predicts with exactly
 * as Tessera does. The exported graph takes raw features, as `tessera predict` does: the
 * feature scale and normalizer of training are folded into the first Dense layer. Class
 * names, feature names and training ranges go into model.json's `userDefinedMetadata.tessera`.
 */
import { Command, Option } from 'commander';
import { parseChoice } from '../args.js';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { CommandContext } from '../context.js';
import { ExitCode, withContext } from '../errors.js';
import { exportCheckpoint } from '../export/checkpoint-export.js';
import { readCustomFunctions } from '../export/pytorch/custom-functions.js';
import { pytorchExport } from '../export/pytorch/pytorch-export.js';
import { writeTfjsModel } from '../export/tfjs-artifacts.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { prepareOutputFolder } from '../output/files.js';

/** Export formats. */
export const EXPORT_FORMATS = ['tfjs', 'pytorch'] as const;

/** Options of `export`. */
export interface ExportOptions {
  /** `--checkpoint FILE` */
  checkpoint: string;
  /** `--custom-objects FILE` (repeatable): modules to import first; their code runs. */
  customObjects?: string[];
  /** `--format tfjs` */
  format: (typeof EXPORT_FORMATS)[number];
  /** `--out DIR` */
  out: string;
  /** `--pytorch-functions FILE.py`: PyTorch equivalents of the model's custom functions. */
  pytorchFunctions?: string;
}

/** `--format pytorch`: model.py, weights, train_ddp.py and a README in the folder. */
async function exportPytorch(options: ExportOptions, ctx: CommandContext): Promise<number> {
  const opened = await openCheckpoint(options.checkpoint, {
    customObjects: options.customObjects,
  });
  const custom = await readCustomFunctions(options.pytorchFunctions);
  let files: ReturnType<typeof pytorchExport>;
  try {
    files = pytorchExport(opened, custom);
  } catch (err) {
    throw withContext(`${options.checkpoint}: cannot export to PyTorch`, err);
  }
  await prepareOutputFolder(options.out);
  const written = await files.write(options.out);
  ctx.io.stdout.write(
    `Exported ${options.checkpoint} for PyTorch into ${options.out}: ${written.join(', ')}\n`,
  );
  return ExitCode.ok;
}

/** Runs `export`; returns the exit code. */
export async function exportCommand(options: ExportOptions, ctx: CommandContext): Promise<number> {
  if (options.format === 'pytorch') return exportPytorch(options, ctx);
  const opened = await openCheckpoint(options.checkpoint, {
    customObjects: options.customObjects,
  });
  const { artifacts, folded } = exportCheckpoint(opened);
  await prepareOutputFolder(options.out);
  const files = await writeTfjsModel(options.out, artifacts);
  ctx.io.stdout.write(
    `Exported ${options.checkpoint} as a TF.js LayersModel: ${files.modelJson}, ${files.weights}\n${folded.description}\n`,
  );
  return ExitCode.ok;
}

/** The commander definition. */
export function exportDefinition(ctx: CommandContext): Command {
  return new Command('export')
    .description(
      'export a trained model as a TF.js LayersModel or a PyTorch module with a DDP training script',
    )
    .requiredOption('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)')
    .addOption(customObjectsOption())
    .addOption(
      new Option('--format <format>', `export format: ${EXPORT_FORMATS.join(', ')}`)
        .argParser(parseChoice(EXPORT_FORMATS))
        .makeOptionMandatory(),
    )
    .requiredOption('--out <DIR>', 'folder for the exported files')
    .addOption(
      new Option(
        '--pytorch-functions <FILE.py>',
        'Python file defining a PyTorch equivalent `def NAME(x):` of each custom function',
      ),
    )
    .action(async (options: ExportOptions) => {
      ctx.exitCode = await exportCommand(options, ctx);
    });
}
