import Fastify from 'fastify';

/**
 * A stand-in backend replica built on Fastify with the backend's body limit (1 MiB), so nginx
 * meets exactly what the real backend does with a body over it: 413 and `Connection: close`
 * before the rest of the body is read. Routes: GET /api/health, POST /api/auth/forgot-password
 * (JSON), POST /api/files (the body streamed and counted, as a multipart upload is; with
 * `?cutOver=N` the connection is cut once more than N bytes arrived: the worst case of the
 * backend refusing a file over its purpose's limit, 413 and `Connection: close` with the rest of
 * the body unread, which resets the connection under nginx's feet).
 */
export async function fastifyUpstream(name: string) {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  let served = 0;
  app.addHook('onResponse', async () => {
    served++;
  });
  app.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));
  app.get('/api/health', async () => ({ status: 'ok', replica: name }));
  app.post('/api/auth/forgot-password', async (_request, reply) =>
    reply.code(202).send({ replica: name }),
  );
  app.post('/api/files', async (request, reply) => {
    const cutOver = Number((request.query as { cutOver?: string }).cutOver ?? Infinity);
    let bytes = 0;
    for await (const chunk of request.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > cutOver) {
        request.raw.socket.resetAndDestroy();
        return reply;
      }
    }
    return reply.code(201).send({ replica: name, bytes });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    served: () => served,
    close: () => app.close(),
  };
}
