/**
 * Confluent wire framing: magic byte 0, the writer schema id as a 4-byte big-endian integer, then
 * the Avro body. Any Confluent-compatible consumer (Java, ksqlDB, Kafka Connect) can read our topics.
 */
export const MAGIC_BYTE = 0;
export const FRAME_HEADER_BYTES = 5;

export interface ConfluentFrame {
  schemaId: number;
  body: Buffer;
}

/** Why a record could not be decoded; `code` is the dead-letter code. */
export class DecodeError extends Error {
  constructor(
    readonly code: 'undecodable' | 'unknown_schema',
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export function encodeFrame(schemaId: number, body: Buffer): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new RangeError(`schema id must be an integer in 0..2^31-1, got ${schemaId}`);
  }
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

/** Splits a frame into schema id and body; a missing, short or foreign frame is a DecodeError. */
export function parseFrame(value: Buffer | null | undefined): ConfluentFrame {
  if (!value || value.length === 0) throw new DecodeError('undecodable', 'empty record value (no Confluent frame)');
  if (value[0] !== MAGIC_BYTE) {
    throw new DecodeError('undecodable', `wrong magic byte ${value[0]} (expected ${MAGIC_BYTE}): not a Confluent Avro frame`);
  }
  if (value.length < FRAME_HEADER_BYTES) {
    throw new DecodeError('undecodable', `truncated frame: ${value.length} bytes, the header alone needs ${FRAME_HEADER_BYTES}`);
  }
  return { schemaId: value.readInt32BE(1), body: value.subarray(FRAME_HEADER_BYTES) };
}
