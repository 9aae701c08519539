/**
 * One `tessera train --json` run in a child process, optionally with `--dashboard` and a
 * browser-like client subscribed to its Server-Sent Events, so the dashboard's cost is
 * measured with pushes really going out.
 */
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runJsonChild } from './json-child.js';

/** The `tessera` command's entry point, resolved through the workspace package. */
export function tesseraBin(): string {
  const main = createRequire(import.meta.url).resolve('@tessera/cli');
  return join(dirname(main), 'bin.js');
}

/** Arguments of {@link runCliTraining}. */
export interface CliTrainingArgs {
  /** Extra `tessera train` arguments (model, dataset, epochs, workers, out). */
  train: readonly string[];
  /** Start the live dashboard and subscribe to it. */
  dashboard: boolean;
  log?: (line: string) => void;
}

/** What one run measured. */
export interface CliTrainingResult {
  /** `samples_per_second` of the command's JSON record (the whole training). */
  samplesPerSecond: number;
  /** Dashboard snapshots the subscribed client received (0 without the dashboard). */
  snapshots: number;
  /** Worker threads it trained on (`workers` of the JSON record). */
  workers: number;
}

/** Counts the `event: snapshot` records in a Server-Sent Events text stream fed in pieces. */
export class SnapshotCounter {
  count = 0;
  private pending = '';

  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() === 'event: snapshot') this.count++;
  }
}

/** The dashboard URL in a stderr line of `tessera train --dashboard`, or undefined. */
export function dashboardUrl(line: string): string | undefined {
  return /^Dashboard: (http:\/\/\S+)/.exec(line)?.[1];
}

/** Runs `tessera train --json …` and, with `dashboard`, listens to its pushes until it ends. */
export async function runCliTraining(args: CliTrainingArgs): Promise<CliTrainingResult> {
  const counter = new SnapshotCounter();
  const streams: { destroy(): void }[] = [];
  const subscribe = (url: string) => {
    const request = get(new URL('api/events', url), (res) => {
      res.setEncoding('utf8').on('data', (chunk: string) => counter.push(chunk));
      res.on('error', () => {});
    });
    request.on('error', () => {});
    streams.push(request);
  };
  const flags = args.dashboard ? ['--dashboard', '--port', '0'] : [];
  try {
    const record = (await runJsonChild({
      command: process.execPath,
      args: [tesseraBin(), 'train', ...args.train, ...flags, '--json'],
      log: (line) => {
        const url = dashboardUrl(line);
        if (url !== undefined) subscribe(url);
        args.log?.(line);
      },
    })) as { samples_per_second?: unknown; workers?: unknown };
    const sps = record.samples_per_second;
    if (typeof sps !== 'number') {
      throw new Error(`tessera train --json printed no samples_per_second. Received: ${sps}`);
    }
    const workers = record.workers;
    if (typeof workers !== 'number') {
      throw new Error(`tessera train --json printed no workers. Received: ${workers}`);
    }
    if (args.dashboard && streams.length === 0) {
      throw new Error('tessera train --dashboard printed no "Dashboard: URL" line');
    }
    return { samplesPerSecond: sps, snapshots: counter.count, workers };
  } finally {
    for (const s of streams) s.destroy();
  }
}
