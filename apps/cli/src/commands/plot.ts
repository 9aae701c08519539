/**
 * `tessera plot --model … --out FILE.svg|.png|.dot [--show-shapes]`: the model graph,
 * Keras `plot_model` style, as Graphviz DOT text or rendered to SVG or PNG (no system
 * tools needed), chosen by the file's extension.
 */
import { extname } from 'node:path';
import { ValueError } from '@tessera/core';
import { plotModel, renderDot } from '@tessera/layers';
import { Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { loadModelArgument, type ModelArgument } from '../models/model-argument.js';
import { writeOutputFile } from '../output/files.js';

/** Options of `plot`. */
export interface PlotOptions extends ModelArgument {
  /** `--out FILE.svg|.png|.dot` */
  out: string;
  /** `--show-shapes`: input and output shapes on every layer. */
  showShapes?: boolean;
}

const FORMATS = ['.svg', '.png', '.dot'];

/** Runs `plot`; returns the exit code. */
export async function plotCommand(options: PlotOptions, ctx: CommandContext): Promise<number> {
  const ext = extname(options.out).toLowerCase();
  if (!FORMATS.includes(ext)) {
    throw new ValueError(
      `--out must end in .svg, .png or .dot (the format is taken from it). Received: out=${JSON.stringify(options.out)}`,
    );
  }
  const { model } = await loadModelArgument(options);
  const dot = plotModel(model, {
    showShapes: options.showShapes === true,
    showLayerActivations: true,
  });
  const bytes =
    ext === '.dot'
      ? dot
      : ext === '.svg'
        ? await renderDot(dot, 'svg')
        : await renderDot(dot, 'png');
  await writeOutputFile(options.out, bytes);
  ctx.io.stdout.write(`Wrote ${options.out}\n`);
  return ExitCode.ok;
}

/** The commander definition. */
export function plotDefinition(ctx: CommandContext): Command {
  return new Command('plot')
    .description('draw the model graph as .svg, .png or .dot (by the extension of --out)')
    .addOption(
      new Option(
        '--model <builtin|file.json|module.js>',
        'built-in model name, model JSON file, or JS module (a .js module RUNS ITS CODE)',
      ),
    )
    .addOption(new Option('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)'))
    .addOption(customObjectsOption())
    .requiredOption('--out <FILE>', 'output file: .svg, .png or .dot')
    .addOption(new Option('--show-shapes', "show each layer's input and output shapes"))
    .action(async (options: PlotOptions) => {
      ctx.exitCode = await plotCommand(options, ctx);
    });
}
