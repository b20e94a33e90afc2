import fc from 'fast-check';
import { ALL_TOPICS, TopicName } from '@aicrn/contracts';
import { encodeFrame } from '@aicrn/kafka';

/** Avro `long`: zig-zag, then base-128 varint. */
export function avroLong(n: bigint): Buffer {
  let v = (n << 1n) ^ (n >> 63n);
  v &= (1n << 64n) - 1n;
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/**
 * Confluent-framed records a broker could hand a consumer: random bytes, random bodies behind a real
 * or unknown schema id, valid frames truncated or with bytes flipped, and oversized bodies.
 */
export function frameArbitrary(valid: Record<TopicName, Buffer>): fc.Arbitrary<{ topic: TopicName; bytes: Buffer }> {
  const topic = fc.constantFrom(...ALL_TOPICS);
  const schemaId = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 0x7fffffff }));
  const randomBytes = fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b));
  return fc.oneof(
    fc.record({ topic, bytes: randomBytes }),
    fc.record({ topic, bytes: fc.tuple(schemaId, randomBytes).map(([id, body]) => encodeFrame(id, body)) }),
    topic.chain((t) => fc.record({ topic: fc.constant(t), bytes: fc.integer({ min: 0, max: valid[t].length - 1 }).map((n) => valid[t].subarray(0, n)) })),
    topic.chain((t) =>
      fc.record({
        topic: fc.constant(t),
        bytes: fc.array(fc.tuple(fc.nat(valid[t].length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
          const copy = Buffer.from(valid[t]);
          for (const [at, value] of flips) copy[at] = value;
          return copy;
        }),
      }),
    ),
    // Another topic's record: a well-formed frame with the wrong schema for this topic.
    fc.record({ topic, bytes: topic.map((other) => valid[other]) }),
    fc.record({ topic, bytes: fc.tuple(schemaId, fc.integer({ min: 1 << 20, max: 4 << 20 }), fc.integer({ min: 0, max: 255 })).map(([id, size, fill]) => encodeFrame(id, Buffer.alloc(size, fill))) }),
  );
}
