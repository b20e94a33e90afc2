import { EcgLead } from './ecg-window';

/** Packs int16 ADU samples as little-endian bytes (the wire format of `EcgLead.samples`). */
export function packInt16(samples: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i], i * 2);
  return out;
}

/** Unpacks little-endian int16 bytes; works for buffers at any byte offset (Avro slices are unaligned). */
export function unpackInt16(bytes: Buffer): Int16Array {
  const n = bytes.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** Physical millivolts of one lead. */
export function leadToMillivolts(lead: EcgLead): Float32Array {
  const adu = unpackInt16(lead.samples);
  const out = new Float32Array(adu.length);
  const { gain_adu_per_mv: gain, baseline_adu: baseline } = lead;
  for (let i = 0; i < adu.length; i++) out[i] = (adu[i] - baseline) / gain;
  return out;
}

/** Quantises millivolts to int16 ADU with the given gain, clipping at the int16 range like an ADC. */
export function millivoltsToLead(name: string, mv: ArrayLike<number>, gainAduPerMv = 200, baselineAdu = 0): EcgLead {
  const adu = new Int16Array(mv.length);
  for (let i = 0; i < mv.length; i++) {
    const v = Math.round(mv[i] * gainAduPerMv + baselineAdu);
    adu[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return { name, gain_adu_per_mv: gainAduPerMv, baseline_adu: baselineAdu, samples: packInt16(adu) };
}
