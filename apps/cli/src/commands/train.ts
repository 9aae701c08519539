/**
 * `tessera train --model M --dataset D [flags]`: trains on every core with the
 * data-parallel trainer, writes checkpoints and the run's files into `--out`, then
 * evaluates on the test data. The README lists the flags and the `--json` object.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ValueError } from '@tessera/core';
import { optimizers } from '@tessera/layers';
import {
  type CheckpointData,
  checkpointFolder,
  type FitOptions,
  fit,
  type StartedThreads,
  startThreads,
  TrainingAbortedError,
  validationSplitSizes,
} from '@tessera/trainer';
import { Command, Option } from 'commander';
import {
  parseChoice,
  parseFraction,
  parsePath,
  parsePositiveInt,
  parsePositiveNumber,
  parseSeed,
} from '../args.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { evaluateModel } from '../evaluation.js';
import { builtinDatasetsHelp, builtinModelsHelp } from '../help/builtins-help.js';
import {
  LEARNING_RATE_SCHEDULES,
  type LearningRateScheduleName,
  NORMALIZE_METHODS,
  type NormalizeMethod,
} from '../models/builtin-model.js';
import { customObjectsOption } from '../models/custom-objects.js';
import { overallSamplesPerSecond } from '../output/history-files.js';
import { formatCount } from '../progress/format.js';
import { TrainingProgress } from '../progress/progress.js';
import { oversubscribedWarning } from '../train/cpu-cores.js';
import { DivergenceGuard, divergenceError } from '../train/divergence.js';
import { checkRunFolder, clearRun } from '../train/existing-run.js';
import { signalsDelivered } from '../train/interrupt.js';
import { DASHBOARD_PORT, type LiveDashboard, startLiveDashboard } from '../train/live-dashboard.js';
import { type PlanOptions, planRun, type RunPlan } from '../train/plan.js';
import { lastEpochLogs, trainJson, trainText } from '../train/report.js';
import {
  writeHistoryFiles,
  writeInterruptedHistory,
  writeModelFiles,
} from '../train/run-folder.js';
import { inRunFolder, type RunControl } from '../train/run-folder-lifetime.js';
import { removeStaleTempFiles } from '../train/run-lock.js';
import { DEFAULT_HOST, hostOption, portOption } from '../web/host-option.js';

/** Options of `train` (commander's camelCase of the flags). */
export interface TrainOptions extends PlanOptions {
  /** `--out DIR` (default runs/<timestamp>, or the resumed run's folder). */
  out?: string;
  /** `--overwrite`: replace the run already in `--out`. */
  overwrite?: boolean;
  /** `--json`: one JSON object on stdout, progress on stderr. */
  json?: boolean;
  /** `--dashboard`: serve the live training dashboard while training. */
  dashboard?: boolean;
  /** `--port N` of the dashboard. */
  port?: number;
  /** `--host H` of the dashboard. */
  host?: string;
}

/**
 * Runs `train`; returns the exit code. The run folder is locked for the run and must not
 * hold another run (existing-run.ts); a run that fails before leaving a checkpoint or a
 * history removes the folder it created.
 */
export async function trainCommand(options: TrainOptions, ctx: CommandContext): Promise<number> {
  if (options.dashboard !== true && (options.port !== undefined || options.host !== undefined))
    throw new ValueError(
      `--port and --host set up the dashboard: add --dashboard. Received: ${options.port !== undefined ? `--port ${options.port}` : `--host ${options.host}`} without --dashboard`,
    );
  if (options.overwrite === true && options.resume !== undefined)
    throw new ValueError(
      `--overwrite replaces the run in --out with a new one, --resume continues a run: expected one of them. Received: --overwrite with --resume ${options.resume}`,
    );
  return inRunFolder(options, ctx, (out, control) => {
    checkRunFolder(out, options);
    removeStaleTempFiles(checkpointFolder(out));
    return trainInFolder(out, options, ctx, control);
  });
}

/** The run itself, in a prepared and locked folder. */
async function trainInFolder(
  out: string,
  options: TrainOptions,
  ctx: CommandContext,
  control: RunControl,
): Promise<number> {
  const plan = await planRun(options);
  const crowded = oversubscribedWarning(plan.settings.workers);
  if (crowded !== undefined) ctx.io.stderr.write(`${crowded}\n`);
  // A Ctrl-C while the data loaded ends the run here, before the old run goes.
  await signalsDelivered();
  if (control.signal.aborted) return stoppedBeforeTraining(ctx);
  // Only now that the new run is checked does the old one go.
  if (options.overwrite === true) clearRun(out);
  // The worker threads start now, once the arguments and data are checked, and load while
  // the run folder's files are written and the run is laid out (threads.ts in the trainer).
  const threads = startThreads({ workers: plan.settings.workers });
  try {
    return await trainPlanned(out, options, ctx, plan, threads, control);
  } finally {
    await threads.close(); // nothing to do once fit took them
  }
}

/** Trains the checked plan on the started threads. */
async function trainPlanned(
  out: string,
  options: TrainOptions,
  ctx: CommandContext,
  plan: RunPlan,
  threads: StartedThreads,
  control: RunControl,
): Promise<number> {
  const { io } = ctx;
  const progressStream = options.json === true ? io.stderr : io.stdout;
  const say = (line: string): void => {
    progressStream.write(`${line}\n`);
  };
  const { model, modelLabel, datasetLabel, train, test, settings, validationSplit, seed, resumed } =
    plan;
  await writeModelFiles(out, model);

  // The rows the trainer trains on and holds out (the header and samples/s count these).
  const { train: examples, validation: heldOut } = validationSplitSizes(
    train.size,
    validationSplit,
  );
  say(
    `Training ${modelLabel} on ${datasetLabel}: ${formatCount(examples)} examples` +
      `${heldOut > 0 ? ` (+${formatCount(heldOut)} for validation)` : ''}, ${settings.workers} worker(s), batch ${plan.batchSize}, seed ${seed}`,
  );

  const checkpointDir = checkpointFolder(out);
  const title = `${modelLabel} on ${datasetLabel}`;
  const dashboard: LiveDashboard | undefined =
    options.dashboard === true
      ? await startLiveDashboard({
          io,
          host: options.host ?? DEFAULT_HOST,
          port: options.port ?? DASHBOARD_PORT,
          out,
          recorder: {
            title,
            epochs: plan.epochs,
            examples,
            batchSize: plan.batchSize,
            workers: settings.workers,
            checkpointDir,
          },
        })
      : undefined;
  const signal =
    ctx.outputFailed === undefined
      ? control.signal
      : AbortSignal.any([control.signal, ctx.outputFailed]);
  const nan = new DivergenceGuard();
  const fitStart = performance.now();
  let history: Awaited<ReturnType<typeof fit>>;
  try {
    // Ctrl-C while the data loaded (it is handled once loading lets go of the thread): stop
    // before the first step rather than save the untrained weights as a checkpoint.
    if (control.signal.aborted) return stoppedBeforeTraining(ctx);
    control.trainingStarts();
    history = await fit(model, train, {
      threads,
      ...(resumed === undefined || options.epochs !== undefined ? { epochs: settings.epochs } : {}),
      batchSize: settings.batchSize,
      optimizer:
        resumed === undefined
          ? settings.optimizer
          : (resumed.data.optimizer.config as CheckpointData['optimizer']['config']),
      ...(resumed === undefined || options.loss !== undefined
        ? {
            loss: settings.lossConfig as FitOptions['loss'],
            metrics: settings.metrics as FitOptions['metrics'],
          }
        : {}),
      validationSplit,
      seed,
      callbacks: [
        nan,
        new TrainingProgress({
          stream: progressStream,
          epochs: plan.epochs,
          examples,
          batchSize: plan.batchSize,
        }),
        ...(dashboard === undefined ? [] : [dashboard.recorder]),
      ],
      checkpoint: { dir: out, every: 1, keep: 3 },
      ...(resumed === undefined ? {} : { resume: resumed.data }),
      signal,
      customObjects: plan.customObjects,
      checkpointExtra: plan.extra as unknown as Record<string, unknown>,
      verbose: 0,
    });
  } catch (err) {
    if (err instanceof TrainingAbortedError) {
      const where = err.checkpoint;
      // The epochs done get their history and curves now, not only after a resume; a
      // failure to write them must not hide the interruption itself.
      const unwritten =
        where === undefined
          ? undefined
          : await writeInterruptedHistory(out, where, title).then(
              () => undefined,
              (e: unknown) => e as Error,
            );
      // stdout failed: run() ends quietly (reader gone) or with one line (disk full).
      if (ctx.outputFailed?.aborted === true) return ExitCode.interrupted;
      if (unwritten !== undefined)
        io.stderr.write(`warning: history of the epochs done not written: ${unwritten.message}\n`);
      io.stderr.write(
        where === undefined
          ? 'interrupted: training stopped before any checkpoint could be saved\n'
          : `interrupted: training stopped; checkpoint saved to ${where} (continue with: tessera train --resume ${where})\n`,
      );
      return ExitCode.interrupted;
    }
    throw err;
  } finally {
    control.trainingEnded(); // a Ctrl-C while the report is made ends the process at once
    await dashboard?.close();
  }
  const trainingSeconds = (performance.now() - fitStart) / 1000;
  if (nan.stoppedAt !== undefined)
    throw await divergenceError({ out, history: history.toJSON(), guard: nan, title });
  const historyData = history.toJSON();
  await writeHistoryFiles(out, historyData, title);

  const testMetrics = evaluateModel(model, test, {
    loss: settings.lossConfig,
    metrics: settings.metrics,
  });
  const latest = join(checkpointDir, 'latest.tsr');
  const best = join(checkpointDir, 'best.tsr');
  const report = {
    model: modelLabel,
    dataset: datasetLabel,
    workers: settings.workers,
    batchSize: plan.batchSize,
    seed,
    history: historyData,
    samplesPerSecond: overallSamplesPerSecond(historyData, examples),
    train: lastEpochLogs(historyData, false) ?? {},
    validation: lastEpochLogs(historyData, true),
    test: testMetrics,
    testExamples: test.size,
    testDescription: plan.testDescription,
    checkpoint: existsSync(latest) ? latest : null,
    bestCheckpoint: existsSync(best) ? best : null,
    out,
    trainingSeconds,
    epochs: plan.epochs,
    resumedFrom:
      resumed === undefined
        ? undefined
        : {
            path: resumed.path,
            epochs: resumed.data.history.epoch.length,
            batch: resumed.data.progress.batch,
          },
  };
  if (options.json === true) io.stdout.write(`${JSON.stringify(trainJson(report))}\n`);
  else for (const line of trainText(report)) say(line);
  return ExitCode.ok;
}

/** A Ctrl-C came before the first step: the run ends with nothing saved. */
function stoppedBeforeTraining(ctx: CommandContext): number {
  ctx.io.stderr.write('interrupted: stopped before the first step; nothing was saved\n');
  return ExitCode.interrupted;
}

/** What `--optimizer` accepts, as the registry that checks it lists it (any case). */
function optimizerNames(): string {
  const names = optimizers.names().map((name) => name.toLowerCase());
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)} (any case)`;
}

/** The commander definition. */
export function trainDefinition(ctx: CommandContext): Command {
  return new Command('train')
    .description(
      'train a model on every core; writes checkpoints, history, learning curves and plots into --out',
    )
    .addOption(
      new Option(
        '--model <builtin|file.json|module.js>',
        'built-in model name, model JSON file, or JS module exporting createModel() (a .js module RUNS ITS CODE)',
      ),
    )
    .addOption(
      new Option(
        '--dataset <name|file.csv>',
        "built-in dataset name or CSV file (default: the built-in model's dataset)",
      ),
    )
    .addOption(
      new Option('--workers <N>', 'worker threads (default: all cores)').argParser(
        parsePositiveInt,
      ),
    )
    .addOption(
      new Option('--epochs <E>', 'passes over the training data').argParser(parsePositiveInt),
    )
    .addOption(
      new Option('--batch-size <B>', 'examples per step across all workers').argParser(
        parsePositiveInt,
      ),
    )
    .addOption(new Option('--optimizer <name>', `optimizer: ${optimizerNames()}`))
    .addOption(
      new Option('--learning-rate <LR>', 'optimizer step size (at the first step)').argParser(
        parsePositiveNumber,
      ),
    )
    .addOption(
      new Option(
        '--lr-schedule <name>',
        `learning rate over the run: ${LEARNING_RATE_SCHEDULES.join(', ')} (from --learning-rate down to 0 at the last step)`,
      ).argParser(parseChoice<LearningRateScheduleName>(LEARNING_RATE_SCHEDULES)),
    )
    .addOption(new Option('--loss <name>', 'loss function, e.g. categorical_crossentropy, mse'))
    .addOption(
      new Option(
        '--validation-split <F>',
        "fraction of the training data held out for validation: its last rows, rounded up to a whole row; 0 for none (default: the built-in model's, else 0.1, or 0 when fewer than 10 rows train)",
      ).argParser(parseFraction),
    )
    .addOption(
      new Option('--seed <S>', 'seed of initial weights, shuffling and dropout').argParser(
        parseSeed,
      ),
    )
    .addOption(
      new Option('--out <DIR>', 'run folder (default: runs/<timestamp>)').argParser(
        parsePath('folder'),
      ),
    )
    .addOption(
      new Option(
        '--overwrite',
        "replace the run already in --out: its checkpoints, history and plots are removed once the new run's settings and data are checked",
      ),
    )
    .addOption(
      new Option('--resume <FILE>', 'continue the run saved in this checkpoint').argParser(
        parsePath('file'),
      ),
    )
    .addOption(customObjectsOption())
    .addOption(
      new Option(
        '--normalize <method>',
        `feature normalisation: ${NORMALIZE_METHODS.join(', ')}`,
      ).argParser(parseChoice<NormalizeMethod>(NORMALIZE_METHODS)),
    )
    .addOption(
      new Option('--data-dir <DIR>', 'folder with the IDX files of mnist or fashion-mnist'),
    )
    .addOption(new Option('--dashboard', 'serve a live training dashboard while training'))
    .addOption(portOption(DASHBOARD_PORT).default(undefined, String(DASHBOARD_PORT)))
    .addOption(hostOption().default(undefined, DEFAULT_HOST))
    .addOption(
      new Option('--json', 'print one JSON object on stdout when done (progress goes to stderr)'),
    )
    .addHelpText('after', () => `\n${builtinModelsHelp()}\n\n${builtinDatasetsHelp()}`)
    .action(async (options: TrainOptions) => {
      ctx.exitCode = await trainCommand(options, ctx);
    });
}
