import { QtcFormula } from '@aicrn/signal';
import { AicrnConfig, backboneSamples, backboneTimebase } from '../config';
import { readLeadDelineation } from './delineation-readout';
import { mapDelineation } from './output-mapping';
import { readV5Amplitudes } from './v5-amplitudes';

/**
 * One window's measurement from the delineation output: the per-lead wave classes read as the reference reads the
 * cardiologists' annotations, the V5 amplitudes read off the network's input at V5's delineated boundaries. Serving
 * (AicrnMeasurer) and the training validation use this one function, so the numbers a run prints are the product's.
 *
 * `probabilities` is the window's [steps, 12, 4] delineation output and `input` its prepared network input.
 */
export function measureDelineated(probabilities: Float32Array, input: Float32Array, config: AicrnConfig, inputDivisor: number, qtcFormula: QtcFormula = 'bazett'): ReturnType<typeof mapDelineation> {
  const readout = readLeadDelineation(probabilities, backboneSamples(config), backboneTimebase(config));
  const amplitudes = readV5Amplitudes(input, config, inputDivisor, readout.leadBeats?.V5 ?? []);
  return mapDelineation(readout, amplitudes, qtcFormula);
}
