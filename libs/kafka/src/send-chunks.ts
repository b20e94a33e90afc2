/**
 * Brokers refuse a record batch larger than `message.max.bytes` (1 MB by default) and consumers fetch
 * at most `maxBytesPerPartition` (1 MB in kafkajs) per partition, while kafkajs writes every record of
 * one send for a partition into one batch. So a send of many ECG windows (~120 kB each for 12 leads)
 * must be split: this keeps each send's encoded values under `maxBytes` (a single larger record goes
 * alone), in order, so per-partition order is kept by sending the chunks one after another.
 */
export const DEFAULT_MAX_SEND_BYTES = 768 * 1024;

export function chunkBySize<T extends { value: Buffer | null }>(messages: T[], maxBytes = DEFAULT_MAX_SEND_BYTES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.length ?? 0;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
