// Runs in a child process with a small heap, so a decoder that allocates without bound fails the
// test instead of killing Jest (V8 aborts the whole process on OOM, even inside a worker thread).
// Sends each case before decoding it: the last one sent is the culprit if the child dies or hangs.
import fc from 'fast-check';
import { ALL_TOPICS, TopicName, TOPICS } from '@aicrn/contracts';
import { sampleAlert, sampleDeadLetter, sampleMeasurement, sampleValidatedWindow, sampleWindow } from '@aicrn/contracts/testing';
import { BuiltinSchemaRegistry, DecodeError, TopicCodec } from '@aicrn/kafka';
import { avroLong, frameArbitrary } from './avro-frames';

const { numRuns, seed, target } = JSON.parse(process.argv[2]) as { numRuns: number; seed: number; target: 'random' | 'block-counts' };
const send = (message: object) => process.send!(message);
/** Resolves once the message has been handed to the IPC channel: disconnecting earlier can drop it. */
const sendLast = (message: object) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const codec = new TopicCodec(new BuiltinSchemaRegistry());
const valid: Record<TopicName, Buffer> = {
  [TOPICS.raw]: codec.encode(TOPICS.raw, sampleWindow({}, ['I', 'V5'], 100)),
  [TOPICS.windows]: codec.encode(TOPICS.windows, sampleValidatedWindow()),
  [TOPICS.measurements]: codec.encode(TOPICS.measurements, sampleMeasurement()),
  [TOPICS.alerts]: codec.encode(TOPICS.alerts, sampleAlert()),
  [TOPICS.dlq]: codec.encode(TOPICS.dlq, sampleDeadLetter()),
};

const frames =
  target === 'random'
    ? frameArbitrary(valid)
    : // A valid frame cut after a few fields and followed by an Avro block count far beyond the bytes left.
      fc.record({
        topic: fc.constantFrom(...ALL_TOPICS),
        cut: fc.integer({ min: 5, max: 64 }),
        count: fc.oneof(fc.bigInt({ min: 1_000n, max: (1n << 62n) - 1n }), fc.bigInt({ min: -((1n << 62n) - 1n), max: -1_000n })),
      }).map(({ topic, cut, count }) => ({ topic, bytes: Buffer.concat([valid[topic].subarray(0, cut), avroLong(count)]) }));

async function run(): Promise<void> {
  let cases = 0;
  let decoded = 0;
  const codes: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(frames, async ({ topic, bytes }) => {
      cases++;
      send({ type: 'case', topic, length: bytes.length, head: bytes.subarray(0, 48).toString('hex') });
      try {
        await codec.decode(topic, bytes);
        decoded++;
      } catch (error) {
        if (!(error instanceof DecodeError)) throw new Error(`${topic}: threw ${(error as Error)?.name}: ${(error as Error)?.message} instead of a DecodeError`);
        if (!error.message || !['undecodable', 'unknown_schema'].includes(error.code)) throw new Error(`DecodeError without a code and reason: ${error.code} ${error.message}`);
        codes[error.code] = (codes[error.code] ?? 0) + 1;
      }
    }),
    { numRuns, seed },
  );
  await sendLast({ type: 'done', cases, decoded, codes });
}

run()
  .catch((error: Error) => sendLast({ type: 'failed', message: error.message }))
  .finally(() => process.disconnect());
