/** The `--host` and `--port` flags the page-serving commands share, and their banner. */
import { Option } from 'commander';
import { parsePort } from '../args.js';
import type { CliIO } from '../io.js';
import { isLoopback } from './web-server.js';

/** Binds only this machine unless the user asks for more. */
export const DEFAULT_HOST = '127.0.0.1';

/** `--port N` with its default. */
export function portOption(defaultPort: number): Option {
  return new Option('--port <N>', 'port to serve the page on (0: any free port)')
    .argParser(parsePort)
    .default(defaultPort);
}

/** `--host H`. */
export function hostOption(): Option {
  return new Option(
    '--host <H>',
    'address to listen on; anything but 127.0.0.1 lets other machines connect',
  ).default(DEFAULT_HOST);
}

/** Warns on stderr when the page is reachable from other machines. */
export function warnIfExposed(io: CliIO, host: string): void {
  if (!isLoopback(host))
    io.stderr.write(
      `warning: listening on ${host}: other machines on the network can open this page (the default, 127.0.0.1, allows only this one)\n`,
    );
}
