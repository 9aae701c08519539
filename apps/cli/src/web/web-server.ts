/**
 * The small HTTP server behind `serve`, `dashboard` and `train --dashboard`: GET only,
 * a few JSON/SVG/event routes, and the built pages — nothing else on disk. It binds
 * 127.0.0.1 unless asked otherwise; a port in use is a one-line user error.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IOError } from '@tessera/core';
import { contentType, resolveStaticFile } from './static-files.js';

/** Answers one request of a route. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** What `startWebServer` needs. */
export interface WebServerArgs {
  /** Address to bind (127.0.0.1 by default at the command line). */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Folder of the built pages. */
  root: string;
  /** The page `/` shows, e.g. `playground.html`. */
  index: string;
  /** Routes by exact path, e.g. `/api/playground`. */
  routes: Record<string, RouteHandler>;
}

/** A running server. */
export interface WebServer {
  /** `http://host:port/`. */
  url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Hosts that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const HEADERS = {
  'x-content-type-options': 'nosniff',
  // Everything the pages use comes from this server.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
  'cache-control': 'no-store',
};

/** Sends a body with its content type. */
export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type });
  res.end(body);
}

/** Sends a JSON document. */
export function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function handle(
  args: WebServerArgs,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  // Only the path is used; the raw (still encoded) form is checked by resolveStaticFile.
  const raw = (req.url ?? '/').split('?')[0]!;
  const route = args.routes[raw];
  if (route !== undefined) return route(req, res);
  const file =
    raw === '/' ? resolveStaticFile(args.root, args.index) : resolveStaticFile(args.root, raw);
  if (file === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  send(res, 200, contentType(file), await readFile(file));
}

/** Starts listening; resolves once the port is bound. */
export function startWebServer(args: WebServerArgs): Promise<WebServer> {
  const server = createServer((req, res) => {
    handle(args, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${args.host}:${args.port}`;
      if (err.code === 'EADDRINUSE')
        reject(
          new IOError(
            `port ${args.port} is already in use on ${args.host}; choose another with --port`,
          ),
        );
      else if (err.code === 'EACCES')
        reject(
          new IOError(`no permission to listen on ${where}; choose a port above 1023 with --port`),
        );
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        reject(new IOError(`cannot listen on ${where}: this machine has no such address (--host)`));
      else reject(err);
    });
    server.listen(args.port, args.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = args.host.includes(':') ? `[${args.host}]` : args.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
