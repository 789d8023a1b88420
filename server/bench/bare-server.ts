// The yardstick of `npm run bench`: Fastify with one route and nothing else, started the same way
// as RxDesk (tsx, own process) so that the ratio shows what the application itself costs.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ ok: true }));

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`bare Fastify is running at ${address}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await app.close();
    process.exit(0);
  });
}
