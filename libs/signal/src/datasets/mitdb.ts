import { join } from 'node:path';
import { recordWindows } from '../dsp/record-windows';
import { EcgRecord, LabeledWindow } from '../types';
import { isBeatAnnotation, readMitAnnotations, readWfdbRecord, WfdbAnnotation } from '../wfdb';

/** An MIT-BIH Arrhythmia Database record with its reference beat annotations. */
export interface MitdbRecord {
  name: string;
  record: EcgRecord;
  /** Every annotation of `<name>.atr` (beats, rhythm changes, notes). */
  annotations: WfdbAnnotation[];
  /** Sample indices of the beat annotations only. */
  beatSamples: Int32Array;
}

/** Loads `<dir>/<name>.hea`, its signals (360 Hz, format 212) and `<name>.atr`. */
export function loadMitdbRecord(dir: string, name = '100'): MitdbRecord {
  const { record } = readWfdbRecord(join(dir, `${name}.hea`));
  const annotations = readMitAnnotations(join(dir, `${name}.atr`));
  return { name, record, annotations, beatSamples: Int32Array.from(annotations.filter(isBeatAnnotation).map((a) => a.sample)) };
}

/**
 * Consecutive 10-s windows labelled with the heart rate of the annotated beats inside them
 * (60000 / mean RR); the intervals and amplitudes are not annotated in MIT-BIH and stay null.
 */
export function* mitdbWindows(mitdb: MitdbRecord, seconds = 10): Generator<LabeledWindow> {
  const fs = mitdb.record.sampleRateHz;
  for (const window of recordWindows(mitdb.record, seconds)) {
    const from = Math.round(window.startS * fs);
    const to = from + Math.round(seconds * fs);
    const beats = Array.from(mitdb.beatSamples).filter((s) => s >= from && s < to);
    const meanRrMs = beats.length > 1 ? ((beats[beats.length - 1] - beats[0]) / (beats.length - 1)) * (1000 / fs) : null;
    yield {
      source: `mitdb/${mitdb.name}@${window.startS}s`,
      record: window.record,
      labels: { hr_bpm: meanRrMs === null ? null : 60000 / meanRrMs, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null },
    };
  }
}
