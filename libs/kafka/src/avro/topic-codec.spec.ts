import * as avro from 'avsc';
import { TOPICS, encodeAvro, topicSchemaText } from '@aicrn/contracts';
import { measurementAt, windowAt } from '@aicrn/contracts/testing';
import { BUILTIN_SCHEMA_IDS, BuiltinSchemaRegistry } from './builtin-schema-registry';
import { DecodeError, encodeFrame, parseFrame } from './confluent-frame';
import { TopicCodec } from './topic-codec';

/** The measurement schema as it was before `beats` was added: the writer of "old" records. */
function measurementSchemaWithoutBeats(): object {
  const schema = JSON.parse(topicSchemaText(TOPICS.measurements));
  schema.fields = schema.fields.filter((field: { name: string }) => field.name !== 'beats');
  return schema;
}

describe('Confluent framing', () => {
  it('writes magic byte 0 and the schema id big-endian before the body', () => {
    const frame = encodeFrame(0x01020304, Buffer.from([9, 8]));
    expect([...frame]).toEqual([0, 1, 2, 3, 4, 9, 8]);
    expect(parseFrame(frame)).toEqual({ schemaId: 0x01020304, body: Buffer.from([9, 8]) });
  });

  it.each([
    ['an empty value', Buffer.alloc(0), /empty record value/],
    ['a null value', null, /empty record value/],
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 5]), /wrong magic byte 1/],
    ['a truncated header', Buffer.from([0, 0, 1]), /truncated frame: 3 bytes/],
  ])('rejects %s with a reason', (_what, value, reason) => {
    expect(() => parseFrame(value)).toThrow(DecodeError);
    expect(() => parseFrame(value)).toThrow(reason);
  });

  it('refuses schema ids outside the 32-bit range', () => {
    expect(() => encodeFrame(-1, Buffer.alloc(0))).toThrow(RangeError);
  });
});

describe('TopicCodec with the built-in registry', () => {
  const codec = new TopicCodec(new BuiltinSchemaRegistry());

  it('round-trips a window with its fixed schema id', async () => {
    const framed = codec.encode(TOPICS.raw, windowAt('bed-1', 3));
    expect(framed.readInt32BE(1)).toBe(BUILTIN_SCHEMA_IDS['ecg.raw.v1']);
    expect(await codec.decode(TOPICS.raw, framed)).toEqual(windowAt('bed-1', 3));
  });

  it('fails on an unknown schema id with code unknown_schema', async () => {
    const framed = encodeFrame(999, encodeAvro(TOPICS.raw, windowAt('bed-1', 3)));
    await expect(codec.decode(TOPICS.raw, framed)).rejects.toMatchObject({ code: 'unknown_schema', message: expect.stringContaining('unknown schema id 999') });
  });

  it('fails on a truncated body with code undecodable', async () => {
    const framed = codec.encode(TOPICS.raw, windowAt('bed-1', 3));
    await expect(codec.decode(TOPICS.raw, framed.subarray(0, framed.length - 3))).rejects.toMatchObject({ code: 'undecodable', message: expect.stringContaining('schema id 1') });
  });

  it('fails when a record of another topic is framed with its own id', async () => {
    const framed = codec.encode(TOPICS.measurements, measurementAt('bed-1', 1));
    await expect(codec.decode(TOPICS.raw, framed)).rejects.toMatchObject({ code: 'undecodable', message: expect.stringContaining('aicrn.ecg.EcgWindow') });
  });

  it('reads a record written with an older schema lacking an added optional field', async () => {
    const old = measurementSchemaWithoutBeats();
    const evolved = new TopicCodec(new BuiltinSchemaRegistry([{ id: 103, topic: TOPICS.measurements, schema: old }]));
    const { beats: _dropped, ...written } = measurementAt('bed-9', 4);
    const body = avro.Type.forSchema(old as avro.Schema, { wrapUnions: false }).toBuffer(written);
    const decoded = await evolved.decode(TOPICS.measurements, encodeFrame(103, body));
    expect(decoded).toEqual({ ...written, beats: [] });
  });

  it('refuses a historical schema declared for the wrong topic', () => {
    expect(() => new BuiltinSchemaRegistry([{ id: 200, topic: TOPICS.raw, schema: measurementSchemaWithoutBeats() }])).toThrow(/aicrn.ecg.EcgMeasurement/);
    expect(() => new BuiltinSchemaRegistry([{ id: 3, topic: TOPICS.measurements, schema: measurementSchemaWithoutBeats() }])).toThrow(/used twice/);
  });
});
