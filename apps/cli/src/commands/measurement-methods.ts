import { dspMeasurer, WindowMeasurer } from '@aicrn/signal';

/** Methods offered by `aicrn measure` and `aicrn eval`; the AICRN network joins this list when it ships. */
export function availableMeasurers(): WindowMeasurer[] {
  return [dspMeasurer];
}
