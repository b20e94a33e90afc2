import { Alert } from './alert';
import { EcgMeasurement } from './measurement';

// Bodies of the HTTP API that the dashboard reads. Type-only and free of Node imports: the browser bundle
// imports this file with `import type` (apps/dashboard/web/src/contracts.ts).

/** Latest state of one bed (GET /api/beds, GET /api/beds/:bedId). */
export interface BedSnapshot {
  bed_id: string;
  latest: EcgMeasurement | null;
  active_alerts: Alert[];
}

/** The latest window of a bed, reduced for drawing on a screen (not for measurement). */
export interface DisplayStrip {
  window_id: string;
  bed_id: string;
  start_ms: number;
  sample_rate_hz: number;
  leads: Array<{ name: string; mv: number[] }>;
}

/** GET /api/beds/:bedId/strip: the display strip with the measurement of that window once it is measured. */
export interface LatestStrip extends DisplayStrip {
  measurement: EcgMeasurement | null;
}
