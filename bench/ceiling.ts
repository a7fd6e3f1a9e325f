import Fastify from 'fastify';

/**
 * The ceiling for this machine: a bare Fastify route sending a fixed 5 KB HTML page. Every
 * scenario's requests per second is reported as a share of this.
 */
const html = `<!doctype html><html lang="en"><head><title>Ceiling</title></head><body>${'<p>Mutual support group bench ceiling text.</p>'.repeat(110)}</body></html>`;
const app = Fastify({ logger: false });
app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
await app.listen({ port: Number(process.env.PORT ?? 3999), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
