import { LeadName } from '@aicrn/contracts';
import { generateWindow, SyntheticWindow } from './generator';
import { mixSeed, Rng } from './random';
import { LeadOffEpisode, MotionBurst, NoiseSpec, resolveSpec, SyntheticSpec, SyntheticSpecInput } from './spec';

export type ConditionKind =
  | 'qt_prolongation'
  | 'tachycardia'
  | 'bradycardia'
  | 'qrs_widening'
  | 't_peaking'
  | 'lead_off'
  | 'motion_artefact';

/** What a scenario scripts, in seconds since the bed started: the expected truth for alert evaluation. */
export interface ScriptedCondition {
  kind: ConditionKind;
  /** First moment the condition changes the signal. */
  onsetS: number;
  /** When it reaches its full effect (= onsetS for step changes and episodic artefacts). */
  fullS: number;
  /** When it is over; null = persists. */
  endS: number | null;
  description: string;
}

/** The heart while conditions are applied: QT is rebuilt from the rate afterwards (see heartToSpec). */
interface HeartState {
  spec: SyntheticSpec;
  qtExtraMs: number;
}

/** A scripted change: alters the heart at time t and/or adds noise events to a window. */
export interface Condition extends ScriptedCondition {
  applyTo?(heart: HeartState, tS: number): void;
  /** Artefact events overlapping [startS, startS + durationS), in window-relative seconds. */
  eventsIn?(startS: number, durationS: number): NoiseSpec;
}

/** A bed's script: its baseline heart and background noise, plus conditions with onset times. */
export interface BedScenario {
  name: string;
  seed: number;
  /** The bed's resting heart and background noise at t = 0 (resolved). */
  base: SyntheticSpec;
  conditions: ScriptedCondition[];
  /**
   * Spec of the window that starts at tS s since the bed started: heart rate and morphology as at the
   * window's midpoint, background noise plus the artefact events that fall into the window (shifted to
   * window time).
   */
  specAt(tS: number): SyntheticSpec;
  /** The window starting at tS, generated with a seed derived from the bed seed and tS (reproducible). */
  windowAt(tS: number): SyntheticWindow;
}

// ---- Conditions ---------------------------------------------------------------------------------

function ramp(tS: number, startS: number, durationS: number, endS: number | null = null): number {
  if (tS < startS) return 0;
  if (endS !== null && tS >= endS) return durationS > 0 ? Math.max(0, 1 - (tS - endS) / durationS) : 0;
  return durationS > 0 ? Math.min(1, (tS - startS) / durationS) : 1;
}

function requirePositive(what: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`${what} must be a positive number, got ${value}`);
}

/** QT lengthens linearly by deltaMs over durationS (on top of its rate adaptation). Default: +80 ms over 30 min. */
export function qtProlongation(options: { startS?: number; durationS?: number; deltaMs?: number } = {}): Condition {
  const { startS = 300, durationS = 1800, deltaMs = 80 } = options;
  requirePositive('qtProlongation durationS', durationS);
  return {
    kind: 'qt_prolongation',
    onsetS: startS,
    fullS: startS + durationS,
    endS: null,
    description: `QT +${deltaMs} ms over ${durationS} s from ${startS} s`,
    applyTo: (heart, t) => {
      heart.qtExtraMs += deltaMs * ramp(t, startS, durationS);
    },
  };
}

function rateChange(kind: 'tachycardia' | 'bradycardia', defaults: { targetHrBpm: number }) {
  return (options: { startS?: number; rampS?: number; targetHrBpm?: number; endS?: number | null } = {}): Condition => {
    const { startS = 120, rampS = 20, targetHrBpm = defaults.targetHrBpm, endS = null } = options;
    requirePositive(`${kind} targetHrBpm`, targetHrBpm);
    return {
      kind,
      onsetS: startS,
      fullS: startS + rampS,
      endS,
      description: `HR to ${targetHrBpm} bpm over ${rampS} s from ${startS} s${endS === null ? '' : ` until ${endS} s`}`,
      applyTo: (heart, t) => {
        const f = ramp(t, startS, rampS, endS);
        heart.spec.hrBpm += (targetHrBpm - heart.spec.hrBpm) * f;
      },
    };
  };
}

/** Abrupt (default 20 s ramp) rise of the heart rate; QT shortens with the rate. */
export const tachycardia = rateChange('tachycardia', { targetHrBpm: 140 });
/** Fall of the heart rate; QT lengthens with the rate. */
export const bradycardia = rateChange('bradycardia', { targetHrBpm: 40 });

/** QRS widens by deltaMs over durationS (bundle-branch-block-like); QT lengthens by the same amount. */
export function qrsWidening(options: { startS?: number; durationS?: number; deltaMs?: number } = {}): Condition {
  const { startS = 300, durationS = 600, deltaMs = 50 } = options;
  requirePositive('qrsWidening durationS', durationS);
  return {
    kind: 'qrs_widening',
    onsetS: startS,
    fullS: startS + durationS,
    endS: null,
    description: `QRS +${deltaMs} ms over ${durationS} s from ${startS} s`,
    applyTo: (heart, t) => {
      const d = deltaMs * ramp(t, startS, durationS);
      heart.spec.qrsMs += d;
      heart.qtExtraMs += d;
    },
  };
}

/**
 * Hyperkalaemia pattern: the V5 T amplitude grows by `factor` while R stays, and T becomes tented
 * (narrow, symmetric). factor 2 doubles T relative to R (the ">50 % relative to R" criterion at 1.5).
 */
export function tPeaking(options: { startS?: number; durationS?: number; factor?: number } = {}): Condition {
  const { startS = 300, durationS = 600, factor = 2.2 } = options;
  requirePositive('tPeaking durationS', durationS);
  requirePositive('tPeaking factor', factor);
  return {
    kind: 't_peaking',
    onsetS: startS,
    fullS: startS + durationS,
    endS: null,
    description: `T amplitude x${factor} (tented) over ${durationS} s from ${startS} s`,
    applyTo: (heart, t) => {
      const f = ramp(t, startS, durationS);
      const base = Math.max(heart.spec.tAmplitudeMv, 0.25);
      heart.spec.tAmplitudeMv = heart.spec.tAmplitudeMv + (base * factor - heart.spec.tAmplitudeMv) * f;
      heart.spec.tPeakedness = Math.max(heart.spec.tPeakedness, f);
    },
  };
}

/** Periodic events: the k-th starts at startS + k * everyS (k >= 0). */
function eventsOverlapping(startS: number, everyS: number, durationS: number, from: number, to: number): number[] {
  const starts: number[] = [];
  const k0 = Math.max(0, Math.floor((from - durationS - startS) / everyS));
  for (let k = k0; startS + k * everyS < to; k++) {
    const s = startS + k * everyS;
    if (s + durationS > from) starts.push(s);
  }
  return starts;
}

/** A lead drops out for durationS every everyS seconds (flat at 0 mV, or railed). */
export function leadOffEpisodes(options: { lead?: LeadName; startS?: number; everyS?: number; durationS?: number; mode?: 'flat' | 'rail' } = {}): Condition {
  const { lead = 'V2', startS = 60, everyS = 180, durationS = 20, mode = 'flat' } = options;
  requirePositive('leadOffEpisodes everyS', everyS);
  requirePositive('leadOffEpisodes durationS', durationS);
  return {
    kind: 'lead_off',
    onsetS: startS,
    fullS: startS,
    endS: null,
    description: `${lead} ${mode} for ${durationS} s every ${everyS} s from ${startS} s`,
    eventsIn: (from, duration) => ({
      leadOff: eventsOverlapping(startS, everyS, durationS, from, from + duration).map(
        (s): LeadOffEpisode => ({ lead, startS: s - from, durationS, mode }),
      ),
    }),
  };
}

/** Electrode-motion bursts of durationS every everyS seconds (start jittered by up to a third of everyS). */
export function motionBursts(options: { startS?: number; everyS?: number; durationS?: number; amplitudeMv?: number; leads?: LeadName[]; seed?: number } = {}): Condition {
  const { startS = 30, everyS = 60, durationS = 3, amplitudeMv = 1.5, leads, seed = 0 } = options;
  requirePositive('motionBursts everyS', everyS);
  requirePositive('motionBursts durationS', durationS);
  const jitter = (k: number) => (mixSeed(seed, k) / 2 ** 32) * (everyS / 3);
  return {
    kind: 'motion_artefact',
    onsetS: startS,
    fullS: startS,
    endS: null,
    description: `${amplitudeMv} mV motion bursts of ${durationS} s about every ${everyS} s from ${startS} s`,
    eventsIn: (from, duration) => {
      const bursts: MotionBurst[] = [];
      for (const s of eventsOverlapping(startS, everyS, durationS + everyS / 3, from, from + duration)) {
        const k = Math.round((s - startS) / everyS);
        const begin = s + jitter(k);
        if (begin < from + duration && begin + durationS > from) bursts.push({ startS: begin - from, durationS, amplitudeMv, ...(leads ? { leads } : {}) });
      }
      return { motion: bursts };
    },
  };
}

// ---- Scenarios ----------------------------------------------------------------------------------

/** Background noise of a monitored patient lying still: mild wander, EMG and mains pickup. */
export const REALISTIC_NOISE: NoiseSpec = {
  baselineWander: { amplitudeMv: 0.08, frequencyHz: 0.25 },
  emg: { rmsMv: 0.01 },
  mains: { amplitudeMv: 0.015, frequencyHz: 50 },
};

/** A resting adult heart drawn from the seed (HR 60-90, PR 140-190, QRS 80-104, QTc(Fridericia) 390-430). */
export function restingHeart(seed: number): SyntheticSpec {
  const rng = new Rng(mixSeed(seed, 0x5ced));
  const hrBpm = rng.uniform(60, 90);
  const qtcF = rng.uniform(390, 430);
  return resolveSpec({
    hrBpm,
    prMs: rng.uniform(140, 190),
    qrsMs: rng.uniform(80, 104),
    qtMs: qtcF * Math.cbrt(60 / hrBpm),
    pAmplitudeMv: rng.uniform(0.1, 0.2),
    rAmplitudeMv: rng.uniform(0.9, 2.0),
    tAmplitudeMv: rng.uniform(0.2, 0.5),
    qrsAxisDeg: rng.uniform(-20, 20),
    tAxisDeg: rng.uniform(-15, 15),
    noise: REALISTIC_NOISE,
  }).spec;
}

/**
 * Builds a scenario. QT follows the rate by Fridericia (QT * cbrt(RR / RR0)) so that a rate change
 * alone keeps QTc(Fridericia) constant; qt_prolongation and qrs_widening add on top.
 */
export function bedScenario(name: string, seed: number, conditions: Condition[], base: SyntheticSpecInput = restingHeart(seed)): BedScenario {
  if (!Number.isInteger(seed)) throw new Error(`bedScenario seed must be an integer, got ${seed}`);
  const resolvedBase = resolveSpec(base).spec;
  const heartAt = (tS: number): SyntheticSpec => {
    const heart: HeartState = { spec: { ...resolvedBase, hrv: { ...resolvedBase.hrv } }, qtExtraMs: 0 };
    for (const c of conditions) c.applyTo?.(heart, tS);
    const rateAdaptedQt = resolvedBase.qtMs * Math.cbrt(resolvedBase.hrBpm / heart.spec.hrBpm);
    return { ...heart.spec, qtMs: rateAdaptedQt + heart.qtExtraMs };
  };
  const specAt = (tS: number): SyntheticSpec => {
    if (!Number.isFinite(tS) || tS < 0) throw new Error(`scenario time must be >= 0 s, got ${tS}`);
    const durationS = resolvedBase.durationS;
    const spec = heartAt(tS + durationS / 2);
    const noise: NoiseSpec = { ...resolvedBase.noise, motion: [...(resolvedBase.noise.motion ?? [])], leadOff: [...(resolvedBase.noise.leadOff ?? [])] };
    for (const c of conditions) {
      const events = c.eventsIn?.(tS, durationS);
      if (events?.motion) noise.motion!.push(...events.motion);
      if (events?.leadOff) noise.leadOff!.push(...events.leadOff);
    }
    if (noise.motion!.length === 0) delete noise.motion;
    if (noise.leadOff!.length === 0) delete noise.leadOff;
    return { ...spec, noise };
  };
  return {
    name,
    seed,
    base: resolvedBase,
    conditions: conditions.map(({ kind, onsetS, fullS, endS, description }) => ({ kind, onsetS, fullS, endS, description })),
    specAt,
    windowAt: (tS) => generateWindow(specAt(tS), mixSeed(seed, Math.round(tS * 1000)), `scenario/${name}/bed-seed-${seed}/t-${tS}`),
  };
}

export function stableScenario(seed: number): BedScenario {
  return bedScenario('stable', seed, []);
}

/** The scenarios scenarioForBed cycles through (clinical time scale unless the name says demo). */
export const SCENARIO_NAMES = [
  'demo-tachycardia',
  'demo-qt-prolongation',
  'stable',
  'bradycardia',
  'qrs-widening',
  't-peaking',
  'lead-off',
  'motion-artefact',
  'qt-prolongation',
  'tachycardia',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function namedScenario(name: ScenarioName, seed: number): BedScenario {
  switch (name) {
    case 'demo-tachycardia':
      // 78 -> 145 bpm from 20 s over 15 s: HR > 120 from about 29 s, so a 30 s persistence alarms near 60-70 s.
      return bedScenario(name, seed, [tachycardia({ startS: 20, rampS: 15, targetHrBpm: 145 })], { ...restingHeart(seed), hrBpm: 78, qtMs: 400 * Math.cbrt(60 / 78) });
    case 'demo-qt-prolongation':
      // QTc crosses 500 ms about a minute in; with the 5 min QTc persistence the alarm follows about 5 min later.
      return bedScenario(name, seed, [qtProlongation({ startS: 20, durationS: 60, deltaMs: 120 })], { ...restingHeart(seed), hrBpm: 72, qtMs: 420 * Math.cbrt(60 / 72) });
    case 'stable':
      return stableScenario(seed);
    case 'bradycardia':
      return bedScenario(name, seed, [bradycardia({ startS: 120, rampS: 120, targetHrBpm: 40 })]);
    case 'qrs-widening':
      return bedScenario(name, seed, [qrsWidening({ startS: 120, durationS: 600, deltaMs: 60 })]);
    case 't-peaking':
      return bedScenario(name, seed, [tPeaking({ startS: 120, durationS: 600, factor: 2.2 })]);
    case 'lead-off':
      return bedScenario(name, seed, [leadOffEpisodes({ lead: 'V2', startS: 45, everyS: 150, durationS: 20, mode: 'flat' }), leadOffEpisodes({ lead: 'V4', startS: 100, everyS: 300, durationS: 12, mode: 'rail' })]);
    case 'motion-artefact':
      return bedScenario(name, seed, [motionBursts({ startS: 15, everyS: 40, durationS: 3, amplitudeMv: 1.5, seed })]);
    case 'qt-prolongation':
      return bedScenario(name, seed, [qtProlongation({ startS: 60, durationS: 1800, deltaMs: 80 })]);
    case 'tachycardia':
      return bedScenario(name, seed, [tachycardia({ startS: 300, rampS: 20, targetHrBpm: 135, endS: 900 })]);
    default:
      throw new Error(`unknown scenario '${String(name)}'; options: ${SCENARIO_NAMES.join(', ')}`);
  }
}

/**
 * The demo mix for N beds: bed 0 is the fast tachycardia demo (alarm within 2 min with the 30 s HR
 * persistence), bed 1 the demo-speed QT prolongation, then the clinical-time-scale scenarios in turn.
 * Every bed gets its own heart from (seed, index).
 */
export function scenarioForBed(index: number, seed: number): BedScenario {
  if (!Number.isInteger(index) || index < 0) throw new Error(`bed index must be a non-negative integer, got ${index}`);
  const name = index < 2 ? SCENARIO_NAMES[index] : SCENARIO_NAMES[2 + ((index - 2) % (SCENARIO_NAMES.length - 2))];
  return namedScenario(name, mixSeed(seed, index));
}
