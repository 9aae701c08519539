/**
 * `npm run bench`: prints the benchmark tables and writes them as JSON to
 * bench-results/ (bench-<time>.json and latest.json). Flags: see {@link BENCH_USAGE}.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, type BenchArgs, parseBenchArgs } from './args.js';
import { type DashboardBenchResult, dashboardTable, runDashboardBench } from './dashboard.js';
import { type KernelBenchResult, kernelTable, runKernelBench } from './kernels.js';
import type { MeasureOptions } from './measure.js';
import { runScalingBench, type ScalingBenchResult, scalingTable } from './scaling.js';
import type { TrainingBenchResult } from './tasks/result.js';
import { runTrainingBench } from './training.js';
import { breakdownTable, trainingTable } from './training-table.js';

async function main(args: BenchArgs): Promise<void> {
  const measureOptions: MeasureOptions = args.quick
    ? { trials: 3, minTrialSeconds: 0.03, warmupCalls: 2 }
    : { trials: 5, minTrialSeconds: 0.1, warmupCalls: 3 };
  const started = new Date();
  const loadBefore = loadavg();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const print = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n\n`);

  let kernels: KernelBenchResult | null = null;
  if (args.sections.includes('kernels')) {
    kernels = await runKernelBench({ measure: measureOptions, log });
    print(kernelTable(kernels));
  }
  let training: TrainingBenchResult | null = null;
  if (args.sections.includes('training')) {
    training = await runTrainingBench({
      quick: args.quick,
      repeats: args.repeats,
      log,
      ...(args.inputs === undefined ? {} : { inputs: args.inputs }),
      ...(args.workerCounts === undefined ? {} : { workerCounts: args.workerCounts }),
    });
    print(trainingTable(training));
    print(breakdownTable(training.runs));
  }
  let dashboard: DashboardBenchResult | null = null;
  if (args.sections.includes('dashboard')) {
    dashboard = await runDashboardBench({ quick: args.quick, repeats: args.repeats, log });
    print(dashboardTable(dashboard));
  }
  let scaling: ScalingBenchResult | null = null;
  if (args.sections.includes('scaling')) {
    scaling = await runScalingBench({
      quick: args.quick,
      repeats: args.repeats,
      epochs: args.scalingEpochs,
      log,
    });
    print(scalingTable(scaling));
  }

  const report = {
    format: 'tessera-bench',
    version: 5,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    argv: process.argv.slice(2),
    machine: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg(),
    },
    measure: measureOptions,
    kernels,
    training,
    dashboard,
    scaling,
  };
  const dir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  await writeFile(join(dir, `bench-${stamp}.json`), text);
  await writeFile(join(dir, 'latest.json'), text);
  process.stdout.write(
    `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other processes share these ${cpus().length} cores)\n`,
  );
  process.stdout.write(`results: ${join(dir, 'latest.json')}\n`);
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}\n`,
  );
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${BENCH_USAGE}\n`);
} else {
  await main(args);
}
