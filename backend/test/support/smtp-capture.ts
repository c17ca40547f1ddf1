import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server that keeps every message and serves them over a small HTTP API shaped like
 * Mailpit's (`/api/v1/messages`, `/api/v1/message/:id`, `/api/v1/search?query=to:…`), so tests
 * read mail the same way from this capture server (native runs) and from Mailpit (containers).
 * `rejectRecipients` makes it answer 550 for chosen addresses, like a relay's hard bounce.
 */
export interface CapturedMessage {
  ID: string;
  MessageID: string;
  From: { Address: string; Name: string };
  To: { Address: string; Name: string }[];
  Subject: string;
  Created: string;
  Text: string;
  HTML: string;
  Headers: Record<string, string[]>;
}

export interface SmtpCaptureOptions {
  smtpPort?: number;
  httpPort?: number;
  host?: string;
  /** Addresses answered with a permanent 550 rejection. */
  rejectRecipients?: (address: string) => boolean;
}

export interface SmtpCapture {
  smtpPort: number;
  httpPort: number;
  messages: CapturedMessage[];
  close(): Promise<void>;
}

function summary(message: CapturedMessage) {
  const { Text: _text, HTML: _html, Headers: _headers, ...rest } = message;
  return rest;
}

function matches(message: CapturedMessage, query: string): boolean {
  return query
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => {
      const [key, ...value] = term.split(':');
      const needle = value.join(':').toLowerCase();
      if (key === 'to') return message.To.some((to) => to.Address.toLowerCase() === needle);
      if (key === 'subject') return message.Subject.toLowerCase().includes(needle);
      return `${message.Subject} ${message.Text}`.toLowerCase().includes(term.toLowerCase());
    });
}

export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const host = options.host ?? '127.0.0.1';
  const messages: CapturedMessage[] = [];
  let counter = 0;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.(address.address)) {
        const error = new Error('5.1.1 Recipient address rejected: user unknown') as Error & {
          responseCode: number;
        };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        try {
          const parsed = await PostalMime.parse(Buffer.concat(chunks));
          counter += 1;
          const headers: Record<string, string[]> = {};
          for (const header of parsed.headers) {
            headers[header.key] = [...(headers[header.key] ?? []), header.value];
          }
          messages.unshift({
            ID: String(counter),
            MessageID: parsed.messageId ?? '',
            From: { Address: parsed.from?.address ?? '', Name: parsed.from?.name ?? '' },
            To: (parsed.to ?? []).map((to) => ({ Address: to.address ?? '', Name: to.name ?? '' })),
            Subject: parsed.subject ?? '',
            Created: new Date().toISOString(),
            Text: parsed.text ?? '',
            HTML: parsed.html ?? '',
            Headers: headers,
          });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });

  const http: HttpServer = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://capture');
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/v1/messages' && request.method === 'DELETE') {
      messages.length = 0;
      return json(200, 'ok');
    }
    if (url.pathname === '/api/v1/messages') {
      return json(200, { total: messages.length, messages: messages.map(summary) });
    }
    if (url.pathname === '/api/v1/search') {
      const found = messages.filter((message) =>
        matches(message, url.searchParams.get('query') ?? ''),
      );
      return json(200, { total: found.length, messages: found.map(summary) });
    }
    const one = /^\/api\/v1\/message\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const message = messages.find((candidate) => candidate.ID === one[1]);
      return message ? json(200, message) : json(404, { error: 'not found' });
    }
    if (url.pathname === '/livez') return json(200, 'ok');
    return json(404, { error: 'not found' });
  });

  await new Promise<void>((resolve) => smtp.listen(options.smtpPort ?? 0, host, resolve));
  await new Promise<void>((resolve) => http.listen(options.httpPort ?? 0, host, resolve));

  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    messages,
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
