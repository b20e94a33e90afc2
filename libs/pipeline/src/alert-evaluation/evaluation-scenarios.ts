import {
  bedScenario,
  BedScenario,
  bradycardia,
  leadOffEpisodes,
  mixSeed,
  motionBursts,
  qrsWidening,
  qtProlongation,
  stableScenario,
  tachycardia,
  tPeaking,
} from '@aicrn/signal';

/**
 * `condition`: a scripted condition that must be alerted. `false_alarm`: a patient with nothing to
 * alarm about (stable, or stable with motion artefact) whose alerts are all false alarms.
 */
export type ScenarioRole = 'condition' | 'false_alarm';

export interface EvaluationScenario {
  name: string;
  role: ScenarioRole;
  /** What the scenario scripts, for the report. */
  description: string;
  /** Length of one bed's run (s). */
  durationS(profile: EvaluationProfile): number;
  build(seed: number, profile: EvaluationProfile): BedScenario;
}

/**
 * Timing of the condition scenarios. Conditions start after the 5-min baseline plus a margin, so
 * baseline-relative detectors are judged against a settled baseline (as on a ward: the patient is
 * monitored for a while before the drug or the electrolyte disturbance takes effect).
 */
export interface EvaluationProfile {
  /** Scenario time at which every scripted condition starts (s). */
  onsetS: number;
  /** How long the QT prolongation scenario keeps running after onset (s); the ramp itself is always 30 min. */
  qtRunS: number;
  /** How long the other condition scenarios keep running after onset (s). */
  conditionRunS: number;
  /** Lead-off scenario: number of sustained episodes. */
  leadOffEpisodes: number;
}

/** The full evaluation: QT run to the end of the 30-min ramp plus 5 min, so the 5-min QTc holds can complete. */
export const FULL_PROFILE: EvaluationProfile = { onsetS: 600, qtRunS: 2100, conditionRunS: 1200, leadOffEpisodes: 3 };
/** A reduced run for tests and `--quick`: conditions shortly after the baseline, the QT ramp watched for 20 min. */
export const QUICK_PROFILE: EvaluationProfile = { onsetS: 330, qtRunS: 1200, conditionRunS: 870, leadOffEpisodes: 2 };

const LEAD_OFF_EVERY_S = 420;
const LEAD_OFF_DURATION_S = 60;

/**
 * The scenarios of issue 6: stable patient with noise; QT +80 ms over 30 min; abrupt tachycardia;
 * QRS widening; T peaking; lead-off episodes; motion artefact bursts (plus bradycardia, which the
 * simulator also scripts). Every bed has its own resting heart and noise from its seed.
 */
export const EVALUATION_SCENARIOS: readonly EvaluationScenario[] = [
  {
    name: 'stable',
    role: 'false_alarm',
    description: 'resting heart with baseline wander, EMG and mains noise; nothing to alarm about',
    durationS: () => 3600,
    build: (seed) => stableScenario(seed),
  },
  {
    name: 'motion-artefact',
    role: 'false_alarm',
    description: '1.5 mV electrode-motion bursts of 3 s about every 40 s on a stable patient; correct response: no alarm',
    durationS: () => 3600,
    build: (seed) => bedScenario('motion-artefact', seed, [motionBursts({ startS: 15, everyS: 40, durationS: 3, amplitudeMv: 1.5, seed })]),
  },
  {
    name: 'qt-prolongation',
    role: 'condition',
    description: 'QT +80 ms over 30 min (drug effect), rate unchanged',
    durationS: (p) => p.onsetS + p.qtRunS,
    build: (seed, p) => bedScenario('qt-prolongation', seed, [qtProlongation({ startS: p.onsetS, durationS: 1800, deltaMs: 80 })]),
  },
  {
    name: 'tachycardia',
    role: 'condition',
    description: 'HR to 140 bpm within 20 s, for 5 min, then back',
    durationS: (p) => p.onsetS + Math.min(p.conditionRunS, 600),
    build: (seed, p) => bedScenario('tachycardia', seed, [tachycardia({ startS: p.onsetS, rampS: 20, targetHrBpm: 140, endS: p.onsetS + 300 })]),
  },
  {
    name: 'bradycardia',
    role: 'condition',
    description: 'HR to 40 bpm over 60 s, for 5 min, then back',
    durationS: (p) => p.onsetS + Math.min(p.conditionRunS, 600),
    build: (seed, p) => bedScenario('bradycardia', seed, [bradycardia({ startS: p.onsetS, rampS: 60, targetHrBpm: 40, endS: p.onsetS + 300 })]),
  },
  {
    name: 'qrs-widening',
    role: 'condition',
    description: 'QRS +50 ms over 10 min (conduction delay); QT lengthens by the same amount',
    durationS: (p) => p.onsetS + p.conditionRunS,
    build: (seed, p) => bedScenario('qrs-widening', seed, [qrsWidening({ startS: p.onsetS, durationS: 600, deltaMs: 50 })]),
  },
  {
    name: 't-peaking',
    role: 'condition',
    description: 'T amplitude x2.2, tented, over 10 min (hyperkalaemia pattern)',
    durationS: (p) => p.onsetS + p.conditionRunS,
    build: (seed, p) => bedScenario('t-peaking', seed, [tPeaking({ startS: p.onsetS, durationS: 600, factor: 2.2 })]),
  },
  {
    name: 'lead-off',
    role: 'condition',
    description: `V2 electrode off (flat) for ${LEAD_OFF_DURATION_S} s every ${LEAD_OFF_EVERY_S / 60} min, plus V4 railed for 12 s every 5 min (transient)`,
    durationS: (p) => p.onsetS + (p.leadOffEpisodes - 1) * LEAD_OFF_EVERY_S + LEAD_OFF_DURATION_S + 120,
    build: (seed, p) =>
      bedScenario('lead-off', seed, [
        leadOffEpisodes({ lead: 'V2', startS: p.onsetS, everyS: LEAD_OFF_EVERY_S, durationS: LEAD_OFF_DURATION_S, mode: 'flat' }),
        leadOffEpisodes({ lead: 'V4', startS: 100, everyS: 300, durationS: 12, mode: 'rail' }),
      ]),
  },
];

export function evaluationScenario(name: string): EvaluationScenario {
  const found = EVALUATION_SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown evaluation scenario '${name}'; options: ${EVALUATION_SCENARIOS.map((s) => s.name).join(', ')}`);
  return found;
}

/** One simulated bed of the evaluation. */
export interface EvaluationBed {
  /** Position in the plan (the ward simulator's bed index). */
  index: number;
  scenario: string;
  role: ScenarioRole;
  seed: number;
  durationS: number;
}

export interface EvaluationPlanOptions {
  /** Bed-hours of the false-alarm scenarios (stable and motion artefact, half each). */
  falseAlarmHours: number;
  /** Beds per condition scenario, each with its own seed. */
  bedsPerCondition: number;
  seed: number;
  profile: EvaluationProfile;
  /** Restrict to these scenarios (default: all). */
  scenarios?: readonly string[];
}

/**
 * The beds of an evaluation run: `bedsPerCondition` beds of each condition scenario, and 1-h beds
 * of the false-alarm scenarios adding up to `falseAlarmHours` (the last bed shorter if needed).
 */
export function planEvaluation(options: EvaluationPlanOptions): EvaluationBed[] {
  const { falseAlarmHours, bedsPerCondition, seed, profile } = options;
  if (!(Number.isFinite(falseAlarmHours) && falseAlarmHours >= 0)) throw new Error(`false-alarm hours must be >= 0, got ${falseAlarmHours}`);
  if (!(Number.isInteger(bedsPerCondition) && bedsPerCondition >= 0)) throw new Error(`beds per condition must be a whole number >= 0, got ${bedsPerCondition}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const chosen = (options.scenarios ?? EVALUATION_SCENARIOS.map((s) => s.name)).map(evaluationScenario);
  const beds: EvaluationBed[] = [];
  const add = (s: EvaluationScenario, k: number, durationS: number) =>
    beds.push({ index: beds.length, scenario: s.name, role: s.role, seed: mixSeed(seed, EVALUATION_SCENARIOS.indexOf(s) * 1000 + k) >>> 1, durationS });
  const falseAlarm = chosen.filter((s) => s.role === 'false_alarm');
  for (const s of falseAlarm) {
    // Whole 10-s windows; each false-alarm scenario gets an equal share of the hours.
    let remainingS = Math.round((falseAlarmHours * 3600) / falseAlarm.length / 10) * 10;
    for (let k = 0; remainingS > 0; k++) {
      const durationS = Math.min(s.durationS(profile), remainingS);
      add(s, k, durationS);
      remainingS -= durationS;
    }
  }
  for (const s of chosen.filter((c) => c.role === 'condition')) {
    for (let k = 0; k < bedsPerCondition; k++) add(s, k, s.durationS(profile));
  }
  return beds;
}
