/**
 * The programmatic entry: `run(argv, io)` parses the arguments, runs one command and
 * resolves to the exit code — it never calls process.exit, so tests run commands
 * in-process. `bin.ts` is `run(process.argv.slice(2))` and nothing more.
 *
 * ```ts
 * const code = await run(['evaluate', '--checkpoint', 'runs/x/checkpoints/latest.tsr', '--dataset', 'iris']);
 * ```
 */
import { Command, CommanderError } from 'commander';
import { dashboardDefinition } from './commands/dashboard.js';
import { datasetsDefinition } from './commands/datasets.js';
import { evaluateDefinition } from './commands/evaluate.js';
import { exportDefinition } from './commands/export.js';
import { importDefinition } from './commands/import.js';
import { plotDefinition } from './commands/plot.js';
import { predictDefinition } from './commands/predict.js';
import { serveDefinition } from './commands/serve.js';
import { summaryDefinition } from './commands/summary.js';
import { trainDefinition } from './commands/train.js';
import type { CommandContext } from './context.js';
import { describeFileError, ExitCode, reportError } from './errors.js';
import { builtinDatasetsHelp, builtinModelsHelp } from './help/builtins-help.js';
import { type CliIO, processIO } from './io.js';
import { BROKEN_PIPE_EXIT, OutputGuard } from './output/output-guard.js';
import { CLI_VERSION } from './version.js';

/** Which flags execute code, said where every user looks first. */
const CODE_FLAGS_HELP = `
Flags that run your code: --model file.js and --custom-objects FILE import that
JavaScript file, which runs with your permissions. Nothing else imports code:
checkpoints (.tsr) and model .json files only name the custom objects they need.`;

const COMMANDS = [
  'train',
  'evaluate',
  'predict',
  'summary',
  'plot',
  'export',
  'import',
  'datasets',
  'serve',
  'dashboard',
];

/** Applies the settings every command needs: throw instead of exiting, write through `io`. */
function configure(command: Command, io: CliIO): Command {
  return command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // The one error line is written by run() from the thrown CommanderError.
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true);
}

/** The `tessera` program with all its commands. */
export function createProgram(ctx: CommandContext): Command {
  const program = configure(new Command('tessera'), ctx.io)
    .description('Train, evaluate and export Keras-style neural networks on every CPU core.')
    .version(CLI_VERSION, '-V, --version')
    .addHelpText(
      'after',
      () => `\n${builtinModelsHelp()}\n\n${builtinDatasetsHelp()}\n${CODE_FLAGS_HELP}`,
    );
  for (const define of [
    trainDefinition,
    evaluateDefinition,
    predictDefinition,
    summaryDefinition,
    plotDefinition,
    exportDefinition,
    importDefinition,
    datasetsDefinition,
    serveDefinition,
    dashboardDefinition,
  ]) {
    program.addCommand(configure(define(ctx), ctx.io));
  }
  return program;
}

/** Runs one `tessera` command line; resolves to its exit code (see errors.ts). */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const guard = new OutputGuard(io.stdout);
  try {
    const code = await runCommand(argv, io, guard.signal);
    await guard.settle();
    if (guard.error === undefined) return code;
    if (guard.readerGone) return BROKEN_PIPE_EXIT;
    io.stderr.write(`error: cannot write to stdout: ${describeFileError(guard.error)}\n`);
    return ExitCode.usage;
  } finally {
    guard.dispose();
  }
}

async function runCommand(
  argv: readonly string[],
  io: CliIO,
  outputFailed: AbortSignal,
): Promise<number> {
  const ctx: CommandContext = { io, exitCode: ExitCode.ok, outputFailed };
  const debug = io.env['TESSERA_DEBUG'] === '1';
  try {
    if (argv.length === 0) {
      throw new CommanderError(
        ExitCode.usage,
        'tessera.missingCommand',
        `error: missing command; expected one of ${COMMANDS.join(', ')} (see tessera --help)`,
      );
    }
    await createProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    const report = reportError(err, { debug });
    for (const line of report.lines) io.stderr.write(`${line}\n`);
    return report.exitCode;
  }
}
