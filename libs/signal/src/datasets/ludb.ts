import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LabeledWindow, EcgRecord } from '../types';
import { readMitAnnotations, readWfdbRecord, WfdbError } from '../wfdb';
import { deriveLudbReference, LudbReference } from './ludb-reference';
import { LudbWave, wavesFromAnnotations } from './ludb-waves';

/** LUDB's lead order; each lead has its own annotation file `<id>.<lead>`. */
export const LUDB_LEADS = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'] as const;

/** One LUDB record with its per-lead delineation. */
export interface LudbRecord {
  id: number;
  source: string;
  record: EcgRecord;
  waves: Map<string, LudbWave[]>;
}

/** The directory holding `<id>.hea`: accepts the LUDB root (with `data/`) or the data directory itself. */
export function ludbDataDirectory(dir: string): string {
  const nested = join(dir, 'data');
  return existsSync(join(nested, '1.hea')) || (!existsSync(join(dir, '1.hea')) && existsSync(nested)) ? nested : dir;
}

/** Record ids present in an LUDB directory, ascending. */
export function listLudbRecords(dir: string): number[] {
  const dataDir = ludbDataDirectory(dir);
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    throw new WfdbError('not_found', dataDir, 'LUDB directory not found');
  }
  return names
    .map((name) => /^(\d+)\.hea$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}

/** Loads a record's signals and the cardiologists' per-lead annotations. */
export function loadLudbRecord(dir: string, id: number): LudbRecord {
  const dataDir = ludbDataDirectory(dir);
  const { record } = readWfdbRecord(join(dataDir, `${id}.hea`));
  const waves = new Map<string, LudbWave[]>();
  for (const lead of LUDB_LEADS) {
    const path = join(dataDir, `${id}.${lead}`);
    if (existsSync(path)) waves.set(lead, wavesFromAnnotations(readMitAnnotations(path)));
  }
  return { id, source: `ludb/${id}`, record, waves };
}

/** The reference parameters of a loaded record. */
export function ludbReference(ludb: LudbRecord): LudbReference {
  return deriveLudbReference(ludb.waves, ludb.record.sampleRateHz, ludb.record);
}

/**
 * LUDB records as labeled windows (each record is one 10-s window). Amplitude labels are null:
 * LUDB 1.0.1 scales every lead to 1 mV peak-to-peak, so its r/t amplitudes are not physical.
 */
export async function* ludbWindows(dir: string, options: { records?: readonly number[] } = {}): AsyncGenerator<LabeledWindow> {
  const available = listLudbRecords(dir);
  const wanted = options.records ? available.filter((id) => options.records!.includes(id)) : available;
  for (const id of wanted) {
    const ludb = loadLudbRecord(dir, id);
    const { parameters } = ludbReference(ludb);
    yield { source: ludb.source, record: ludb.record, labels: { ...parameters, r_amp_mv: null, t_amp_mv: null } };
  }
}
