/** How a measurement was made: the AICRN network, the classical DSP delineator, or the consensus (mean) of both. */
export type MeasurementMethod = 'aicrn' | 'dsp' | 'consensus';

export const MEASURED_PARAMETERS = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'qtc_ms', 'r_amp_mv', 't_amp_mv'] as const;
export type MeasuredParameter = (typeof MEASURED_PARAMETERS)[number];

/** A time span of the window the network attended to most, for one target (or 'all'). */
export interface AttentionSpan {
  target: string;
  start_s: number;
  end_s: number;
  /** Mean attention in the span, 0..1. */
  weight: number;
}

/** Fiducial points of one beat, seconds from the window start; null where not found. */
export interface BeatFiducials {
  r_s: number;
  p_on_s: number | null;
  qrs_on_s: number | null;
  qrs_off_s: number | null;
  t_peak_s: number | null;
  t_off_s: number | null;
}

/** Why a parameter is null. */
export interface Unmeasured {
  parameter: MeasuredParameter;
  reason: string;
}

/** The measurement of one window (`ecg.measurements.v1`, key = bed id). */
export interface EcgMeasurement {
  window_id: string;
  bed_id: string;
  device_id: string;
  window_start_ms: number;
  window_end_ms: number;
  hr_bpm: number | null;
  pr_ms: number | null;
  qrs_ms: number | null;
  qt_ms: number | null;
  qtc_ms: number | null;
  /** QTc formula used: bazett (default), fridericia or framingham. */
  qtc_formula: string;
  r_amp_mv: number | null;
  t_amp_mv: number | null;
  /** Signal quality of the window, 0..1. */
  quality: number;
  quality_reasons: string[];
  method: MeasurementMethod;
  /** Model version for `aicrn`, algorithm version for `dsp`. */
  model_version: string;
  /** Time from the window entering inference to its measurement being ready. */
  latency_ms: number;
  measured_at_ms: number;
  unmeasured: Unmeasured[];
  attention: AttentionSpan[];
  beats: BeatFiducials[];
}
