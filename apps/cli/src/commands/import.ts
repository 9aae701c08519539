/**
 * `tessera import --from DIR --out FILE.tsr`: a folder written by an exported
 * train_ddp.py (or by `export --format pytorch` itself) back into a Tessera checkpoint —
 * model config, weights, optimizer state and the CLI's data record — which `evaluate`,
 * `predict`, `export` and `serve` open like any checkpoint of `tessera train`.
 */
import { dirname, resolve } from 'node:path';
import { Model } from '@tessera/layers';
import { restoreModel, saveCheckpoint } from '@tessera/trainer';
import { Command } from 'commander';
import { readCliExtra } from '../checkpoint/cli-extra.js';
import type { CommandContext } from '../context.js';
import { ExitCode, withContext } from '../errors.js';
import { checkpointFromState, parameterLayout } from '../export/pytorch/checkpoint-state.js';
import { readState } from '../export/pytorch/state-files.js';
import { prepareOutputFolder } from '../output/files.js';

/** Options of `import`. */
export interface ImportOptions {
  /** `--from DIR`: the folder train_ddp.py wrote. */
  from: string;
  /** `--out FILE.tsr` */
  out: string;
}

/** Runs `import`; returns the exit code. */
export async function importCommand(options: ImportOptions, ctx: CommandContext): Promise<number> {
  const state = await readState(options.from);
  let data: ReturnType<typeof checkpointFromState>;
  try {
    const layoutModel = Model.fromJSON(state.manifest.model);
    data = checkpointFromState(state, parameterLayout(layoutModel));
    layoutModel.dispose();
    readCliExtra(data.extra, options.from);
    // Rebuilding proves config and weights agree before anything is written.
    restoreModel(data).dispose();
  } catch (err) {
    throw withContext(`--from ${options.from}`, err);
  }
  await prepareOutputFolder(dirname(resolve(options.out)), '--out');
  await saveCheckpoint(options.out, data);
  ctx.io.stdout.write(
    `Imported ${options.from} as ${options.out} (${state.weights.size} weights, optimizer step ${data.optimizer.iteration})\n`,
  );
  return ExitCode.ok;
}

/** The commander definition. */
export function importDefinition(ctx: CommandContext): Command {
  return new Command('import')
    .description('turn the output of an exported train_ddp.py back into a Tessera checkpoint')
    .requiredOption('--from <DIR>', 'folder written by train_ddp.py (weights.json + weights.bin)')
    .requiredOption('--out <FILE.tsr>', 'checkpoint to write')
    .action(async (options: ImportOptions) => {
      ctx.exitCode = await importCommand(options, ctx);
    });
}
