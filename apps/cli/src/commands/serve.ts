/**
 * `tessera serve --checkpoint F [--port N] [--host H]`: a playground page for a trained
 * model. The page loads the model exported as a TF.js LayersModel (raw features in) and
 * predicts in the browser: a drawing canvas for 28×28 image models, one input per
 * feature otherwise. Serves until Ctrl-C.
 */
import { basename } from 'node:path';
import { Command } from 'commander';
import { openCheckpoint } from '../checkpoint/open-checkpoint.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { hostOption, portOption, warnIfExposed } from '../web/host-option.js';
import { playgroundRoutes } from '../web/playground-routes.js';
import { untilStopped } from '../web/until-stopped.js';
import { webRoot } from '../web/web-root.js';
import { startWebServer } from '../web/web-server.js';

/** Options of `serve`. */
export interface ServeOptions {
  /** `--checkpoint FILE` */
  checkpoint: string;
  /** `--port N` */
  port: number;
  /** `--host H` */
  host: string;
  /** Stops the server (tests); otherwise Ctrl-C does. */
  signal?: AbortSignal;
}

/** Runs `serve`; returns the exit code once stopped. */
export async function serveCommand(options: ServeOptions, ctx: CommandContext): Promise<number> {
  const root = webRoot();
  const opened = await openCheckpoint(options.checkpoint);
  const routes = await playgroundRoutes(
    opened,
    `${opened.model.name} (${basename(options.checkpoint)})`,
  );
  const server = await startWebServer({
    host: options.host,
    port: options.port,
    root,
    index: 'playground.html',
    routes,
  });
  warnIfExposed(ctx.io, options.host);
  ctx.io.stdout.write(`Playground for ${options.checkpoint}: ${server.url} (Ctrl-C to stop)\n`);
  await untilStopped(ctx.io, options.signal);
  await server.close();
  ctx.io.stdout.write('Stopped.\n');
  return ExitCode.ok;
}

/** The commander definition. */
export function serveDefinition(ctx: CommandContext): Command {
  return new Command('serve')
    .description('serve a playground page where the model predicts in the browser (TensorFlow.js)')
    .requiredOption('--checkpoint <FILE>', 'checkpoint written by tessera train (.tsr)')
    .addOption(portOption(8080))
    .addOption(hostOption())
    .action(async (options: ServeOptions) => {
      ctx.exitCode = await serveCommand(options, ctx);
    });
}
