/**
 * Running the command in tests: in-process through `run()` (fast, for error cases) or as
 * a child process through the built `dist/bin.js` (what users run).
 */
import {
  type ChildProcessByStdio,
  type ChildProcessWithoutNullStreams,
  spawn,
} from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../cli.js';
import { memoryIO } from '../io.js';

/** What a command run left behind. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built entry point (tests run after `npm run build`). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Runs `tessera <args>` in this process. */
export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const io = memoryIO({ env });
  const code = await run(args, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** Waits for a child process and collects what it wrote. */
export function collect(
  child: ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Runs `node dist/bin.js <args>` as a child process. */
export function runBin(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return collect(
    spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}
