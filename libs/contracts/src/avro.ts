import * as avro from 'avsc';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAvroBounds } from './avro-bounds';
import { TOPIC_SCHEMAS, TopicName, TopicPayloads } from './topics';

const SCHEMA_DIR = join(__dirname, 'schemas');
const types = new Map<TopicName, avro.Type>();

/** The Avro schema (JSON text of the `.avsc` file) carried by a topic. */
export function topicSchemaText(topic: TopicName): string {
  return readFileSync(join(SCHEMA_DIR, TOPIC_SCHEMAS[topic].file), 'utf8');
}

/** The parsed avsc type of a topic's value; parsed once and cached. */
export function topicType(topic: TopicName): avro.Type {
  let type = types.get(topic);
  if (!type) {
    type = avro.Type.forSchema(JSON.parse(topicSchemaText(topic)), { wrapUnions: false });
    types.set(topic, type);
  }
  return type;
}

/** Avro binary body (no framing) of a value for a topic. Throws with the offending path when invalid. */
export function encodeAvro<T extends TopicName>(topic: T, value: TopicPayloads[T]): Buffer {
  const type = topicType(topic);
  const errors: string[] = [];
  if (!type.isValid(value, { errorHook: (path) => errors.push(path.join('.') || '(root)') })) {
    throw new Error(`value does not match the ${TOPIC_SCHEMAS[topic].name} schema at ${errors.slice(0, 5).join(', ')}`);
  }
  return type.toBuffer(value);
}

/**
 * Decodes an Avro body written with the topic's schema, or with `writerType` (an older compatible schema).
 * The body is bounds-checked first, so hostile lengths and counts are an error, not an out-of-memory crash.
 */
export function decodeAvro<T extends TopicName>(topic: T, body: Buffer, writerType?: avro.Type): TopicPayloads[T] {
  const reader = topicType(topic);
  assertAvroBounds(writerType ?? reader, body);
  if (!writerType || writerType === reader) return reader.fromBuffer(body) as TopicPayloads[T];
  const resolver = reader.createResolver(writerType);
  return reader.fromBuffer(body, resolver) as TopicPayloads[T];
}
