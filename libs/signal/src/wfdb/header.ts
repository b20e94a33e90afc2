import { WfdbError } from './wfdb-error';

/** One signal line of a WFDB header. */
export interface WfdbSignalSpec {
  fileName: string;
  format: number;
  /** Bytes to skip at the start of the signal file. */
  byteOffset: number;
  /** ADC units per physical unit. */
  gain: number;
  /** ADC value that corresponds to 0 physical units. */
  baseline: number;
  units: string;
  adcResolutionBits: number;
  adcZero: number;
  initialValue: number | null;
  checksum: number | null;
  blockSize: number;
  description: string;
}

/** A parsed single-segment WFDB header (`.hea`). */
export interface WfdbHeader {
  recordName: string;
  sampleRateHz: number;
  /** Samples per signal; null when the header leaves it out (then the signal file length decides). */
  samplesPerSignal: number | null;
  signals: WfdbSignalSpec[];
  comments: string[];
}

/** Formats whose sample layout this reader decodes. */
export const SUPPORTED_WFDB_FORMATS = [16, 212] as const;

/** WFDB's default when a header gives no gain or a gain of 0. */
const DEFAULT_GAIN = 200;

const SIGNAL_FORMAT = /^(\d+)(?:x(\d+))?(?::(-?\d+))?(?:\+(\d+))?$/;
const GAIN_FIELD = /^([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)(?:\((-?\d+)\))?(?:\/(\S+))?$/;

/** Parses the text of a `.hea` file; `file` names it in errors. */
export function parseWfdbHeader(text: string, file: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    // A '#' after fields starts a trailing comment.
    const hash = line.indexOf('#');
    lines.push(hash >= 0 ? line.slice(0, hash).trim() : line);
  }
  if (lines.length === 0) throw new WfdbError('parse', file, 'no record line (the header is empty or only comments)');

  const recordFields = lines[0].split(/\s+/);
  const [nameField, nsigField, fsField, nsampField] = recordFields;
  if (nameField.includes('/')) {
    throw new WfdbError('unsupported_format', file, `multi-segment record "${nameField}" is not supported`);
  }
  const signalCount = parseInteger(nsigField, file, 'number of signals on the record line');
  if (signalCount < 0) throw new WfdbError('parse', file, `negative number of signals ${signalCount}`);
  const sampleRateHz = parseSampleRate(fsField, file);
  const samplesPerSignal = nsampField === undefined ? null : parseInteger(nsampField, file, 'number of samples on the record line');
  if (samplesPerSignal !== null && samplesPerSignal < 0) {
    throw new WfdbError('parse', file, `negative number of samples ${samplesPerSignal}`);
  }

  const signalLines = lines.slice(1);
  if (signalLines.length !== signalCount) {
    throw new WfdbError('mismatch', file, `record line announces ${signalCount} signals but ${signalLines.length} signal lines follow`);
  }
  const signals = signalLines.map((line, index) => parseSignalLine(line, file, index + 2));
  return { recordName: nameField, sampleRateHz, samplesPerSignal, signals, comments };
}

function parseSampleRate(field: string | undefined, file: string): number {
  if (field === undefined) return 250; // WFDB's documented default frequency
  const value = Number(field.split('/')[0].split('(')[0]);
  if (!Number.isFinite(value) || value <= 0) {
    throw new WfdbError('invalid_sample_rate', file, `sampling frequency "${field}" is not a positive number`);
  }
  return value;
}

function parseSignalLine(line: string, file: string, lineNumber: number): WfdbSignalSpec {
  const fields = line.split(/\s+/);
  const where = `signal line ${lineNumber}`;
  if (fields.length < 2) throw new WfdbError('parse', file, `${where} needs at least a file name and a format: "${line}"`);
  const [fileName, formatField, gainField, resField, zeroField, initField, checksumField, blockField] = fields;

  const formatMatch = SIGNAL_FORMAT.exec(formatField);
  if (!formatMatch) throw new WfdbError('parse', file, `${where}: format "${formatField}" is not a number`);
  const format = Number(formatMatch[1]);
  if (!(SUPPORTED_WFDB_FORMATS as readonly number[]).includes(format)) {
    throw new WfdbError('unsupported_format', file, `${where}: signal format ${format} is not supported (supported: ${SUPPORTED_WFDB_FORMATS.join(', ')})`);
  }
  if (formatMatch[2] !== undefined && Number(formatMatch[2]) !== 1) {
    throw new WfdbError('unsupported_format', file, `${where}: ${formatMatch[2]} samples per frame is not supported`);
  }
  if (formatMatch[3] !== undefined && Number(formatMatch[3]) !== 0) {
    throw new WfdbError('unsupported_format', file, `${where}: skew ${formatMatch[3]} is not supported`);
  }
  const byteOffset = formatMatch[4] === undefined ? 0 : Number(formatMatch[4]);

  const adcZero = zeroField === undefined ? 0 : parseInteger(zeroField, file, `${where} ADC zero`);
  let gain = DEFAULT_GAIN;
  let baseline = adcZero;
  let units = 'mV';
  if (gainField !== undefined) {
    const gainMatch = GAIN_FIELD.exec(gainField);
    if (!gainMatch) throw new WfdbError('parse', file, `${where}: gain field "${gainField}" is not gain[(baseline)][/units]`);
    const parsedGain = Number(gainMatch[1]);
    if (!Number.isFinite(parsedGain)) throw new WfdbError('parse', file, `${where}: gain "${gainMatch[1]}" is not a number`);
    gain = parsedGain === 0 ? DEFAULT_GAIN : parsedGain;
    if (gainMatch[2] !== undefined) baseline = Number(gainMatch[2]);
    if (gainMatch[3] !== undefined) units = gainMatch[3];
  }
  if (gain < 0) throw new WfdbError('parse', file, `${where}: negative gain ${gain}`);

  return {
    fileName,
    format,
    byteOffset,
    gain,
    baseline,
    units,
    adcResolutionBits: resField === undefined ? (format === 212 ? 12 : 16) : parseInteger(resField, file, `${where} ADC resolution`),
    adcZero,
    initialValue: initField === undefined ? null : parseInteger(initField, file, `${where} initial value`),
    checksum: checksumField === undefined ? null : parseInteger(checksumField, file, `${where} checksum`),
    blockSize: blockField === undefined ? 0 : parseInteger(blockField, file, `${where} block size`),
    description: fields.slice(8).join(' '),
  };
}

function parseInteger(field: string | undefined, file: string, what: string): number {
  if (field === undefined || !/^[-+]?\d+$/.test(field)) {
    throw new WfdbError('parse', file, `${what} "${field ?? ''}" is not an integer`);
  }
  return Number(field);
}
