/**
 * The dashboard's cost: `tessera train` on the reference task with and without
 * `--dashboard` (a client subscribed to its pushes), runs interleaved so the machine's
 * load drifts evenly over both; the table shows medians and spreads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure.js';
import { formatCount, formatTable } from './table.js';
import { runCliTraining } from './tasks/cli-train.js';

/** Samples/s of every run, by variant, in run order. */
export interface DashboardBenchResult {
  /** The command trained, e.g. "tessera train --model mnist-mlp --dataset mnist --epochs 3". */
  command: string;
  without: number[];
  with: number[];
  /** Snapshots the client received in each run with the dashboard. */
  snapshots: number[];
}

/** Runs both variants `repeats` times, alternating which goes first. */
export async function runDashboardBench(args: {
  quick: boolean;
  repeats: number;
  log: (line: string) => void;
}): Promise<DashboardBenchResult> {
  const epochs = args.quick ? 1 : 3;
  const train = ['--model', 'mnist-mlp', '--dataset', 'mnist', '--epochs', String(epochs)];
  const result: DashboardBenchResult = {
    command: `tessera train ${train.join(' ')}`,
    without: [],
    with: [],
    snapshots: [],
  };
  for (let r = 0; r < args.repeats; r++) {
    const order = r % 2 === 0 ? [false, true] : [true, false];
    for (const dashboard of order) {
      const out = mkdtempSync(join(tmpdir(), 'tessera-bench-dashboard-'));
      try {
        args.log(`dashboard bench: run ${r + 1}/${args.repeats} ${dashboard ? 'with' : 'without'}`);
        const run = await runCliTraining({ train: [...train, '--out', out], dashboard });
        if (dashboard) {
          result.with.push(run.samplesPerSecond);
          result.snapshots.push(run.snapshots);
        } else {
          result.without.push(run.samplesPerSecond);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  return result;
}

/** The table: each variant's median and range, the snapshots pushed, and the ratio of medians. */
export function dashboardTable(result: DashboardBenchResult): string[] {
  const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
  const row = (label: string, values: readonly number[], snapshots: string): string[] => {
    const s = sorted(values);
    return [
      label,
      formatCount(median(s)),
      `${formatCount(s[0])}–${formatCount(s[s.length - 1])}`,
      String(values.length),
      snapshots,
    ];
  };
  const pushes = sorted(result.snapshots);
  const lines = formatTable(
    [
      { title: 'Dashboard cost', align: 'left' },
      { title: 'samples/s (median)', align: 'right' },
      { title: 'range', align: 'right' },
      { title: 'runs', align: 'right' },
      { title: 'snapshots pushed (median)', align: 'right' },
    ],
    [
      row('without --dashboard', result.without, '—'),
      row('with --dashboard', result.with, formatCount(median(pushes))),
    ],
  );
  const ratio = median(sorted(result.with)) / median(sorted(result.without));
  return [
    `${result.command}, with and without a subscribed dashboard, interleaved:`,
    ...lines,
    `with/without: ${Number.isFinite(ratio) ? ratio.toFixed(3) : 'n/a'}× (medians)`,
  ];
}
