/**
 * Server-Sent Events to every open page: `send` writes one event to each client; a
 * client that goes away is dropped. `close` ends every stream (the pages then stop).
 */
import type { ServerResponse } from 'node:http';

export class EventStream {
  private readonly clients = new Set<ServerResponse>();

  /** Starts an event stream on `res` and sends `first` to it. */
  open(res: ServerResponse, first?: { event: string; data: unknown }): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    if (first !== undefined) res.write(frame(first.event, first.data));
  }

  /** Sends one event to every client. */
  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    for (const client of this.clients) client.write(text);
  }

  /** Ends every stream. */
  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
