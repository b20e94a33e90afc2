import { EcgRecord, WindowMeasurement } from '../types';
import { measureDsp } from './measure-dsp';

/** A measurement method for one window; `aicrn` (the network) and `dsp` both implement it. */
export interface WindowMeasurer {
  method: string;
  /** Model version for a network, algorithm version for DSP. */
  version: string;
  measure(record: EcgRecord): Promise<WindowMeasurement>;
}

/** Bumped whenever the DSP thresholds or algorithm change, so stored measurements stay traceable. */
export const DSP_VERSION = 'dsp-1.2.0';

export const dspMeasurer: WindowMeasurer = {
  method: 'dsp',
  version: DSP_VERSION,
  measure: async (record) => measureDsp(record),
};

/** The measurer for a method name; an unknown name is an error that lists the options. */
export function selectMeasurer(method: string, measurers: readonly WindowMeasurer[]): WindowMeasurer {
  const found = measurers.find((measurer) => measurer.method === method);
  if (!found) throw new UnknownMethodError(method, measurers.map((measurer) => measurer.method));
  return found;
}

export class UnknownMethodError extends Error {
  constructor(
    readonly method: string,
    readonly options: readonly string[],
  ) {
    super(`unknown method "${method}" (options: ${options.join(', ')})`);
    this.name = 'UnknownMethodError';
  }
}
