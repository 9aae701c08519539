/**
 * `train --dashboard`: the dashboard server for the run in this process, fed by a
 * DashboardRecorder callback (throttled pushes), closed when training ends.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDashboardServer } from '../dashboard/dashboard-server.js';
import { DashboardRecorder, type RecorderArgs } from '../dashboard/recorder.js';
import type { CliIO } from '../io.js';
import { warnIfExposed } from '../web/host-option.js';

/** Default port of the dashboard. */
export const DASHBOARD_PORT = 6006;

/** The recorder to pass to fit, and how to stop the server. */
export interface LiveDashboard {
  recorder: DashboardRecorder;
  close(): Promise<void>;
}

/** Starts the server (the run folder's model.svg is its diagram) and prints its URL. */
export async function startLiveDashboard(args: {
  io: CliIO;
  host: string;
  port: number;
  /** The run folder. */
  out: string;
  recorder: Omit<RecorderArgs, 'onChange'>;
}): Promise<LiveDashboard> {
  let recorder: DashboardRecorder | undefined;
  const server = await startDashboardServer({
    host: args.host,
    port: args.port,
    current: () => recorder!.snapshot,
    modelSvg: () => readFile(join(args.out, 'model.svg'), 'utf8'),
  });
  recorder = new DashboardRecorder({ ...args.recorder, onChange: (s) => server.push(s) });
  warnIfExposed(args.io, args.host);
  args.io.stderr.write(`Dashboard: ${server.url}\n`);
  return {
    recorder,
    close: async () => {
      recorder.finish();
      await server.close();
    },
  };
}
