/**
 * `tessera summary --model <builtin|file.json|module.js> | --checkpoint FILE`: the
 * Keras-style table of layers, output shapes and parameter counts, and which step
 * `train` would use for it (the resident step, or the tfjs path and why).
 */
import { residentPlanReason, summaryText } from '@tessera/layers';
import { Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { loadModelArgument, type ModelArgument } from '../models/model-argument.js';

/** Options of `summary`. */
export type SummaryOptions = ModelArgument;

/** Runs `summary`; returns the exit code. */
export async function summaryCommand(
  options: SummaryOptions,
  ctx: CommandContext,
): Promise<number> {
  const { model } = await loadModelArgument(options);
  ctx.io.stdout.write(`${summaryText(model)}\n`);
  const reason = residentPlanReason(model);
  ctx.io.stdout.write(
    reason === undefined
      ? 'Training path: resident step (planned kernels over shared memory)\n'
      : `Training path: tfjs autodiff (${reason})\n`,
  );
  return ExitCode.ok;
}

/** The commander definition. */
export function summaryDefinition(ctx: CommandContext): Command {
  return new Command('summary')
    .description("print a model's layers, output shapes and parameter counts")
    .addOption(
      new Option(
        '--model <builtin|file.json|module.js>',
        'built-in model name, model JSON file, or JS module (a .js module RUNS ITS CODE)',
      ),
    )
    .addOption(new Option('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)'))
    .addOption(customObjectsOption())
    .action(async (options: SummaryOptions) => {
      ctx.exitCode = await summaryCommand(options, ctx);
    });
}
