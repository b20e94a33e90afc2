import { readFileSync } from 'node:fs';
import { WfdbError } from './wfdb-error';

/** One annotation of an MIT-format annotation file. */
export interface WfdbAnnotation {
  /** Sample index from the record start. */
  sample: number;
  /** Annotation code (1 = N, 24 = p, 27 = t, 39 = '(', 40 = ')', ...). */
  code: number;
  /** The code's mnemonic ("N", "p", "(", ...). */
  symbol: string;
  subtype: number;
  chan: number;
  num: number;
  aux: string | null;
}

/** Mnemonics of the standard annotation codes (WFDB ecgcodes.h), index = code. */
const SYMBOLS = [
  ' ', 'N', 'L', 'R', 'a', 'V', 'F', 'J', 'A', 'S', 'E', 'j', '/', 'Q', '~', '', '|', '', 's', 'T', '*', 'D', '"', '=', 'p', 'B',
  '^', 't', '+', 'u', '?', '!', '[', ']', 'e', 'n', '@', 'x', 'f', '(', ')', 'r',
];

/** Codes that mark a beat (QRS complex), as the WFDB beat-by-beat comparison counts them. */
const BEAT_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 34, 35, 38, 41]);

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/** True when the annotation marks a beat (N, V, A, ...), not a wave boundary, rhythm change or note. */
export function isBeatAnnotation(annotation: Pick<WfdbAnnotation, 'code'>): boolean {
  return BEAT_CODES.has(annotation.code);
}

/** Reads an MIT-format annotation file (`.atr`, LUDB's `.i`, `.ii`, ...). */
export function readMitAnnotations(path: string): WfdbAnnotation[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WfdbError('not_found', path, code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`);
  }
  return parseMitAnnotations(bytes, path);
}

/**
 * Decodes MIT annotation format: 16-bit little-endian words, 6-bit code A and 10-bit time step I.
 * SKIP carries a 32-bit interval (high word first); NUM, SUB, CHN and AUX modify the annotation
 * before them; NUM and CHN carry over to later annotations, as in the WFDB library. 0/0 ends the file.
 */
export function parseMitAnnotations(bytes: Uint8Array, file: string): WfdbAnnotation[] {
  const annotations: WfdbAnnotation[] = [];
  let time = 0;
  let num = 0;
  let chan = 0;
  let offset = 0;
  let ended = false;
  const word = (at: number): number => bytes[at] | (bytes[at + 1] << 8);

  while (offset + 1 < bytes.length) {
    const value = word(offset);
    const code = value >> 10;
    const step = value & 0x3ff;
    offset += 2;
    if (code === 0 && step === 0) {
      ended = true;
      break;
    }
    const current = annotations[annotations.length - 1];
    if (code === SKIP) {
      if (offset + 4 > bytes.length) throw new WfdbError('truncated', file, `SKIP at byte ${offset - 2} lacks its 4-byte interval`);
      const interval = ((word(offset) << 16) | word(offset + 2)) | 0;
      time += interval;
      offset += 4;
    } else if (code === NUM || code === SUB || code === CHN || code === AUX) {
      if (!current) throw new WfdbError('parse', file, `modifier code ${code} at byte ${offset - 2} precedes any annotation`);
      if (code === NUM) current.num = num = signed10(step);
      else if (code === SUB) current.subtype = signed10(step);
      else if (code === CHN) current.chan = chan = step;
      else {
        if (offset + step > bytes.length) throw new WfdbError('truncated', file, `AUX at byte ${offset - 2} announces ${step} bytes but the file ends`);
        current.aux = Buffer.from(bytes.subarray(offset, offset + step)).toString('latin1').replace(/\0+$/, '');
        offset += step + (step & 1);
      }
    } else if (code >= 1 && code <= 49) {
      time += step;
      annotations.push({ sample: time, code, symbol: SYMBOLS[code] ?? String(code), subtype: 0, chan, num, aux: null });
    } else {
      throw new WfdbError('parse', file, `unknown annotation code ${code} at byte ${offset - 2}`);
    }
  }
  if (!ended && bytes.length > 0) throw new WfdbError('truncated', file, 'ends without the end-of-annotations marker');
  return annotations;
}

function signed10(value: number): number {
  return value > 511 ? value - 1024 : value;
}
