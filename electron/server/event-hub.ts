// Fans the service's events out to every connected Server-Sent-Events stream.
import type { ServerResponse } from 'node:http';
import type { EventName, EventPayload, EventSink } from '../api/contract.js';

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  readonly emit: EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of this.clients) res.write(frame);
  };

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    // A comment line every 15 s keeps idle connections from being dropped.
    this.heartbeat ??= setInterval(() => {
      for (const c of this.clients) c.write(': ping\n\n');
    }, 15_000).unref();
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
