import type { FastifyReply, FastifyRequest } from 'fastify';

/** One server-sent event; `data` is sent as one line of JSON. */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface EventStream {
  send(event: ServerSentEvent): void;
  /** Writes an event already formatted by `formatEvent` (one frame shared by many streams). */
  write(frame: string): void;
  /** Ends the response; safe to call more than once. */
  close(): void;
  readonly closed: boolean;
  /** Runs once the stream ends, whichever side ended it. */
  onClose(listener: () => void): void;
}

/** Event names and ids must not break the line-based framing. */
const FIELD = /^[A-Za-z0-9_.:-]{1,100}$/;

export function formatEvent({ id, event, data }: ServerSentEvent): string {
  if (!FIELD.test(event) || (id !== undefined && !FIELD.test(id))) {
    throw new Error(`invalid event field: ${event} ${id ?? ''}`);
  }
  // JSON.stringify escapes newlines, so the data is always a single `data:` line.
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Takes the response over as a `text/event-stream`: headers that keep nginx from buffering or
 * compressing it, a heartbeat comment every `heartbeatMs`, and one `close` for every way a stream
 * ends (the client goes away, the server ends it, the app shuts down).
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  { heartbeatMs }: { heartbeatMs: number },
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  // The first bytes make proxies and clients see the stream as open at once.
  raw.write(': connected\n\n');
  raw.socket?.setNoDelay(true);

  const listeners: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);

  function finish() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) listener();
  }
  // The response's `close` fires when the client goes away as well as after `end()`.
  raw.on('close', finish);

  return {
    send(event) {
      if (!closed) raw.write(formatEvent(event));
    },
    write(frame) {
      if (!closed) raw.write(frame);
    },
    close() {
      if (!raw.writableEnded) raw.end();
      finish();
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
