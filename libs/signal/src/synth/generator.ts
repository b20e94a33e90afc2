import { BeatFiducials, LeadName, STANDARD_LEADS } from '@aicrn/contracts';
import { EcgRecord, LabeledWindow } from '../types';
import { beatTemplate, projectDipole, waveShape } from './beat-model';
import { measureSyntheticLabels } from './labels';
import { addElectrodeNoise, applyDeviceFaults } from './noise';
import { mixSeed, Rng } from './random';
import { INDEPENDENT_LEADS, resolveSpec, SyntheticSpec, SyntheticSpecInput } from './spec';

/** Ground-truth timing of one generated beat, seconds from the window start (may lie outside it). */
export interface GeneratedBeat {
  pOnS: number;
  pOffS: number;
  qrsOnS: number;
  rPeakS: number;
  qrsOffS: number;
  tOnS: number;
  tPeakS: number;
  tOffS: number;
  /** Respiratory scaling of this beat's QRS dipoles. */
  qrsScale: number;
}

/** A labelled window plus everything needed to check or reproduce it. */
export interface SyntheticWindow extends LabeledWindow {
  /** Beats whose R peak lies inside the window; fiducials outside the window are null. */
  beats: BeatFiducials[];
  /** The resolved (clamped) spec that generated the window. */
  spec: SyntheticSpec;
  seed: number;
  /** What resolveSpec clamped, e.g. "qtMs 600 -> 273 (shortest RR 323 ms)". */
  adjustments: string[];
  /** The same window before any noise or device fault (labels are measured on this). */
  clean: EcgRecord;
  /** Every beat that contributes to the window, including those cut by its edges. */
  generatedBeats: GeneratedBeat[];
}

/** Deterministic: the same spec and seed always give the same window, bit for bit. */
export function generateWindow(input: SyntheticSpecInput, seed: number, source?: string): SyntheticWindow {
  if (!Number.isInteger(seed)) throw new Error(`generateWindow seed must be an integer, got ${seed}`);
  const { spec, adjustments } = resolveSpec(input);
  const fs = spec.sampleRateHz;
  const n = Math.round(spec.durationS * fs);
  // Separate streams: the same seed gives the same heart with or without noise.
  const rhythmRng = new Rng(mixSeed(seed, 1));
  const noiseRng = new Rng(mixSeed(seed, 2));

  const beats = scheduleBeats(spec, rhythmRng);
  const independent = INDEPENDENT_LEADS.map(() => new Float64Array(n));
  renderBeats(independent, fs, spec, beats);

  const clean = toRecord(independent, fs);
  addElectrodeNoise(independent, fs, spec.noise, noiseRng);
  const noisy = toRecord(independent, fs);
  applyDeviceFaults(noisy.leads as Array<{ name: LeadName; mv: Float32Array }>, fs, spec.noise);

  const { labels, fiducials } = measureSyntheticLabels(clean, beats);
  return {
    source: source ?? `synthetic/seed-${seed}`,
    record: noisy,
    labels,
    beats: fiducials,
    spec,
    seed,
    adjustments,
    clean,
    generatedBeats: beats,
  };
}

/**
 * QRS onsets from well before the window (so the preceding T waves are present) to past its end
 * (so the following P waves are), with RR = mean * (1 + respiratory sinus + clipped jitter).
 */
function scheduleBeats(spec: SyntheticSpec, rng: Rng): GeneratedBeat[] {
  const rrS = 60 / spec.hrBpm;
  const template = beatTemplate(spec);
  const wave = (name: string) => template.find((w) => w.name === name)!;
  const respPhase = rng.uniform(0, 2 * Math.PI);
  const respOmega = 2 * Math.PI * spec.hrv.respiratoryRateHz;
  const beats: GeneratedBeat[] = [];
  let onset = -rrS * (1 + rng.next()) - spec.prMs / 1000;
  const end = spec.durationS + spec.prMs / 1000 + rrS;
  while (onset < end) {
    const resp = Math.sin(respOmega * onset + respPhase);
    const ms = (x: number) => onset + x / 1000;
    beats.push({
      pOnS: ms(wave('P').onsetMs),
      pOffS: ms(wave('P').offsetMs),
      qrsOnS: onset,
      rPeakS: ms(wave('R').peakMs),
      qrsOffS: ms(spec.qrsMs),
      tOnS: ms(wave('T').onsetMs),
      tPeakS: ms(wave('T').peakMs),
      tOffS: ms(spec.qtMs),
      qrsScale: 1 + spec.hrv.amplitudeModulationFraction * resp,
    });
    const rr = rrS * (1 + spec.hrv.respiratoryDepthFraction * resp + rng.clippedGaussian(0, spec.hrv.rrJitterFraction, 2.5));
    onset += rr;
  }
  return beats;
}

function renderBeats(leads: Float64Array[], fs: number, spec: SyntheticSpec, beats: GeneratedBeat[]): void {
  const n = leads[0].length;
  const template = beatTemplate(spec);
  const projections = template.map((w) => projectDipole(w.dipole));
  for (const beat of beats) {
    for (let w = 0; w < template.length; w++) {
      const wave = template[w];
      const scale = wave.name === 'Q' || wave.name === 'R' || wave.name === 'S' ? beat.qrsScale : 1;
      const on = beat.qrsOnS + wave.onsetMs / 1000;
      const peak = beat.qrsOnS + wave.peakMs / 1000;
      const off = beat.qrsOnS + wave.offsetMs / 1000;
      const from = Math.max(0, Math.floor(on * fs) + 1);
      const to = Math.min(n - 1, Math.ceil(off * fs) - 1);
      const proj = projections[w];
      for (let i = from; i <= to; i++) {
        const g = waveShape(i / fs, on, peak, off) * scale;
        if (g === 0) continue;
        for (let l = 0; l < leads.length; l++) leads[l][i] += proj[l] * g;
      }
    }
  }
}

/**
 * 12 leads in STANDARD_LEADS order. I and II are rounded to float32 first and the derived leads are
 * computed from those rounded values, so III = II - I etc. hold exactly in the stored Float32Arrays.
 */
function toRecord(independent: Float64Array[], fs: number): EcgRecord {
  const n = independent[0].length;
  const byName = new Map<string, Float32Array>();
  INDEPENDENT_LEADS.forEach((name, l) => byName.set(name, Float32Array.from(independent[l])));
  const i1 = byName.get('I')!;
  const i2 = byName.get('II')!;
  const iii = new Float32Array(n);
  const avr = new Float32Array(n);
  const avl = new Float32Array(n);
  const avf = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    iii[k] = i2[k] - i1[k];
    avr[k] = -(i1[k] + i2[k]) / 2;
    avl[k] = i1[k] - i2[k] / 2;
    avf[k] = i2[k] - i1[k] / 2;
  }
  byName.set('III', iii).set('aVR', avr).set('aVL', avl).set('aVF', avf);
  return { sampleRateHz: fs, leads: STANDARD_LEADS.map((name) => ({ name, mv: byName.get(name)! })) };
}
