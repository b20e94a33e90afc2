import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { ALL_TOPICS, TOPICS } from '@aicrn/contracts';
import { windowAt } from '@aicrn/contracts/testing';
import { ConfluentSchemaRegistry } from './confluent-schema-registry';
import { TopicCodec } from './topic-codec';

/** The endpoints of the Confluent Schema Registry REST API that the client uses (GET /config answers 404: no subject-level config). */
function fakeRegistry(): { server: Server; subjects: Map<string, number>; lookups: number[]; failNext: { status: number } | null } {
  const state = { server: undefined as unknown as Server, subjects: new Map<string, number>(), lookups: [] as number[], failNext: null as { status: number } | null };
  const schemas = new Map<number, string>();
  state.server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
      const register = /^\/subjects\/([^/]+)\/versions$/.exec(req.url ?? '');
      const lookup = /^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '');
      if (state.failNext) {
        res.statusCode = state.failNext.status;
        state.failNext = null;
        res.end(JSON.stringify({ error_code: 50001, message: 'store unavailable' }));
      } else if (req.method === 'PUT' && req.url?.startsWith('/config/')) {
        res.end(body);
      } else if (req.method === 'POST' && register) {
        // Like the real registry: the same schema text always gets the same id.
        const text = JSON.parse(body).schema as string;
        const id = [...schemas].find(([, known]) => known === text)?.[0] ?? 100 + schemas.size;
        state.subjects.set(decodeURIComponent(register[1]), id);
        schemas.set(id, text);
        res.end(JSON.stringify({ id }));
      } else if (req.method === 'GET' && lookup && schemas.has(Number(lookup[1]))) {
        state.lookups.push(Number(lookup[1]));
        res.end(JSON.stringify({ schema: schemas.get(Number(lookup[1])) }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
      }
    });
  });
  return state;
}

describe('ConfluentSchemaRegistry', () => {
  const fake = fakeRegistry();
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

  it('registers every topic schema under <topic>-value and writes with the returned id', async () => {
    const registry = new ConfluentSchemaRegistry({ url });
    expect(() => registry.writerIdFor(TOPICS.raw)).toThrow(/not registered yet/);
    await registry.register();
    expect([...fake.subjects.keys()].sort()).toEqual(ALL_TOPICS.map((t) => `${t}-value`).sort());
    const codec = new TopicCodec(registry);
    const framed = codec.encode(TOPICS.raw, windowAt('bed-2', 5));
    expect(framed.readInt32BE(1)).toBe(fake.subjects.get('ecg.raw.v1-value'));
  });

  it('resolves an id it has not written by asking the registry once', async () => {
    const writer = new ConfluentSchemaRegistry({ url });
    await writer.register();
    const framed = new TopicCodec(writer).encode(TOPICS.raw, windowAt('bed-2', 6));
    const reader = new TopicCodec(new ConfluentSchemaRegistry({ url }));
    fake.lookups.length = 0;
    expect(await reader.decode(TOPICS.raw, framed)).toEqual(windowAt('bed-2', 6));
    expect(await reader.decode(TOPICS.raw, framed)).toEqual(windowAt('bed-2', 6));
    expect(fake.lookups).toEqual([framed.readInt32BE(1)]);
  });

  it('reports an id the registry does not know as unknown_schema', async () => {
    const reader = new TopicCodec(new ConfluentSchemaRegistry({ url }));
    const framed = Buffer.from([0, 0, 0, 0x7a, 0x69, 2]);
    await expect(reader.decode(TOPICS.raw, framed)).rejects.toMatchObject({ code: 'unknown_schema' });
  });

  it('treats a registry failure as transient, not as poison', async () => {
    const writer = new ConfluentSchemaRegistry({ url });
    await writer.register();
    const framed = new TopicCodec(writer).encode(TOPICS.raw, windowAt('bed-3', 1));
    const reader = new TopicCodec(new ConfluentSchemaRegistry({ url }));
    fake.failNext = { status: 400 };
    const failure = await reader.decode(TOPICS.raw, framed).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBeUndefined();
    // The failed lookup is not cached: the next attempt succeeds.
    expect(await reader.decode(TOPICS.raw, framed)).toEqual(windowAt('bed-3', 1));
  });
});
