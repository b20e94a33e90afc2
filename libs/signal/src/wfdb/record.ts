import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EcgRecord } from '../types';
import { parseWfdbHeader, WfdbHeader, WfdbSignalSpec } from './header';
import { bytesForSamples, decodeSamples, INVALID_SAMPLE, samplesInBytes } from './signal-formats';
import { WfdbError } from './wfdb-error';

/** A WFDB record: raw ADC samples per signal and the same signals in millivolts. */
export interface WfdbRecord {
  header: WfdbHeader;
  /** Raw ADC units per signal, in header order. */
  adu: Int16Array[];
  /** The signals in mV (invalid samples are NaN); lead names are the header descriptions. */
  record: EcgRecord;
}

export interface ReadWfdbOptions {
  /** Compare each signal's 16-bit sample sum with the header checksum (default true). */
  verifyChecksum?: boolean;
}

/** Factors from the physical units a header may declare to millivolts. */
const TO_MILLIVOLTS: Readonly<Record<string, number>> = { mV: 1, uV: 1e-3, 'μV': 1e-3, 'µV': 1e-3, V: 1000, nV: 1e-6 };

/** Reads `<record>.hea` and its signal files; `headerPath` may name the `.hea` file or the record without extension. */
export function readWfdbRecord(headerPath: string, options: ReadWfdbOptions = {}): WfdbRecord {
  const path = headerPath.endsWith('.hea') ? headerPath : `${headerPath}.hea`;
  const header = parseWfdbHeader(readFile(path).toString('utf8'), path);
  const directory = dirname(path);
  const adu: Int16Array[] = new Array(header.signals.length);

  let samplesPerSignal = header.samplesPerSignal;
  for (const [fileName, members] of groupByFile(header.signals)) {
    const filePath = join(directory, fileName);
    const bytes = readFile(filePath);
    const { format, byteOffset } = header.signals[members[0]];
    if (members.some((index) => header.signals[index].format !== format)) {
      throw new WfdbError('mismatch', filePath, 'signals sharing one file declare different formats');
    }
    const available = samplesInBytes(format, Math.max(0, bytes.length - byteOffset));
    const framesInFile = Math.floor(available / members.length);
    if (samplesPerSignal === null) samplesPerSignal = framesInFile;
    if (framesInFile < samplesPerSignal) {
      const needed = bytesForSamples(format, samplesPerSignal * members.length) + byteOffset;
      throw new WfdbError('truncated', filePath, `holds ${bytes.length} bytes but ${samplesPerSignal} samples of ${members.length} signal(s) in format ${format} need ${needed}`);
    }
    const body = bytes.subarray(byteOffset);
    const interleaved = decodeSamples(format, body, samplesPerSignal * members.length);
    members.forEach((signalIndex, column) => {
      const samples = new Int16Array(samplesPerSignal!);
      for (let i = 0; i < samplesPerSignal!; i++) samples[i] = interleaved[i * members.length + column];
      adu[signalIndex] = samples;
    });
  }

  header.signals.forEach((spec, index) => verifySignal(spec, adu[index], path, index, options.verifyChecksum ?? true));
  const leads = header.signals.map((spec, index) => ({ name: spec.description || `signal ${index}`, mv: toMillivolts(spec, adu[index], path) }));
  return { header, adu, record: { sampleRateHz: header.sampleRateHz, leads } };
}

/** The record name of a header path: "/data/ludb/12.hea" -> "12". */
export function recordNameOf(headerPath: string): string {
  return basename(headerPath).replace(/\.hea$/, '');
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WfdbError('not_found', path, 'file not found');
    throw new WfdbError('not_found', path, `cannot be read (${code ?? (error as Error).message})`);
  }
}

function groupByFile(signals: WfdbSignalSpec[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  signals.forEach((spec, index) => {
    if (spec.fileName === '~') throw new WfdbError('unsupported_format', spec.fileName, 'null signal files ("~") are not supported');
    const members = groups.get(spec.fileName) ?? [];
    members.push(index);
    groups.set(spec.fileName, members);
  });
  return groups;
}

function verifySignal(spec: WfdbSignalSpec, samples: Int16Array, path: string, index: number, checksum: boolean): void {
  const label = `signal ${index} (${spec.description || spec.fileName})`;
  if (spec.initialValue !== null && samples.length > 0 && samples[0] !== spec.initialValue) {
    throw new WfdbError('mismatch', path, `${label}: first sample ${samples[0]} differs from the header's initial value ${spec.initialValue}`);
  }
  if (checksum && spec.checksum !== null) {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum = (sum + samples[i]) | 0;
    const sum16 = (sum << 16) >> 16;
    if (sum16 !== spec.checksum) {
      throw new WfdbError('mismatch', path, `${label}: sample checksum ${sum16} differs from the header's ${spec.checksum} (corrupt signal file?)`);
    }
  }
}

function toMillivolts(spec: WfdbSignalSpec, samples: Int16Array, path: string): Float32Array {
  const scale = TO_MILLIVOLTS[spec.units];
  if (scale === undefined) {
    throw new WfdbError('unsupported_format', path, `signal "${spec.description}" is in "${spec.units}", not a voltage (supported: ${Object.keys(TO_MILLIVOLTS).join(', ')})`);
  }
  const invalid = INVALID_SAMPLE[spec.format];
  const factor = scale / spec.gain;
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] === invalid ? NaN : (samples[i] - spec.baseline) * factor;
  return out;
}
