/**
 * Runs a peer in a child process and reads its result: the child prints progress on
 * stderr (forwarded line by line) and one JSON object as the last line of stdout.
 * Keeping peers out of the bench's own process means their copies of tfjs-core or
 * PyTorch's thread pools never share a process with Tessera or with each other.
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';

/** Arguments of {@link runJsonChild}. */
export interface JsonChildArgs {
  /** Executable, e.g. process.execPath or /usr/bin/python3. */
  command: string;
  /** Its arguments. */
  args: readonly string[];
  /** Extra environment variables (added to the bench's own). */
  env?: Record<string, string>;
  /** Kill the child after this long (default 30 minutes). */
  timeoutMs?: number;
  /** Receives the child's stderr lines (default: dropped). */
  log?: (line: string) => void;
}

/** The last non-empty line of `stdout`, parsed as JSON; throws naming what was printed. */
export function lastJsonLine(stdout: string): unknown {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) throw new Error('the child printed nothing on stdout');
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`the child's last stdout line is not JSON. Received: ${last.slice(0, 200)}`);
  }
}

/**
 * The line of a failed child's stderr that says what went wrong: the last line naming an
 * error (a JavaScript `TypeError: …`, a Python `ValueError: …`), else the last line.
 */
export function errorLine(stderr: readonly string[]): string | undefined {
  const lines = stderr.map((line) => line.trim()).filter((line) => line !== '');
  const named = lines.filter((line) => /^(\w+\.)*\w*(Error|Exception)\b:?/.test(line));
  return named[named.length - 1] ?? lines[lines.length - 1];
}

/** Runs the child to completion; resolves with its JSON reply, rejects naming its exit and error. */
export function runJsonChild(args: JsonChildArgs): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(args.command, [...args.args], {
      env: { ...process.env, ...args.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: args.timeoutMs ?? 30 * 60_000,
    });
    let stdout = '';
    let pending = '';
    const tail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        args.log?.(line);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending !== '') tail.push(pending);
      if (code !== 0) {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        const what = errorLine(tail);
        reject(
          new Error(`${basename(args.command)} ${how}${what === undefined ? '' : `: ${what}`}`),
        );
        return;
      }
      try {
        resolve(lastJsonLine(stdout));
      } catch (error) {
        reject(error);
      }
    });
  });
}
