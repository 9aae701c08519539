/**
 * `tessera dashboard RUN_DIR [--port N] [--host H]`: the training dashboard of a run
 * folder, finished or still training (it re-reads the folder when its files change and
 * pushes the new state to the page). Serves until Ctrl-C.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IOError } from '@tessera/core';
import { checkpointFolder } from '@tessera/trainer';
import { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { startDashboardServer } from '../dashboard/dashboard-server.js';
import { runFolderSnapshot, runFolderStamp } from '../dashboard/run-folder-snapshot.js';
import { ExitCode } from '../errors.js';
import { hostOption, portOption, warnIfExposed } from '../web/host-option.js';
import { untilStopped } from '../web/until-stopped.js';

/** Options of `dashboard`. */
export interface DashboardOptions {
  port: number;
  host: string;
  /** Stops the server (tests); otherwise Ctrl-C does. */
  signal?: AbortSignal;
}

/** How often a running run's folder is looked at. */
const POLL_MS = 1000;

/** Runs `dashboard`; returns the exit code once stopped. */
export async function dashboardCommand(
  runDir: string,
  options: DashboardOptions,
  ctx: CommandContext,
): Promise<number> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory())
    throw new IOError(`${runDir}: no such run folder (expected the --out folder of tessera train)`);
  if (!existsSync(join(runDir, 'model.svg')) && !existsSync(checkpointFolder(runDir)))
    throw new IOError(
      `${runDir}: not a run folder of tessera train (no model.svg, no checkpoints/)`,
    );
  let snapshot = await runFolderSnapshot(runDir);
  let stamp = runFolderStamp(runDir);
  const modelSvg = join(runDir, 'model.svg');
  const server = await startDashboardServer({
    host: options.host,
    port: options.port,
    current: () => snapshot,
    modelSvg: async () =>
      existsSync(modelSvg)
        ? readFileSync(modelSvg, 'utf8')
        : '<svg xmlns="http://www.w3.org/2000/svg"/>',
  });
  warnIfExposed(ctx.io, options.host);
  ctx.io.stdout.write(`Dashboard of ${runDir}: ${server.url} (Ctrl-C to stop)\n`);
  let reading = false;
  const poll = setInterval(() => {
    const now = runFolderStamp(runDir);
    if (now === stamp || reading) return;
    reading = true;
    runFolderSnapshot(runDir)
      .then((next) => {
        stamp = now;
        snapshot = next;
        server.push(snapshot);
      })
      // A checkpoint caught mid-rename is read again at the next poll.
      .catch(() => undefined)
      .finally(() => {
        reading = false;
      });
  }, POLL_MS);
  await untilStopped(ctx.io, options.signal);
  clearInterval(poll);
  await server.close();
  ctx.io.stdout.write('Stopped.\n');
  return ExitCode.ok;
}

/** The commander definition. */
export function dashboardDefinition(ctx: CommandContext): Command {
  return new Command('dashboard')
    .description('serve the live training dashboard of a run folder (finished or still training)')
    .argument('<RUN_DIR>', 'the --out folder of tessera train')
    .addOption(portOption(6006))
    .addOption(hostOption())
    .action(async (runDir: string, options: DashboardOptions) => {
      ctx.exitCode = await dashboardCommand(runDir, options, ctx);
    });
}
