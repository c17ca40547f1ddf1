import type { IncomingMessage } from 'node:http';
import type { Multipart } from '@fastify/multipart';
import { AppError, BadRequestError } from './errors.js';

/** The form could not be parsed: no or an empty boundary, a truncated part, a broken header. */
export class MalformedMultipartError extends BadRequestError {
  constructor() {
    super('malformed_multipart', 'The request body is not a valid multipart/form-data form.');
  }
}

/**
 * The multipart parser reports what is wrong with a client's form as plain `Error`s without a
 * code or status ("Multipart: Boundary not found", "Unexpected end of multipart data", …).
 * Whatever the parser throws is the client's form, so it becomes 400 `malformed_multipart`;
 * the plugin's own errors (limits, with an `FST_` code) and ours keep their meaning.
 */
function parserError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('FST_')) return error;
  return new MalformedMultipartError();
}

async function* guardedStream(file: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) yield chunk;
  } catch (error) {
    // Only reading the part fails here; what the consumer does with a chunk fails in the consumer.
    throw parserError(error);
  }
}

export type ParsedPart =
  | (Multipart & { type: 'field' })
  | (Omit<Multipart & { type: 'file' }, 'file'> & { file: AsyncIterable<Buffer> });

/**
 * The parts of a multipart request in order, with the parser's failures — while starting, between
 * parts and inside a file's bytes — turned into problem errors. Errors of the code consuming the
 * parts (S3, the database) pass through untouched.
 */
export async function* readParts(
  start: () => AsyncIterable<Multipart>,
): AsyncGenerator<ParsedPart> {
  let iterator: AsyncIterator<Multipart>;
  try {
    iterator = start()[Symbol.asyncIterator]();
  } catch (error) {
    throw parserError(error);
  }
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw parserError(error);
    }
    if (next.done) return;
    const part = next.value;
    yield part.type === 'file' ? { ...part, file: guardedStream(part.file) } : part;
  }
}

/**
 * After a refused upload has been answered, reads and discards the rest of its body, so the
 * answer is not lost to a reset: a server that closes a connection with bytes unread makes the
 * kernel send RST, which can reach a proxy (nginx) before it has read the answer, and the client
 * then sees 502 instead of 413. Bounded in bytes and time: past either, the connection is cut.
 */
export function discardRestOfBody(
  body: IncomingMessage,
  limits: { maxBytes: number; timeoutMs: number },
): Promise<'drained' | 'cut'> {
  const socket = body.socket;
  if (body.readableEnded || !socket || socket.destroyed) return Promise.resolve('drained');
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (outcome: 'drained' | 'cut') => {
      clearTimeout(timer);
      body.removeListener('data', onData);
      body.removeListener('end', onEnd);
      socket.removeListener('close', onClose);
      if (outcome === 'cut') socket.destroy();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.maxBytes) finish('cut');
    };
    const onEnd = () => finish('drained');
    const onClose = () => finish('cut');
    const timer = setTimeout(() => finish('cut'), limits.timeoutMs);
    timer.unref();
    body.unpipe();
    body.on('data', onData);
    body.once('end', onEnd);
    socket.once('close', onClose);
    body.resume();
  });
}
