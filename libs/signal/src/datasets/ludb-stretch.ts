import { EcgRecord } from '../types';
import { LudbRecord } from './ludb';
import { LudbWave } from './ludb-waves';

/** The longest stretch the augmentation uses: past ~1.25 the reference's 400/700 ms P and T search windows start losing waves. */
export const MAX_LUDB_STRETCH = 1.25;

/**
 * Slows a LUDB record down by `factor` (>= 1) and cuts a window of the original length out of it, the
 * cardiologists' annotations moving with the samples. Labels derived from the moved annotations stay
 * exact: every interval scales by `factor`, HR by 1/factor, and the window start shifts by the cut.
 * Only stretching is offered: a compressed record would be shorter than a window.
 *
 * `startFraction` in [0, 1] places the cut within the stretched record (0 = its start, 1 = its end).
 */
export function stretchLudbRecord(ludb: LudbRecord, factor: number, startFraction: number): LudbRecord {
  if (!(factor >= 1 && factor <= MAX_LUDB_STRETCH)) throw new RangeError(`stretch factor must be in [1, ${MAX_LUDB_STRETCH}], got ${factor}`);
  if (!(startFraction >= 0 && startFraction <= 1)) throw new RangeError(`startFraction must be in [0, 1], got ${startFraction}`);
  const length = ludb.record.leads[0]?.mv.length ?? 0;
  const cut = Math.floor(startFraction * (Math.round(length * factor) - length));
  const record: EcgRecord = {
    sampleRateHz: ludb.record.sampleRateHz,
    leads: ludb.record.leads.map((lead) => ({ name: lead.name, mv: stretchSamples(lead.mv, factor, cut) })),
  };
  const waves = new Map<string, LudbWave[]>();
  for (const [lead, leadWaves] of ludb.waves) {
    const moved = leadWaves.map((wave) => moveWave(wave, factor, cut)).filter((wave) => withinWindow(wave, length));
    waves.set(lead, moved);
  }
  return { id: ludb.id, source: `${ludb.source}/stretch-${factor.toFixed(3)}@${cut}`, record, waves };
}

/** Linear interpolation: the factors are small (<= 1.25) and the network sees the record at half this rate. */
function stretchSamples(mv: Float32Array, factor: number, cut: number): Float32Array {
  const out = new Float32Array(mv.length);
  const last = mv.length - 1;
  for (let j = 0; j < out.length; j++) {
    const x = Math.min((j + cut) / factor, last);
    const i = Math.floor(x);
    const frac = x - i;
    out[j] = i >= last ? mv[last] : mv[i] * (1 - frac) + mv[i + 1] * frac;
  }
  return out;
}

function moveWave(wave: LudbWave, factor: number, cut: number): LudbWave {
  const move = (sample: number): number => Math.round(sample * factor) - cut;
  return {
    kind: wave.kind,
    onset: wave.onset === null ? null : move(wave.onset),
    peak: move(wave.peak),
    offset: wave.offset === null ? null : move(wave.offset),
  };
}

/** A wave cut by the window edge is dropped whole: a half wave would give a wrong boundary, not a missing one. */
function withinWindow(wave: LudbWave, length: number): boolean {
  return [wave.onset, wave.peak, wave.offset].every((sample) => sample === null || (sample >= 0 && sample < length));
}
