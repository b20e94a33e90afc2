import { DEFAULTS } from '@aicrn/alarms';
import { bedScenario, leadOffEpisodes, stableScenario, tachycardia } from '@aicrn/signal';
import { EVALUATION_EPOCH_MS } from './bed-run';
import { FULL_PROFILE, evaluationScenario, planEvaluation } from './evaluation-scenarios';
import { groundTruth } from './ground-truth';

const truthOf = (scenario: ReturnType<typeof stableScenario>, durationS: number, qtcFormula: 'bazett' | 'fridericia' = 'fridericia') =>
  groundTruth({ bedId: 'bed-01', scenario, durationS, startedMs: EVALUATION_EPOCH_MS, settings: DEFAULTS, qtcFormula });
const atS = (ms: number) => (ms - EVALUATION_EPOCH_MS) / 1000;

describe('groundTruth', () => {
  it('a stable patient has nothing to alarm about', () => {
    expect(truthOf(stableScenario(3), 1800)).toEqual({ conditions: [], clinical: [] });
  });

  it('tachycardia: hr_high from the moment the scripted HR passes 120 bpm until it is back, required', () => {
    const scenario = bedScenario('t', 5, [tachycardia({ startS: 600, rampS: 20, targetHrBpm: 140, endS: 900 })], { ...stableScenario(5).base, hrBpm: 80 });
    const { conditions, clinical } = truthOf(scenario, 1200);
    const high = conditions.find((c) => c.kind === 'hr_high')!;
    // 80 -> 140 bpm over 20 s crosses 120 bpm after 13.3 s; back down from 900 s, below 120 after 906.7 s.
    expect(atS(high.onset_ms)).toBe(600);
    expect(atS(high.criterion_ms)).toBeCloseTo(614, 0);
    expect(atS(high.end_ms)).toBeCloseTo(907, 0);
    expect(high).toMatchObject({ cause: 'tachycardia', required: true });
    expect(conditions.find((c) => c.kind === 'hr_change')).toMatchObject({ required: true });
    // Fridericia: the scripted QT follows the rate, so no QTc kind is true.
    expect(conditions.filter((c) => c.kind.startsWith('qtc'))).toEqual([]);
    expect(clinical).toEqual([{ bed_id: 'bed-01', kind: 'tachycardia', onset_ms: EVALUATION_EPOCH_MS + 600_000, end_ms: EVALUATION_EPOCH_MS + 900_000, alarm_expected: true }]);
  });

  it('Bazett over-corrects at 140 bpm: QTc drift is then true, allowed but not required for tachycardia', () => {
    const scenario = bedScenario('t', 5, [tachycardia({ startS: 600, rampS: 20, targetHrBpm: 140, endS: 900 })], { ...stableScenario(5).base, hrBpm: 80 });
    const drift = truthOf(scenario, 1200, 'bazett').conditions.find((c) => c.kind === 'qtc_drift');
    expect(drift).toMatchObject({ cause: 'tachycardia', required: false });
  });

  it('lead-off: one truth per scripted episode; only episodes longer than the technical hold are required', () => {
    const scenario = bedScenario('l', 2, [
      leadOffEpisodes({ lead: 'V2', startS: 600, everyS: 420, durationS: 60 }),
      leadOffEpisodes({ lead: 'V4', startS: 100, everyS: 300, durationS: 12, mode: 'rail' }),
    ]);
    const leadOff = truthOf(scenario, 1200).conditions.filter((c) => c.kind === 'lead_off');
    expect(leadOff.map((c) => [atS(c.onset_ms), atS(c.end_ms), c.required])).toEqual([
      [100, 112, false],
      [400, 412, false],
      [600, 660, true],
      [700, 712, false],
      [1000, 1012, false],
      [1020, 1080, true],
    ]);
  });
});

describe('planEvaluation', () => {
  it('splits the false-alarm hours over stable and motion artefact in beds of at most 1 h, and seeds every bed differently', () => {
    const beds = planEvaluation({ falseAlarmHours: 3, bedsPerCondition: 2, seed: 1, profile: FULL_PROFILE });
    const hours = (name: string) => beds.filter((b) => b.scenario === name).reduce((s, b) => s + b.durationS, 0) / 3600;
    expect(hours('stable')).toBe(1.5);
    expect(hours('motion-artefact')).toBe(1.5);
    expect(Math.max(...beds.map((b) => (b.role === 'false_alarm' ? b.durationS : 0)))).toBe(3600);
    expect(beds.filter((b) => b.scenario === 'qt-prolongation')).toHaveLength(2);
    expect(new Set(beds.map((b) => b.seed)).size).toBe(beds.length);
    expect(beds.map((b) => b.index)).toEqual(beds.map((_, i) => i));
  });

  it('names the options for an unknown scenario and rejects bad counts', () => {
    expect(() => evaluationScenario('sepsis')).toThrow(/unknown evaluation scenario 'sepsis'; options: stable, motion-artefact/);
    expect(() => planEvaluation({ falseAlarmHours: -1, bedsPerCondition: 1, seed: 1, profile: FULL_PROFILE })).toThrow(/hours/);
    expect(() => planEvaluation({ falseAlarmHours: 1, bedsPerCondition: 1.5, seed: 1, profile: FULL_PROFILE })).toThrow(/beds per condition/);
  });
});
