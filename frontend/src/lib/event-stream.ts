import { createParser } from 'eventsource-parser';
import { refreshSession } from './api-client';
import { sessionStore } from './session-store';

/** `live` while events flow; `connecting` before the first; `reconnecting` after a drop. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** The stream's path under the API, e.g. `/api/boards/<id>/events`. */
  path: string;
  onEvent(event: StreamEvent): void;
  onStateChange?(state: StreamState): void;
  /** First reconnect delay; doubles per failure up to `maxDelayMs`, with jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface EventStreamHandle {
  close(): void;
}

/** A token that expires within this margin is refreshed before connecting. */
const EXPIRY_MARGIN_MS = 5000;

function expiresAt(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return ((JSON.parse(json) as { exp?: number }).exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

/** A token fresh enough to connect with, refreshing it when needed; undefined when signed out. */
async function usableToken(): Promise<string | undefined> {
  const token = sessionStore.accessToken();
  if (token && expiresAt(token) - Date.now() > EXPIRY_MARGIN_MS) return token;
  return (await refreshSession()) ? sessionStore.accessToken() : undefined;
}

/**
 * Server-sent events over fetch, so the request carries the bearer token in its Authorization
 * header (EventSource cannot, and a token in the URL would reach logs). Reconnects with
 * `Last-Event-ID` and exponential backoff; a 401 or a stream the server ended at the token's
 * expiry gets a refreshed token first. A 403/404 (no access any more) or a signed-out session
 * closes it for good.
 */
export function openEventStream({
  path,
  onEvent,
  onStateChange,
  initialDelayMs = 1000,
  maxDelayMs = 30_000,
}: EventStreamOptions): EventStreamHandle {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let state: StreamState | undefined;
  const setState = (next: StreamState) => {
    if (next === state) return;
    state = next;
    onStateChange?.(next);
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  async function readStream(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent(message) {
        if (message.id !== undefined) lastEventId = message.id;
        let data: unknown;
        try {
          data = message.data ? JSON.parse(message.data) : undefined;
        } catch {
          data = message.data;
        }
        onEvent({ id: message.id, event: message.event ?? 'message', data });
      },
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    setState('connecting');
    while (!controller.signal.aborted) {
      try {
        const token = await usableToken();
        if (!token) break;
        const headers: Record<string, string> = {
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        };
        if (lastEventId) headers['last-event-id'] = lastEventId;
        const response = await globalThis.fetch(
          `${import.meta.env.VITE_API_BASE_URL ?? ''}${path}`,
          { headers, cache: 'no-store', signal: controller.signal },
        );
        if (response.status === 401) {
          await response.body?.cancel();
          // Expired or outdated token: one refresh, then straight back; a failed refresh ends it.
          if (!(await refreshSession())) break;
          continue;
        }
        if (response.status === 403 || response.status === 404) {
          await response.body?.cancel();
          break;
        }
        if (response.ok && response.body) {
          setState('live');
          const openedAt = Date.now();
          await readStream(response.body);
          // A stream that ends at once is a failure too, so a flapping server is not hammered.
          failures = Date.now() - openedAt < 1000 ? failures + 1 : 0;
        } else {
          await response.body?.cancel();
          failures += 1;
        }
      } catch {
        if (controller.signal.aborted) break;
        failures += 1;
      }
      if (controller.signal.aborted) break;
      setState('reconnecting');
      if (failures > 0) {
        const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (failures - 1));
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
    setState('closed');
  }

  void run();
  return {
    close() {
      controller.abort();
    },
  };
}
