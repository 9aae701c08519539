/**
 * A page-serving `tessera` command (serve, dashboard, train --dashboard) as a child
 * process: waits for the URL it prints, and stops it with Ctrl-C (SIGINT).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './run-cli.js';

/** A running command and what it printed. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
  /** Sends SIGINT and waits for the exit code. */
  stop(): Promise<number>;
}

/** Starts `tessera <args>` and resolves once it printed an http:// URL (on either stream). */
export function startServing(
  args: string[],
  options: { cwd?: string } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? -1 : 128))),
  );
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const url = /http:\/\/\S+\//.exec(out + err)?.[0];
      if (url === undefined) return;
      child.stdout.off('data', onOut);
      child.stderr.off('data', onErr);
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      resolve({
        url,
        child,
        stdout: () => out,
        stderr: () => err,
        exited,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    const onOut = (c: Buffer): void => {
      out += c.toString();
      check();
    };
    const onErr = (c: Buffer): void => {
      err += c.toString();
      check();
    };
    child.stdout.on('data', onOut);
    child.stderr.on('data', onErr);
    exited.then((code) =>
      reject(new Error(`tessera ${args[0]} exited with ${code} before serving: ${err}`)),
    );
  });
}
