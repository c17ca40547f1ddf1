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
