import { LeadName } from '@aicrn/contracts';
import { Rng } from './random';
import { INDEPENDENT_LEADS, NoiseSpec, RAIL_MV } from './spec';

/**
 * Noise enters at the electrodes, so it is added to the independently recorded leads (I, II, V1..V6)
 * before III, aVR, aVL and aVF are derived: the Einthoven/Goldberger identities hold for noisy windows
 * too. Device faults (lead-off, saturation) act on the output leads afterwards.
 */
export function addElectrodeNoise(leads: Float64Array[], sampleRateHz: number, noise: NoiseSpec, rng: Rng): void {
  const n = leads[0]?.length ?? 0;
  const dt = 1 / sampleRateHz;
  if (noise.baselineWander && noise.baselineWander.amplitudeMv > 0) {
    const { amplitudeMv } = noise.baselineWander;
    const f = noise.baselineWander.frequencyHz ?? 0.25;
    if (!(f > 0)) throw new Error(`noise.baselineWander.frequencyHz must be > 0, got ${f}`);
    const drift = rng.uniform(0.03, 0.1);
    for (const lead of leads) {
      const gain = amplitudeMv * rng.uniform(0.5, 1);
      const phase1 = rng.uniform(0, 2 * Math.PI);
      const phase2 = rng.uniform(0, 2 * Math.PI);
      for (let i = 0; i < n; i++) {
        const t = i * dt;
        lead[i] += gain * (0.7 * Math.sin(2 * Math.PI * f * t + phase1) + 0.3 * Math.sin(2 * Math.PI * drift * t + phase2));
      }
    }
  }
  if (noise.emg && noise.emg.rmsMv > 0) {
    for (const lead of leads) {
      const rms = noise.emg.rmsMv * rng.uniform(0.7, 1.3);
      for (let i = 0; i < n; i++) lead[i] += rng.gaussian(0, rms);
    }
  }
  if (noise.mains && noise.mains.amplitudeMv > 0) {
    const f = noise.mains.frequencyHz;
    if (f !== 50 && f !== 60) throw new Error(`noise.mains.frequencyHz must be 50 or 60, got ${String(f)}`);
    for (const lead of leads) {
      const a = noise.mains.amplitudeMv * rng.uniform(0.6, 1);
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let i = 0; i < n; i++) {
        const w = 2 * Math.PI * f * i * dt + phase;
        lead[i] += a * (Math.sin(w) + 0.1 * Math.sin(3 * w));
      }
    }
  }
  for (const burst of noise.motion ?? []) {
    const targets = burst.leads ?? [...INDEPENDENT_LEADS];
    for (const name of targets) {
      const index = (INDEPENDENT_LEADS as readonly string[]).indexOf(name);
      if (index < 0) throw new Error(`noise.motion lead ${name} is not independently recorded; use one of ${INDEPENDENT_LEADS.join(', ')}`);
      addMotionBurst(leads[index], sampleRateHz, burst.startS, burst.durationS, burst.amplitudeMv, rng);
    }
  }
}

/**
 * Electrode motion: a Hann-windowed mix of 0.5-6 Hz oscillations plus a step that relaxes back,
 * like a cable tug (the shape that defeats baseline filters and mimics beats).
 */
function addMotionBurst(lead: Float64Array, fs: number, startS: number, durationS: number, amplitudeMv: number, rng: Rng): void {
  if (!(durationS > 0)) return;
  const from = Math.max(0, Math.ceil(startS * fs));
  const to = Math.min(lead.length, Math.floor((startS + durationS) * fs));
  const tones = [0, 1, 2].map(() => ({ f: rng.uniform(0.5, 6), phase: rng.uniform(0, 2 * Math.PI), a: rng.uniform(0.3, 1) }));
  const norm = tones.reduce((s, t) => s + t.a, 0);
  const step = rng.uniform(-1, 1) * amplitudeMv;
  const relaxS = rng.uniform(0.2, 0.8);
  for (let i = from; i < to; i++) {
    const t = i / fs - startS;
    const envelope = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / durationS);
    let v = 0;
    for (const tone of tones) v += tone.a * Math.sin(2 * Math.PI * tone.f * t + tone.phase);
    lead[i] += envelope * (amplitudeMv * (v / norm)) + step * Math.exp(-t / relaxS) * Math.min(1, (t * fs) / 5);
  }
}

/** Lead-off and saturation on the output leads (named like STANDARD_LEADS). */
export function applyDeviceFaults(leads: Array<{ name: LeadName; mv: Float32Array }>, sampleRateHz: number, noise: NoiseSpec): void {
  const byName = new Map(leads.map((l) => [l.name as string, l.mv]));
  for (const episode of noise.leadOff ?? []) {
    const mv = byName.get(episode.lead);
    if (!mv) throw new Error(`noise.leadOff lead ${episode.lead} is not one of ${[...byName.keys()].join(', ')}`);
    if (episode.mode !== 'flat' && episode.mode !== 'rail') throw new Error(`noise.leadOff mode must be 'flat' or 'rail', got ${String(episode.mode)}`);
    const level = episode.levelMv ?? (episode.mode === 'rail' ? RAIL_MV : 0);
    const from = Math.max(0, Math.ceil(episode.startS * sampleRateHz));
    const to = Math.min(mv.length, Math.ceil((episode.startS + episode.durationS) * sampleRateHz));
    mv.fill(level, from, Math.max(from, to));
  }
  const saturation = noise.saturation;
  if (saturation) {
    if (!(saturation.limitMv > 0)) throw new Error(`noise.saturation.limitMv must be > 0, got ${saturation.limitMv}`);
    const limit = Math.fround(saturation.limitMv);
    for (const name of saturation.leads ?? leads.map((l) => l.name)) {
      const mv = byName.get(name);
      if (!mv) throw new Error(`noise.saturation lead ${name} is not one of ${[...byName.keys()].join(', ')}`);
      for (let i = 0; i < mv.length; i++) mv[i] = mv[i] > limit ? limit : mv[i] < -limit ? -limit : mv[i];
    }
  }
}
