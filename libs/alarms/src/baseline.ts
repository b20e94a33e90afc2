import { EcgMeasurement, MEASURED_PARAMETERS, MeasuredParameter, Unmeasured } from '@aicrn/contracts';
import { BaselineSettings } from './alarm-settings';
import { median, robustSd } from './statistics';

/** Per-bed baseline, plain JSON so it can be persisted through the BedStateStore port. */
export interface BaselineState {
  status: 'collecting' | 'established';
  /** Windows starting before this (the last reset) are not used. */
  collect_from_ms: number | null;
  /** Summed duration of the good-quality windows collected so far. */
  collected_ms: number;
  window_ids: string[];
  samples: Record<MeasuredParameter, number[]>;
  established_ms: number | null;
  /** Median per parameter; null when too few windows measured it (see `unavailable`). */
  values: Record<MeasuredParameter, number | null>;
  /** Robust SD (1.4826 x MAD) per parameter over the baseline windows; used to scale the drift CUSUM. */
  sd: Record<MeasuredParameter, number | null>;
  unavailable: Unmeasured[];
}

/** Bounds the state when windows are much shorter than 10 s. */
const MAX_BASELINE_WINDOWS = 2000;

function perParameter<T>(make: () => T): Record<MeasuredParameter, T> {
  return Object.fromEntries(MEASURED_PARAMETERS.map((p) => [p, make()])) as Record<MeasuredParameter, T>;
}

/**
 * Baseline of one bed: the median of each parameter over the first `duration_ms` of good-quality
 * signal (after the last reset). The caller passes only windows that passed the quality gate.
 */
export class Baseline {
  private state: BaselineState;

  constructor(private settings: BaselineSettings, state?: BaselineState) {
    this.state = state ? structuredClone(state) : Baseline.empty(null);
  }

  static empty(collectFromMs: number | null): BaselineState {
    return {
      status: 'collecting',
      collect_from_ms: collectFromMs,
      collected_ms: 0,
      window_ids: [],
      samples: perParameter(() => []),
      established_ms: null,
      values: perParameter(() => null),
      sd: perParameter(() => null),
      unavailable: [],
    };
  }

  get established(): boolean {
    return this.state.status === 'established';
  }

  value(parameter: MeasuredParameter): number | null {
    return this.established ? this.state.values[parameter] : null;
  }

  sd(parameter: MeasuredParameter): number | null {
    return this.established ? this.state.sd[parameter] : null;
  }

  setSettings(settings: BaselineSettings): void {
    this.settings = settings;
  }

  /** Adds a good-quality window; returns true when this window completed the baseline. */
  observe(m: EcgMeasurement): boolean {
    const s = this.state;
    if (s.status === 'established') return false;
    if (s.collect_from_ms !== null && m.window_start_ms < s.collect_from_ms) return false;
    if (s.window_ids.length >= MAX_BASELINE_WINDOWS) return false;
    s.collected_ms += Math.max(0, m.window_end_ms - m.window_start_ms);
    s.window_ids.push(m.window_id);
    for (const p of MEASURED_PARAMETERS) {
      const v = m[p];
      if (typeof v === 'number' && Number.isFinite(v)) s.samples[p].push(v);
    }
    if (s.collected_ms < this.settings.duration_ms) return false;
    this.establish(m.window_end_ms);
    return true;
  }

  /** Discards the baseline; a new one is collected from windows starting at or after `atMs`. */
  reset(atMs: number): void {
    if (!Number.isFinite(atMs)) throw new Error(`baseline reset time must be a finite epoch ms, got ${atMs}`);
    this.state = Baseline.empty(atMs);
  }

  snapshot(): BaselineState {
    return structuredClone(this.state);
  }

  private establish(atMs: number): void {
    const s = this.state;
    const windows = s.window_ids.length;
    const needed = Math.ceil(this.settings.min_measured_fraction * windows);
    s.unavailable = [];
    for (const p of MEASURED_PARAMETERS) {
      const samples = s.samples[p];
      if (samples.length === 0 || samples.length < needed) {
        s.values[p] = null;
        s.sd[p] = null;
        s.unavailable.push({ parameter: p, reason: `measured in ${samples.length} of ${windows} baseline windows (needs ${needed})` });
      } else {
        s.values[p] = median(samples);
        s.sd[p] = robustSd(samples);
      }
    }
    s.status = 'established';
    s.established_ms = atMs;
  }
}
