import { BeatFiducials, Unmeasured } from '@aicrn/contracts';

/** One lead in physical millivolts. */
export interface LeadSignal {
  name: string;
  mv: Float32Array;
}

/** A multi-lead recording (or a window of one) in millivolts: the input of every signal function. */
export interface EcgRecord {
  sampleRateHz: number;
  leads: LeadSignal[];
}

/** The six regressed parameters plus QTc, in the units their names carry; null = not measurable. */
export interface EcgParameters {
  hr_bpm: number | null;
  pr_ms: number | null;
  qrs_ms: number | null;
  qt_ms: number | null;
  qtc_ms: number | null;
  r_amp_mv: number | null;
  t_amp_mv: number | null;
}

/** What a measurement method returns for one window. */
export interface WindowMeasurement {
  parameters: EcgParameters;
  unmeasured: Unmeasured[];
  beats: BeatFiducials[];
}

/** A window with reference labels: what datasets (LUDB, PTB-XL, synthetic) yield for training and evaluation. */
export interface LabeledWindow {
  /** Where it came from, e.g. "ludb/12" or "synthetic/seed-7/42". */
  source: string;
  record: EcgRecord;
  labels: EcgParameters;
  /**
   * The reference's global wave boundaries per beat (seconds from the window start), where the source has them
   * (LUDB annotations, the synthetic generator); training uses them for the network's delineation output.
   */
  beats?: BeatFiducials[];
  /** The same per lead where the source delineates each lead on its own (LUDB), keyed by lead name (any case). */
  leadBeats?: Record<string, BeatFiducials[]>;
}
