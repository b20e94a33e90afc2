/** WFDB's "invalid sample" marker per format (the most negative value the format can hold). */
export const INVALID_SAMPLE: Readonly<Record<number, number>> = { 16: -32768, 212: -2048 };

/** Bytes needed for `sampleCount` interleaved samples in a format. */
export function bytesForSamples(format: number, sampleCount: number): number {
  return format === 212 ? Math.ceil((sampleCount * 3) / 2) : sampleCount * 2;
}

/** How many whole samples a byte count holds. */
export function samplesInBytes(format: number, byteCount: number): number {
  return format === 212 ? Math.floor((byteCount * 2) / 3) : Math.floor(byteCount / 2);
}

/**
 * Decodes `sampleCount` interleaved samples (all signals of one file, frame after frame).
 * Format 16: little-endian two's complement 16-bit. Format 212: pairs of 12-bit samples packed in
 * 3 bytes; the low 8 bits of each sample are bytes 0 and 2, the high nibbles share byte 1.
 */
export function decodeSamples(format: number, bytes: Uint8Array, sampleCount: number): Int16Array {
  const out = new Int16Array(sampleCount);
  if (format === 16) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < sampleCount; i++) out[i] = view.getInt16(i * 2, true);
    return out;
  }
  for (let i = 0, b = 0; i < sampleCount; i += 2, b += 3) {
    const middle = bytes[b + 1];
    const first = bytes[b] | ((middle & 0x0f) << 8);
    out[i] = first > 2047 ? first - 4096 : first;
    if (i + 1 < sampleCount) {
      const second = bytes[b + 2] | ((middle & 0xf0) << 4);
      out[i + 1] = second > 2047 ? second - 4096 : second;
    }
  }
  return out;
}
