import * as avro from 'avsc';
import { SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry';
import { ALL_TOPICS, TopicName, topicSchemaText } from '@aicrn/contracts';
import { SchemaRegistry, UnknownSchemaIdError } from './schema-registry';

export interface ConfluentRegistryConfig {
  url: string;
  username?: string;
  password?: string;
}

/**
 * Schema ids from a Confluent Schema Registry: our schemas are registered under the TopicNameStrategy
 * subject `<topic>-value` on startup, and unknown ids met while reading are fetched once and cached.
 * Subjects use BACKWARD compatibility (new readers read old data, which is what rolling upgrades
 * need); the client sets it on first registration and refuses to register into a subject configured
 * with another level, with an error naming both levels.
 */
export class ConfluentSchemaRegistry implements SchemaRegistry {
  readonly kind = 'confluent' as const;
  private readonly client: ConfluentClient;
  private readonly writerIds = new Map<TopicName, number>();
  private readonly types = new Map<number, Promise<avro.Type>>();

  constructor(config: ConfluentRegistryConfig) {
    const auth = config.username ? { username: config.username, password: config.password ?? '' } : undefined;
    this.client = new ConfluentClient({ host: config.url, auth, clientId: 'aicrn-telemetry', retry: { retries: 2 } });
  }

  async register(): Promise<void> {
    for (const topic of ALL_TOPICS) {
      const { id } = await this.client.register({ type: SchemaType.AVRO, schema: topicSchemaText(topic) }, { subject: `${topic}-value` });
      this.writerIds.set(topic, id);
    }
  }

  writerIdFor(topic: TopicName): number {
    const id = this.writerIds.get(topic);
    if (id === undefined) throw new Error(`schema of ${topic} is not registered yet: call register() on startup`);
    return id;
  }

  writerTypeFor(schemaId: number): Promise<avro.Type> {
    let type = this.types.get(schemaId);
    if (!type) {
      type = this.fetch(schemaId);
      this.types.set(schemaId, type);
      // A failed lookup is not cached: the next record retries it.
      type.catch(() => this.types.delete(schemaId));
    }
    return type;
  }

  private async fetch(schemaId: number): Promise<avro.Type> {
    let schema: unknown;
    try {
      schema = await this.client.getSchema(schemaId);
    } catch (error) {
      if ((error as { status?: number }).status === 404) throw new UnknownSchemaIdError(schemaId, 'the schema registry does not know it');
      throw error;
    }
    if (!(schema instanceof avro.Type)) throw new UnknownSchemaIdError(schemaId, 'it is not an Avro schema');
    return schema;
  }
}
