// The browser shares the wire types with the server: type-only exports of libs/contracts files that import
// nothing from Node, so esbuild erases them and nothing from libs/ is bundled (`npx tsc -p apps/dashboard/web`
// type-checks them with the web code). Only the web's own views of responses are declared here.
export type { AttentionSpan, BeatFiducials, EcgMeasurement, MeasuredParameter } from '../../../../libs/contracts/src/measurement';
export type { Alert, AlertPriority, AlertState } from '../../../../libs/contracts/src/alert';
export type { BedSnapshot, LatestStrip } from '../../../../libs/contracts/src/http-api';

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
