import { EcgWindow, WINDOW_SECONDS } from '@aicrn/contracts';
import { QtcFormula } from '@aicrn/signal';
import { DspMethod } from '../dsp-method';
import { SimulatedBed, WardSimulator } from '../ward-simulator';
import { EVALUATION_EPOCH_MS, MeasurementSetup } from './bed-run';
import { EvaluationBed, EvaluationProfile, evaluationScenario } from './evaluation-scenarios';

/** Measurement methods the evaluation can build by name (also inside worker threads). */
export const EVALUATION_METHODS = ['dsp'] as const;
export type EvaluationMethodName = (typeof EVALUATION_METHODS)[number];

/** The measurement setup of a method name: `dsp` is the classical delineator (also the pipeline's fallback). */
export function measurementSetup(method: string, qtcFormula: QtcFormula): MeasurementSetup {
  if (method === 'dsp') return { primary: null, fallback: new DspMethod(), qtcFormula };
  if (method === 'aicrn') {
    throw new Error("method 'aicrn': the AICRN model runtime is not shipped in this build; options: dsp (or pass a MeasurementSetup to runAlertEvaluation)");
  }
  throw new Error(`unknown measurement method '${method}'; options: ${EVALUATION_METHODS.join(', ')}`);
}

/**
 * The evaluation ward: one simulated monitor per planned bed (bed-01, bed-02, ...), each running its
 * scenario from EVALUATION_EPOCH_MS, emitting the same int16 device windows as the live simulator.
 */
export function evaluationWard(beds: readonly EvaluationBed[], profile: EvaluationProfile): WardSimulator {
  return new WardSimulator({
    beds: beds.length,
    seed: 0,
    startedMs: EVALUATION_EPOCH_MS,
    scenarioFor: (index) => evaluationScenario(beds[index].scenario).build(beds[index].seed, profile),
  });
}

/** The bed's windows in time order, from scenario time 0 to its duration. */
export function* bedWindows(ward: WardSimulator, bed: SimulatedBed, durationS: number): Generator<EcgWindow> {
  const count = Math.floor(durationS / WINDOW_SECONDS);
  for (let i = 0; i < count; i++) yield ward.nextWindow(bed);
}

export function windowCount(bed: EvaluationBed): number {
  return Math.floor(bed.durationS / WINDOW_SECONDS);
}
