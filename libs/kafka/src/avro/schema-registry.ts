import type { Type } from 'avsc';
import { TopicName } from '@aicrn/contracts';

/**
 * Maps topics to the schema id their values are written with, and schema ids back to writer
 * schemas for reading. Two implementations: fixed ids built in, or a Confluent Schema Registry.
 */
export interface SchemaRegistry {
  readonly kind: 'builtin' | 'confluent';
  /** Makes the current topic schemas known (Confluent: registers them under `<topic>-value`). Call once on startup. */
  register(): Promise<void>;
  /** Id under which values of `topic` are written. Only valid after register(). */
  writerIdFor(topic: TopicName): number;
  /**
   * The writer schema of an id. Rejects with UnknownSchemaIdError when the id does not exist; any
   * other rejection (registry unreachable) is transient and must not dead-letter the record.
   */
  writerTypeFor(schemaId: number): Promise<Type>;
}

export class UnknownSchemaIdError extends Error {
  constructor(readonly schemaId: number, detail: string) {
    super(`unknown schema id ${schemaId}: ${detail}`);
    this.name = 'UnknownSchemaIdError';
  }
}
