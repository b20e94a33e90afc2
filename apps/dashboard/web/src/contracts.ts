// The browser shares the wire types with the server; type-only, so nothing from libs/ is bundled.
export type { AttentionSpan, BeatFiducials, EcgMeasurement, MeasuredParameter } from '../../../../libs/contracts/src/measurement';
export type { Alert, AlertPriority, AlertState } from '../../../../libs/contracts/src/alert';

import type { Alert, EcgMeasurement } from './contracts';

/** GET /api/beds, one entry. */
export interface BedSnapshot {
  bed_id: string;
  latest: EcgMeasurement | null;
  active_alerts: Alert[];
}

/** GET /api/beds/:bedId/strip */
export interface DisplayStrip {
  window_id: string;
  bed_id: string;
  start_ms: number;
  sample_rate_hz: number;
  leads: Array<{ name: string; mv: number[] }>;
  measurement: EcgMeasurement | null;
}

/**
 * GET /api/beds/:bedId/alarm-settings: the baseline (values flat or under `values`), the bed's profile
 * overrides and the effective settings (defaults merged with the profile) when the server sends them.
 */
export interface AlarmSettingsView {
  bed_id: string;
  baseline: Record<string, unknown> | null;
  profile: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** The settings in force: `settings` when sent, else the profile (older servers sent only the effective profile). */
export function effectiveSettings(view: AlarmSettingsView): Record<string, unknown> {
  return view.settings ?? view.profile;
}
