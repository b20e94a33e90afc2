import type { MeasuredParameter, Unmeasured } from '@aicrn/contracts';
import { correctQt, EcgParameters, QtcFormula, WindowMeasurement } from '@aicrn/signal';

/** The parameters the two methods measure each on their own; QTc follows from the consensus QT and HR. */
export const CONSENSUS_PARAMETERS = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] as const satisfies readonly MeasuredParameter[];

/** The consensus's version names both methods' (e.g. "aicrn-serving/... + dsp-1.2.0"): a change of either changes its numbers. */
export function consensusVersion(networkVersion: string, classicalVersion: string): string {
  return `${networkVersion} + ${classicalVersion}`;
}

/**
 * One window measured by the network and by the classical delineator, reduced to one measurement: each parameter
 * is the mean of the two where both measured it, and null with both methods' reasons where either did not.
 *
 * Why a mean: on the held-out LUDB records the two delineators err in different directions (per-interval error
 * correlations from -0.07 to -0.42 with the shipped weights), so their mean lands closer to the cardiologists than either alone.
 * Why null when one is missing: a wave only one method finds is the case where one of them is wrong, and which
 * one is unknown. On the five atrial-fibrillation records among LUDB 81-100, DSP reported a PR on two and the
 * network on one, each time where the other method found no P wave.
 * The beats are the network's: the strip shows where it placed the waves (the two sets of fiducials are not paired).
 */
export function consensusMeasurement(network: WindowMeasurement, classical: WindowMeasurement, qtcFormula: QtcFormula): WindowMeasurement {
  const parameters: EcgParameters = { hr_bpm: null, pr_ms: null, qrs_ms: null, qt_ms: null, qtc_ms: null, r_amp_mv: null, t_amp_mv: null };
  const unmeasured: Unmeasured[] = [];
  for (const parameter of CONSENSUS_PARAMETERS) {
    const a = network.parameters[parameter];
    const b = classical.parameters[parameter];
    if (a !== null && b !== null) parameters[parameter] = (a + b) / 2;
    else unmeasured.push({ parameter, reason: missingReason(parameter, network, classical) });
  }
  parameters.qtc_ms = parameters.qt_ms !== null && parameters.hr_bpm !== null ? correctQt(parameters.qt_ms, 60_000 / parameters.hr_bpm, qtcFormula) : null;
  if (parameters.qtc_ms === null) unmeasured.push({ parameter: 'qtc_ms', reason: `QTc needs the consensus QT and HR (${parameters.qt_ms === null ? 'QT' : 'HR'} unavailable)` });
  return { parameters, unmeasured, beats: network.beats };
}

function missingReason(parameter: MeasuredParameter, network: WindowMeasurement, classical: WindowMeasurement): string {
  const why = (m: WindowMeasurement) => m.unmeasured.find((u) => u.parameter === parameter)?.reason ?? 'not measured';
  const a = network.parameters[parameter];
  const b = classical.parameters[parameter];
  if (a === null && b === null) return `neither method measured it (network: ${why(network)}; dsp: ${why(classical)})`;
  return a === null ? `only dsp measured it (network: ${why(network)})` : `only the network measured it (dsp: ${why(classical)})`;
}
