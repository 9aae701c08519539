/**
 * The dashboard's server: the page, the current snapshot (GET /api/dashboard), the
 * model diagram, and pushes (GET /api/events, Server-Sent Events `snapshot`, then `end`
 * when the run is over).
 */
import { EventStream } from '../web/event-stream.js';
import { webRoot } from '../web/web-root.js';
import { send, sendJson, startWebServer, type WebServer } from '../web/web-server.js';
import type { DashboardSnapshot } from './snapshot.js';

/** A running dashboard. */
export interface DashboardServer {
  url: string;
  /** Sends the snapshot to every open page. */
  push(snapshot: DashboardSnapshot): void;
  /** Tells the pages the run is over and stops the server. */
  close(): Promise<void>;
}

/** Starts serving a dashboard whose state `current()` returns. */
export async function startDashboardServer(args: {
  host: string;
  port: number;
  modelSvg: () => Promise<string>;
  current: () => DashboardSnapshot;
}): Promise<DashboardServer> {
  const root = webRoot();
  const events = new EventStream();
  const server: WebServer = await startWebServer({
    host: args.host,
    port: args.port,
    root,
    index: 'dashboard.html',
    routes: {
      '/api/dashboard': (_req, res) => sendJson(res, args.current()),
      '/api/events': (_req, res) => events.open(res, { event: 'snapshot', data: args.current() }),
      '/api/model.svg': async (_req, res) => send(res, 200, 'image/svg+xml', await args.modelSvg()),
    },
  });
  return {
    url: server.url,
    push: (snapshot) => events.send('snapshot', snapshot),
    close: async () => {
      events.send('end', {});
      events.close();
      await server.close();
    },
  };
}
