/** One parsed server-sent event. */
export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: unknown;
  receivedAt: number;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** The body of a refused request (problem+json). */
  body?: unknown;
  events: ReceivedEvent[];
  /** Resolves with the first event (from the start) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves once the server ends the stream; rejects after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<void>;
  readonly isEnded: boolean;
  /** Raw comment lines (heartbeats). */
  comments: string[];
  close(): void;
}

/**
 * A minimal SSE client over fetch, for tests: parses `id`/`event`/`data` fields and comments as
 * they arrive, so a test can wait for an event or for the server to end the stream.
 */
export async function openStream(
  url: string,
  headers: Record<string, string>,
): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let isEnded = false;
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };

  if (response.status !== 200 || !response.body) {
    const body = await response.json().catch(() => undefined);
    isEnded = true;
    return {
      status: response.status,
      headers: response.headers,
      body,
      events,
      comments,
      waitFor: () => Promise.reject(new Error(`stream refused: ${response.status}`)),
      ended: () => Promise.resolve(),
      isEnded,
      close: () => undefined,
    };
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        let end = text.indexOf('\n\n');
        while (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const fields = { id: undefined as string | undefined, event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const name = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              if (name === 'id') fields.id = value;
              if (name === 'event') fields.event = value;
              if (name === 'data') fields.data += value;
              isEvent = true;
            }
          }
          if (isEvent) {
            events.push({
              id: fields.id,
              event: fields.event,
              data: fields.data ? JSON.parse(fields.data) : undefined,
              receivedAt: performance.now(),
            });
          }
          end = text.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // Aborted by close().
    }
    isEnded = true;
    notify();
  })();

  function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found !== undefined) {
          waiters.delete(attempt);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`));
      }, timeoutMs);
      waiters.add(attempt);
      attempt();
    });
  }

  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    waitFor: (match, timeoutMs = 5000) => until(() => events.find(match), timeoutMs, 'an event'),
    ended: (timeoutMs = 5000) =>
      until(() => (isEnded ? true : undefined), timeoutMs, 'the end').then(() => undefined),
    get isEnded() {
      return isEnded;
    },
    close() {
      controller.abort();
    },
  };
}
