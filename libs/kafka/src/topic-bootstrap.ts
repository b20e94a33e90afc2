import { Admin } from 'kafkajs';
import { BusLogger } from './bus-logger';

export interface TopicLayout {
  partitions: number;
  /** -1 = the broker's default.replication.factor. */
  replicationFactor: number;
}

/**
 * Creates the topics that are missing and leaves existing ones alone (their partition count is not
 * changed: that would move keys to other partitions and break per-bed order). A concurrent creator
 * winning the race is fine. Clusters that refuse CreateTopics (ACLs, or the librdkafka mock cluster)
 * must have the topics created out of band; the error says so.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[], layout: TopicLayout, logger: BusLogger): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: layout.partitions, replicationFactor: layout.replicationFactor })),
    });
  } catch (error) {
    const nowExisting = new Set(await admin.listTopics());
    const stillMissing = missing.filter((topic) => !nowExisting.has(topic));
    if (stillMissing.length > 0) {
      throw new Error(
        `could not create Kafka topics ${stillMissing.join(', ')}: ${(error as Error).message}. ` +
          'Create them out of band (or allow CreateTopics for this client), then restart.',
      );
    }
  }
  logger.info({ topics: missing, partitions: layout.partitions }, 'created Kafka topics');
  return missing;
}
