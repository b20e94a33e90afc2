import { AlarmSettings, DRIFT_KINDS, DriftKind, KIND_PARAMETER, PhysiologicalKind } from '@aicrn/alarms';
import { BedScenario, ConditionKind, correctQt, QtcFormula, SyntheticSpec } from '@aicrn/signal';

/**
 * Ground truth of one bed, from its script alone (the noise-free heart and the scripted artefact
 * events), never from what the pipeline measured.
 *
 * An alert kind's condition is true while the scripted parameter meets that kind's criterion with
 * the bed's settings (e.g. hr_high: scripted HR > 120 bpm; qtc_increase: scripted QTc more than
 * 60 ms over the scripted baseline). Drift kinds are true while the scripted parameter is at least
 * the shift their CUSUM is designed to detect (2 x allowance x SD floor: 16 ms for QTc) above its
 * baseline. lead_off is true during each scripted electrode-off episode. An alert of a kind is a true
 * alarm only when its kind's condition was true; anything else is a false alarm.
 */
export interface TruthCondition {
  bed_id: string;
  /** Alert kind that this truth justifies. */
  kind: string;
  /** The scripted condition behind it (for technical kinds, the episode's condition kind). */
  cause: ConditionKind;
  /** Onset of the scripted condition (epoch ms): time to alert is measured from here. */
  onset_ms: number;
  /** When the alert kind's criterion became true in the script (epoch ms). */
  criterion_ms: number;
  /** When it stopped being true, or the end of the run (epoch ms). */
  end_ms: number;
  /**
   * The criterion held long enough for the detector (its persistence plus a margin) and the kind is
   * one that is meant to announce `cause` (see PRIMARY_ALERT_KINDS): the alert must come. Otherwise
   * the alert is allowed (not a false alarm) but not required.
   */
  required: boolean;
}

/** A scripted clinical condition of a bed, for the per-condition sensitivity. */
export interface ClinicalCondition {
  bed_id: string;
  kind: ConditionKind;
  onset_ms: number;
  end_ms: number;
  /** False for conditions whose correct response is no alarm (motion artefact). */
  alarm_expected: boolean;
}

/**
 * The alert kinds that announce each scripted condition; the condition counts as alerted when any
 * of them is raised. Motion artefact bursts of a few seconds leave most of every window measurable:
 * the correct response is no alarm at all (a noisy_signal alert needs 30 s of unusable signal), so
 * every alert on such a bed is a false alarm.
 */
export const PRIMARY_ALERT_KINDS: Readonly<Record<ConditionKind, readonly string[]>> = {
  qt_prolongation: ['qtc_drift', 'qtc_increase', 'qtc_prolonged'],
  tachycardia: ['hr_high', 'hr_change'],
  bradycardia: ['hr_low', 'hr_change'],
  qrs_widening: ['qrs_widening', 'qrs_wide', 'qrs_drift'],
  t_peaking: ['t_peaking'],
  lead_off: ['lead_off'],
  motion_artefact: [],
};

/** Scripted heart parameters at one instant. */
interface TruthSample {
  t_s: number;
  hr_bpm: number;
  pr_ms: number;
  qrs_ms: number;
  qtc_ms: number;
  t_amp_mv: number;
}

const STEP_S = 1;

export interface GroundTruthInput {
  bedId: string;
  scenario: BedScenario;
  durationS: number;
  startedMs: number;
  settings: AlarmSettings;
  qtcFormula: QtcFormula;
}

export interface BedGroundTruth {
  conditions: TruthCondition[];
  clinical: ClinicalCondition[];
}

export function groundTruth(input: GroundTruthInput): BedGroundTruth {
  const { scenario, durationS } = input;
  if (!(durationS > 0)) throw new Error(`ground truth needs a positive duration, got ${durationS}`);
  const samples = sampleHeart(scenario, durationS, input.qtcFormula);
  const baselineEndS = input.settings.baseline.duration_ms / 1000;
  const baseline = baselineOf(samples.filter((s) => s.t_s < baselineEndS));
  const physiological = scenario.conditions.filter((c) => c.kind !== 'lead_off' && c.kind !== 'motion_artefact');
  const conditions: TruthCondition[] = [];
  const ms = (s: number) => input.startedMs + Math.round(s * 1000);

  for (const kind of Object.keys(input.settings.rules) as PhysiologicalKind[]) {
    const rule = input.settings.rules[kind];
    if (!rule.enabled) continue;
    const meets = criterion(kind, input.settings, baseline);
    for (const span of spans(samples, meets, durationS)) {
      // The scripted condition that was under way when the criterion became true.
      const cause = [...physiological].reverse().find((c) => c.onsetS <= span.fromS) ?? null;
      if (!cause) continue; // a criterion met without any scripted change would be a flaw of the truth model
      const margin = (DRIFT_KINDS as readonly string[]).includes(kind) ? DRIFT_MARGIN_S : HOLD_MARGIN_S;
      const longEnough = span.toS - span.fromS >= rule.hold_ms / 1000 + margin;
      conditions.push({
        bed_id: input.bedId,
        kind,
        cause: cause.kind,
        onset_ms: ms(cause.onsetS),
        criterion_ms: ms(span.fromS),
        end_ms: ms(span.toS),
        required: longEnough && PRIMARY_ALERT_KINDS[cause.kind].includes(kind),
      });
    }
  }

  const techHoldS = input.settings.quality.technical_hold_ms / 1000;
  for (const episode of leadOffEpisodes(scenario, durationS)) {
    conditions.push({
      bed_id: input.bedId,
      kind: 'lead_off',
      cause: 'lead_off',
      onset_ms: ms(episode.fromS),
      criterion_ms: ms(episode.fromS),
      end_ms: ms(episode.toS),
      required: episode.toS - episode.fromS >= techHoldS + HOLD_MARGIN_S,
    });
  }

  const clinical: ClinicalCondition[] = [];
  for (const c of scenario.conditions) {
    if (c.kind === 'lead_off') continue; // per episode, below
    clinical.push({ bed_id: input.bedId, kind: c.kind, onset_ms: ms(c.onsetS), end_ms: ms(Math.min(c.endS ?? durationS, durationS)), alarm_expected: c.kind !== 'motion_artefact' });
  }
  for (const t of conditions.filter((c) => c.kind === 'lead_off' && c.required)) {
    clinical.push({ bed_id: input.bedId, kind: 'lead_off', onset_ms: t.onset_ms, end_ms: t.end_ms, alarm_expected: true });
  }
  return { conditions, clinical };
}

/** A criterion must hold this long beyond the persistence period before its alert is required (10-s windows, one of them straddling the crossing). */
const HOLD_MARGIN_S = 10;
/** Drift: the CUSUM must also accumulate; a 2-SD shift needs about 8 windows beyond its persistence. */
const DRIFT_MARGIN_S = 600;

function sampleHeart(scenario: BedScenario, durationS: number, formula: QtcFormula): TruthSample[] {
  const half = scenario.base.durationS / 2;
  const out: TruthSample[] = [];
  for (let t = 0; t <= durationS; t += STEP_S) {
    // specAt(tS) is the heart at the middle of the window starting at tS.
    const spec: SyntheticSpec = scenario.specAt(Math.max(0, t - half));
    out.push({
      t_s: t,
      hr_bpm: spec.hrBpm,
      pr_ms: spec.prMs,
      qrs_ms: spec.qrsMs,
      qtc_ms: correctQt(spec.qtMs, 60_000 / spec.hrBpm, formula) ?? Number.NaN,
      t_amp_mv: spec.tAmplitudeMv,
    });
  }
  return out;
}

type Baseline = Omit<TruthSample, 't_s'>;

function baselineOf(samples: TruthSample[]): Baseline {
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return s[s.length >> 1];
  };
  return {
    hr_bpm: median(samples.map((s) => s.hr_bpm)),
    pr_ms: median(samples.map((s) => s.pr_ms)),
    qrs_ms: median(samples.map((s) => s.qrs_ms)),
    qtc_ms: median(samples.map((s) => s.qtc_ms)),
    t_amp_mv: median(samples.map((s) => s.t_amp_mv)),
  };
}

const DRIFT_PARAMETER: Record<DriftKind, 'qtc_ms' | 'qrs_ms' | 'pr_ms'> = { qtc_drift: 'qtc_ms', qrs_drift: 'qrs_ms', pr_drift: 'pr_ms' };

/** The detector's criterion applied to the scripted parameters. */
function criterion(kind: PhysiologicalKind, settings: AlarmSettings, b: Baseline): (s: TruthSample) => boolean {
  const r = settings.rules;
  switch (kind) {
    case 'qtc_prolonged':
      return (s) => s.qtc_ms > r.qtc_prolonged.threshold_ms;
    case 'hr_high':
      return (s) => s.hr_bpm > r.hr_high.threshold_bpm;
    case 'hr_low':
      return (s) => s.hr_bpm < r.hr_low.threshold_bpm;
    case 'qrs_wide':
      return (s) => s.qrs_ms > r.qrs_wide.threshold_ms;
    case 'pr_prolonged':
      return (s) => s.pr_ms > r.pr_prolonged.threshold_ms;
    case 'qtc_increase':
      return (s) => s.qtc_ms - b.qtc_ms > r.qtc_increase.increase_ms;
    case 'qrs_widening':
      return (s) => (s.qrs_ms / b.qrs_ms - 1) * 100 > r.qrs_widening.change_pct;
    case 't_peaking':
      // No scenario changes R, so the T/R ratio rises exactly as T does; both limits apply.
      return (s) => {
        const rise = (s.t_amp_mv / b.t_amp_mv - 1) * 100;
        return b.t_amp_mv >= r.t_peaking.min_baseline_t_mv && rise > r.t_peaking.t_increase_pct && rise > r.t_peaking.t_r_ratio_increase_pct;
      };
    case 'hr_change':
      return (s) => Math.abs(s.hr_bpm / b.hr_bpm - 1) * 100 > r.hr_change.change_pct;
    case 'qtc_drift':
    case 'qrs_drift':
    case 'pr_drift': {
      const rule = r[kind];
      const p = DRIFT_PARAMETER[kind];
      const shift = 2 * rule.allowance_sd * rule.min_sd_ms;
      const sign = rule.direction === 'down' ? -1 : 1;
      return rule.direction === 'both' ? (s) => Math.abs(s[p] - b[p]) >= shift : (s) => sign * (s[p] - b[p]) >= shift;
    }
    default:
      throw new Error(`no ground-truth criterion for alert kind '${String(kind)}' (parameter ${KIND_PARAMETER[kind as PhysiologicalKind]})`);
  }
}

/** Maximal runs of samples meeting `meets`, as [fromS, toS). */
function spans(samples: TruthSample[], meets: (s: TruthSample) => boolean, durationS: number): Array<{ fromS: number; toS: number }> {
  const out: Array<{ fromS: number; toS: number }> = [];
  let from: number | null = null;
  for (const s of samples) {
    if (meets(s)) from ??= s.t_s;
    else if (from !== null) {
      out.push({ fromS: from, toS: s.t_s });
      from = null;
    }
  }
  if (from !== null) out.push({ fromS: from, toS: durationS });
  return out;
}

/** Electrode-off episodes as scripted (overlapping or touching episodes of any lead merged). */
function leadOffEpisodes(scenario: BedScenario, durationS: number): Array<{ fromS: number; toS: number }> {
  const windowS = scenario.base.durationS;
  const raw: Array<{ fromS: number; toS: number }> = [];
  for (let t = 0; t + windowS <= durationS; t += windowS) {
    for (const e of scenario.specAt(t).noise.leadOff ?? []) raw.push({ fromS: t + e.startS, toS: Math.min(durationS, t + e.startS + e.durationS) });
  }
  raw.sort((a, b) => a.fromS - b.fromS);
  const merged: Array<{ fromS: number; toS: number }> = [];
  for (const e of raw) {
    const last = merged[merged.length - 1];
    if (last && e.fromS <= last.toS + 1e-6) last.toS = Math.max(last.toS, e.toS);
    else merged.push({ ...e });
  }
  return merged;
}
