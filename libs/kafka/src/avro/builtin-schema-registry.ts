import * as avro from 'avsc';
import { TOPIC_SCHEMAS, TopicName, topicType } from '@aicrn/contracts';
import { SchemaRegistry, UnknownSchemaIdError } from './schema-registry';

/**
 * Fixed schema ids of the current topic schemas (documented in libs/kafka/README.md). Ids are never
 * reused: when a schema evolves, the new version takes the next free id and the old id stays in
 * HISTORICAL_SCHEMAS so records written before the change remain readable.
 */
export const BUILTIN_SCHEMA_IDS: Readonly<Record<TopicName, number>> = {
  'ecg.raw.v1': 1,
  'ecg.windows.v1': 2,
  'ecg.measurements.v1': 3,
  'ecg.alerts.v1': 4,
  'ecg.dlq.v1': 5,
};

/** A superseded schema version that readers must still understand. */
export interface HistoricalSchema {
  id: number;
  topic: TopicName;
  /** The Avro schema as JSON text or object. */
  schema: string | object;
}

/** No schema has evolved yet; entries are appended here when one does. */
export const HISTORICAL_SCHEMAS: readonly HistoricalSchema[] = [];

export class BuiltinSchemaRegistry implements SchemaRegistry {
  readonly kind = 'builtin' as const;
  private readonly types = new Map<number, avro.Type>();

  constructor(history: readonly HistoricalSchema[] = HISTORICAL_SCHEMAS) {
    for (const [topic, id] of Object.entries(BUILTIN_SCHEMA_IDS) as Array<[TopicName, number]>) {
      this.types.set(id, topicType(topic));
    }
    for (const old of history) {
      if (this.types.has(old.id)) throw new Error(`schema id ${old.id} is used twice (${old.topic})`);
      const schema = typeof old.schema === 'string' ? JSON.parse(old.schema) : old.schema;
      const type = avro.Type.forSchema(schema, { wrapUnions: false });
      if (type.name !== TOPIC_SCHEMAS[old.topic].name) {
        throw new Error(`historical schema ${old.id} is ${type.name}, but ${old.topic} carries ${TOPIC_SCHEMAS[old.topic].name}`);
      }
      this.types.set(old.id, type);
    }
  }

  async register(): Promise<void> {
    // Fixed ids need no registration.
  }

  writerIdFor(topic: TopicName): number {
    return BUILTIN_SCHEMA_IDS[topic];
  }

  async writerTypeFor(schemaId: number): Promise<avro.Type> {
    const type = this.types.get(schemaId);
    if (!type) throw new UnknownSchemaIdError(schemaId, `not one of the built-in ids ${[...this.types.keys()].join(', ')}`);
    return type;
  }
}
