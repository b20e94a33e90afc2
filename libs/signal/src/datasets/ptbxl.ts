import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalLeadName, STANDARD_LEADS } from '@aicrn/contracts';
import { EcgParameters, EcgRecord, LabeledWindow } from '../types';
import { readWfdbRecord } from '../wfdb';
import { readCsvObjects } from './ptbxl-csv';
import type { DatasetSplit } from './synthetic';

/** One row of ptbxl_database.csv, the columns the loader uses. */
export interface PtbxlRecordRow {
  ecgId: number;
  patientId: number | null;
  /** SCP statement -> likelihood (%), from the Python-dict column, e.g. {NORM: 100, SR: 0}. */
  scpCodes: Record<string, number>;
  stratFold: number;
  /** 500 Hz record path relative to the PTB-XL root, without extension, e.g. records500/00000/00001_hr. */
  filenameHr: string;
}

/** A PTB-XL window with where it came from. */
export interface PtbxlWindow extends LabeledWindow {
  ecgId: number;
  patientId: number | null;
  stratFold: number;
  split: DatasetSplit;
}

/** 12SL columns of PTB-XL+ features/12sl_features.csv used as labels (located by name: ecg_id sits mid-table). */
export const PTBXL_PLUS_COLUMNS = ['ecg_id', 'RR_Mean_Global', 'PR_Int_Global', 'QRS_Dur_Global', 'QT_Int_Global', 'R_Amp_V5', 'T_Amp_V5'] as const;

export type AmplitudeUnit = 'uV' | 'mV';

/**
 * Parses a PTB-XL scp_codes cell, a Python dict literal such as "{'NORM': 100.0, 'SR': 0.0}".
 * Throws on anything else, naming the text.
 */
export function parseScpCodes(text: string): Record<string, number> {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error(`scp_codes is not a dict literal: ${JSON.stringify(text)}`);
  const inner = body.slice(1, -1).trim();
  const out: Record<string, number> = {};
  if (inner === '') return out;
  const entry = /^\s*(['"])(.*?)\1\s*:\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan)\s*$/i;
  for (const part of inner.split(',')) {
    const match = entry.exec(part);
    if (!match) throw new Error(`scp_codes entry ${JSON.stringify(part.trim())} is not 'CODE': number in ${JSON.stringify(text)}`);
    out[match[2]] = match[3].toLowerCase() === 'nan' ? Number.NaN : Number(match[3]);
  }
  return out;
}

/** PTB-XL's recommended split: folds 1-8 train, 9 validation, 10 test (patients never cross folds). */
export function ptbxlSplitOfFold(fold: number): DatasetSplit {
  if (!Number.isInteger(fold) || fold < 1 || fold > 10) throw new Error(`strat_fold must be an integer 1..10, got ${fold}`);
  return fold <= 8 ? 'train' : fold === 9 ? 'val' : 'test';
}

/** A numeric cell: empty, NaN or non-numeric text -> null. */
export function numericCell(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === '' || /^(nan|na|null|none)$/i.test(t)) return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

/** Streams the rows of ptbxl_database.csv. */
export async function* readPtbxlDatabase(path: string): AsyncGenerator<PtbxlRecordRow> {
  let line = 1;
  for await (const row of readCsvObjects(path, ['ecg_id', 'patient_id', 'scp_codes', 'strat_fold', 'filename_hr'])) {
    line++;
    const ecgId = numericCell(row.ecg_id);
    const stratFold = numericCell(row.strat_fold);
    if (ecgId === null || !Number.isInteger(ecgId)) throw new Error(`${path}: row ${line} has ecg_id ${JSON.stringify(row.ecg_id)}`);
    if (stratFold === null) throw new Error(`${path}: ecg_id ${ecgId} has strat_fold ${JSON.stringify(row.strat_fold)}`);
    if (!row.filename_hr) throw new Error(`${path}: ecg_id ${ecgId} has no filename_hr`);
    let scpCodes: Record<string, number>;
    try {
      scpCodes = parseScpCodes(row.scp_codes);
    } catch (error) {
      throw new Error(`${path}: ecg_id ${ecgId}: ${(error as Error).message}`);
    }
    yield { ecgId, patientId: numericCell(row.patient_id), scpCodes, stratFold, filenameHr: row.filename_hr.trim() };
  }
}

/** PTB-XL+ 12SL labels by ecg_id, with the amplitude unit they were read in. */
export interface PtbxlPlusLabels {
  labels: Map<number, EcgParameters>;
  amplitudeUnit: AmplitudeUnit;
}

/**
 * Reads features/12sl_features.csv (streamed; only the label columns are kept).
 * HR = 60000 / RR_Mean_Global; intervals in ms as published; QTc = Bazett on QT and RR_Mean_Global.
 * Amplitudes: 12SL reports them in microvolts; 'auto' (default) checks that against the values
 * (median |R_Amp_V5| above 20 can only be microvolts, since no V5 R wave is 20 mV) and converts to mV.
 */
export async function loadPtbxlPlusLabels(path: string, options: { amplitudeUnit?: AmplitudeUnit | 'auto' } = {}): Promise<PtbxlPlusLabels> {
  const raw: Array<{ ecgId: number; rr: number | null; pr: number | null; qrs: number | null; qt: number | null; r: number | null; t: number | null }> = [];
  for await (const row of readCsvObjects(path, PTBXL_PLUS_COLUMNS)) {
    const ecgId = numericCell(row.ecg_id);
    if (ecgId === null || !Number.isInteger(ecgId)) throw new Error(`${path}: a row has ecg_id ${JSON.stringify(row.ecg_id)}`);
    raw.push({
      ecgId,
      rr: numericCell(row.RR_Mean_Global),
      pr: numericCell(row.PR_Int_Global),
      qrs: numericCell(row.QRS_Dur_Global),
      qt: numericCell(row.QT_Int_Global),
      r: numericCell(row.R_Amp_V5),
      t: numericCell(row.T_Amp_V5),
    });
  }
  const requested = options.amplitudeUnit ?? 'auto';
  if (requested !== 'auto' && requested !== 'uV' && requested !== 'mV') throw new Error(`amplitudeUnit must be 'auto', 'uV' or 'mV', got ${String(requested)}`);
  const amplitudeUnit = requested === 'auto' ? detectAmplitudeUnit(raw.map((r) => r.r)) : requested;
  const scale = amplitudeUnit === 'uV' ? 1e-3 : 1;
  const labels = new Map<number, EcgParameters>();
  for (const r of raw) {
    const rr = r.rr !== null && r.rr > 0 ? r.rr : null;
    labels.set(r.ecgId, {
      hr_bpm: rr === null ? null : 60000 / rr,
      pr_ms: positive(r.pr),
      qrs_ms: positive(r.qrs),
      qt_ms: positive(r.qt),
      qtc_ms: rr === null || positive(r.qt) === null ? null : r.qt! / Math.sqrt(rr / 1000),
      r_amp_mv: r.r === null ? null : r.r * scale,
      t_amp_mv: r.t === null ? null : r.t * scale,
    });
  }
  return { labels, amplitudeUnit };
}

/** Median |R_Amp_V5|: physiological V5 R waves are 0.2-4 mV, i.e. 200-4000 uV. */
export function detectAmplitudeUnit(rAmpV5: Array<number | null>): AmplitudeUnit {
  const values = rAmpV5.filter((x): x is number => x !== null).map(Math.abs).sort((a, b) => a - b);
  if (values.length === 0) throw new Error('cannot tell the 12SL amplitude unit: R_Amp_V5 is empty in every row; pass amplitudeUnit explicitly');
  return values[values.length >> 1] > 20 ? 'uV' : 'mV';
}

function positive(x: number | null): number | null {
  return x !== null && x > 0 ? x : null;
}

/** A PTB-XL WFDB record with its leads in STANDARD_LEADS order and canonical names. */
export function readPtbxlRecord(ptbxlDir: string, filenameHr: string): EcgRecord {
  const { record } = readWfdbRecord(join(ptbxlDir, `${filenameHr}.hea`));
  const byName = new Map(record.leads.map((l) => [canonicalLeadName(l.name), l.mv]));
  const missing = STANDARD_LEADS.filter((name) => !byName.has(name));
  if (missing.length) throw new Error(`${filenameHr}: missing lead(s) ${missing.join(', ')} (has ${record.leads.map((l) => l.name).join(', ')})`);
  return { sampleRateHz: record.sampleRateHz, leads: STANDARD_LEADS.map((name) => ({ name, mv: byName.get(name)! })) };
}

export interface PtbxlWindowOptions {
  /** PTB-XL root holding ptbxl_database.csv and records500/. */
  ptbxlDir: string;
  /** PTB-XL+ root holding features/12sl_features.csv (or pass featuresPath). */
  ptbxlPlusDir?: string;
  featuresPath?: string;
  split?: DatasetSplit | 'all';
  /** Keep only records whose scp_codes contain NORM (the paper's cohort); default true. */
  normOnly?: boolean;
  /** Stop after this many windows. */
  limit?: number;
  amplitudeUnit?: AmplitudeUnit | 'auto';
  /** Called once the 12SL amplitude unit is known (to log what 'auto' decided). */
  onAmplitudeUnit?: (unit: AmplitudeUnit) => void;
}

/**
 * PTB-XL 500 Hz windows labelled with PTB-XL+ 12SL measurements, read one record at a time.
 * Records without a 12SL row get all-null labels (they are still yielded; training code drops nulls).
 */
export async function* ptbxlWindows(options: PtbxlWindowOptions): AsyncGenerator<PtbxlWindow> {
  const { ptbxlDir, split = 'all', normOnly = true, limit = Infinity } = options;
  const databasePath = join(ptbxlDir, 'ptbxl_database.csv');
  if (!existsSync(databasePath)) throw new Error(`${databasePath}: file not found (ptbxlDir must be the PTB-XL root)`);
  const featuresPath = options.featuresPath ?? (options.ptbxlPlusDir ? join(options.ptbxlPlusDir, 'features', '12sl_features.csv') : null);
  if (!featuresPath) throw new Error('ptbxlWindows needs ptbxlPlusDir or featuresPath for the 12SL labels');
  const { labels, amplitudeUnit } = await loadPtbxlPlusLabels(featuresPath, { amplitudeUnit: options.amplitudeUnit });
  options.onAmplitudeUnit?.(amplitudeUnit);
  let yielded = 0;
  for await (const row of readPtbxlDatabase(databasePath)) {
    if (yielded >= limit) return;
    const rowSplit = ptbxlSplitOfFold(row.stratFold);
    if (split !== 'all' && rowSplit !== split) continue;
    if (normOnly && !('NORM' in row.scpCodes)) continue;
    const record = readPtbxlRecord(ptbxlDir, row.filenameHr);
    yield {
      source: `ptbxl/${row.ecgId}`,
      record,
      labels: labels.get(row.ecgId) ?? { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null },
      ecgId: row.ecgId,
      patientId: row.patientId,
      stratFold: row.stratFold,
      split: rowSplit,
    };
    yielded++;
  }
}
