import { AttentionSpan } from '@aicrn/contracts';
import type { EcgParameters } from '@aicrn/signal';
import { AICRN_INPUT_LEADS, AicrnConfig, AicrnInputLead, attentionTimebase } from '../config';

/**
 * What the network saw and where it looked, for one window: the input leads in mV at the model rate,
 * the whole spatial-attention map with its timebase, and what it measured from them.
 */
export interface AttentionExplanation {
  modelVersion: string;
  /** The parameters the map belongs to: every regressed target, since one backbone serves them all. */
  targets: readonly string[];
  /** Network input leads I, II, V1-V6 (mV, as preprocessing resampled them). */
  leadNames: readonly AicrnInputLead[];
  leadsMv: Float32Array[];
  sampleRateHz: number;
  windowSeconds: number;
  /** Spatial attention averaged over every SAM map, one value per backbone step. */
  attention: Float32Array;
  /** Step i covers offsetSeconds + i * secondsPerStep .. + secondsPerStep of the window. */
  secondsPerStep: number;
  offsetSeconds: number;
  /** The top spans of the map, as `attention` on the measurement. */
  spans: AttentionSpan[];
  parameters: EcgParameters;
  /** Leads computed from others, e.g. "I = II - III". */
  derivedLeads: string[];
}

/**
 * Assembles an explanation from the network input ([time, 8] channels-last, mV / inputDivisor) and the
 * model's outputs for it. The traces are the input scaled back to mV, so they show exactly what the network read.
 */
export function buildAttentionExplanation(args: {
  input: Float32Array;
  inputDivisor: number;
  config: AicrnConfig;
  modelVersion: string;
  attention: Float32Array;
  spans: AttentionSpan[];
  parameters: EcgParameters;
  derivedLeads: string[];
}): AttentionExplanation {
  const { input, inputDivisor, config } = args;
  const leadCount = AICRN_INPUT_LEADS.length;
  const samples = Math.floor(input.length / leadCount);
  const leadsMv = AICRN_INPUT_LEADS.map((_, c) => {
    const mv = new Float32Array(samples);
    for (let t = 0; t < samples; t++) mv[t] = input[t * leadCount + c] * inputDivisor;
    return mv;
  });
  return {
    modelVersion: args.modelVersion,
    targets: config.targets,
    leadNames: AICRN_INPUT_LEADS,
    leadsMv,
    sampleRateHz: config.sampleRateHz,
    windowSeconds: config.windowSeconds,
    attention: args.attention,
    ...attentionTimebase(config),
    spans: args.spans,
    parameters: args.parameters,
    derivedLeads: args.derivedLeads,
  };
}
