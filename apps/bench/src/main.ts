/**
 * `npm run bench`: prints the benchmark tables and writes them as JSON to
 * bench-results/ (bench-<time>.json and latest.json). `--quick` times fewer, shorter trials.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelTable, runKernelBench } from './kernels.js';
import type { MeasureOptions } from './measure.js';

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const measureOptions: MeasureOptions = quick
    ? { trials: 3, minTrialSeconds: 0.03, warmupCalls: 2 }
    : { trials: 5, minTrialSeconds: 0.1, warmupCalls: 3 };
  const started = new Date();
  const loadBefore = loadavg();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const kernels = await runKernelBench({ measure: measureOptions, log });
  const lines = kernelTable(kernels);
  process.stdout.write(`${lines.join('\n')}\n`);

  const report = {
    format: 'tessera-bench',
    version: 1,
    startedAt: started.toISOString(),
    machine: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg(),
    },
    measure: measureOptions,
    kernels,
  };
  const dir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  await writeFile(join(dir, `bench-${stamp}.json`), text);
  await writeFile(join(dir, 'latest.json'), text);
  process.stdout.write(`results: ${join(dir, 'latest.json')}\n`);
}

await main(process.argv.slice(2));
