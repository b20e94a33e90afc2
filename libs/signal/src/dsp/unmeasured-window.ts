import { MEASURED_PARAMETERS, Unmeasured } from '@aicrn/contracts';
import { EcgParameters, WindowMeasurement } from '../types';

/** A window none of whose parameters could be measured, every one of them null for the same reason. */
export function unmeasuredWindow(reason: string): WindowMeasurement {
  const parameters: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
  const unmeasured: Unmeasured[] = MEASURED_PARAMETERS.map((parameter) => ({ parameter, reason }));
  return { parameters, unmeasured, beats: [] };
}
