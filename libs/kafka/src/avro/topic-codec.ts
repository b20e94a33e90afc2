import { TOPIC_SCHEMAS, TopicName, TopicPayloads, decodeAvro, encodeAvro } from '@aicrn/contracts';
import { DecodeError, encodeFrame, parseFrame } from './confluent-frame';
import { SchemaRegistry, UnknownSchemaIdError } from './schema-registry';

/** Encodes topic values as Confluent-framed Avro and decodes them with schema resolution. */
export class TopicCodec {
  constructor(readonly registry: SchemaRegistry) {}

  encode<K extends TopicName>(topic: K, value: TopicPayloads[K]): Buffer {
    return encodeFrame(this.registry.writerIdFor(topic), encodeAvro(topic, value));
  }

  /**
   * Decodes a framed value into the topic's current type. A record written with an older compatible
   * schema is resolved (added fields take their defaults). Poison input rejects with DecodeError;
   * any other rejection (schema registry unreachable) is transient.
   */
  async decode<K extends TopicName>(topic: K, value: Buffer | null | undefined): Promise<TopicPayloads[K]> {
    const frame = parseFrame(value);
    let writerType;
    try {
      writerType = await this.registry.writerTypeFor(frame.schemaId);
    } catch (error) {
      if (error instanceof UnknownSchemaIdError) throw new DecodeError('unknown_schema', error.message);
      throw error;
    }
    try {
      return decodeAvro(topic, frame.body, writerType);
    } catch (error) {
      throw new DecodeError(
        'undecodable',
        `schema id ${frame.schemaId} (${writerType.name ?? writerType.typeName}) body is not a readable ${TOPIC_SCHEMAS[topic].name}: ${(error as Error).message}`,
      );
    }
  }
}
