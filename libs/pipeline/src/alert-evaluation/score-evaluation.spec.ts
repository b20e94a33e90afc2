import { Alert } from '@aicrn/contracts';
import { DEFAULTS } from '@aicrn/alarms';
import { EVALUATION_EPOCH_MS } from './bed-run';
import { EvaluatedBed, poissonUpper95, scoreEvaluation } from './score-evaluation';
import { TruthCondition } from './ground-truth';

const T = (s: number) => EVALUATION_EPOCH_MS + s * 1000;

function alert(bed: string, kind: string, raisedS: number, n = 0): Alert {
  return { alert_id: `${bed}-${kind}-${raisedS}-${n}`, event_id: `e${raisedS}`, bed_id: bed, kind, raised_ms: T(raisedS) } as Alert;
}

function bed(id: string, role: 'condition' | 'false_alarm', scenario: string, durationS: number, events: Alert[], conditions: TruthCondition[] = [], clinical: EvaluatedBed['truth']['clinical'] = []): EvaluatedBed {
  return {
    bed: { index: 0, scenario, role, seed: 1, durationS },
    result: { bed_id: id, start_ms: T(0), end_ms: T(durationS), events, stats: { windows: durationS / 10, rejected: 0, rejected_reasons: [], below_quality_gate: 0, unmeasured: {} } },
    truth: { conditions, clinical },
  };
}

describe('scoreEvaluation', () => {
  const tachyTruth = (id: string): TruthCondition[] => [
    { bed_id: id, kind: 'hr_high', cause: 'tachycardia', onset_ms: T(600), criterion_ms: T(614), end_ms: T(900), required: true },
    { bed_id: id, kind: 'qtc_drift', cause: 'tachycardia', onset_ms: T(600), criterion_ms: T(620), end_ms: T(900), required: false },
  ];
  const clinical = (id: string) => [{ bed_id: id, kind: 'tachycardia' as const, onset_ms: T(600), end_ms: T(900), alarm_expected: true }];

  it('scores sensitivity, delay after the hold from the criterion crossing, and false alarms per bed-hour', () => {
    const scores = scoreEvaluation(
      [
        bed('bed-01', 'condition', 'tachycardia', 1200, [alert('bed-01', 'hr_high', 660), alert('bed-01', 'qtc_drift', 800)], tachyTruth('bed-01'), clinical('bed-01')),
        bed('bed-02', 'false_alarm', 'stable', 3600, [alert('bed-02', 'hr_high', 1000)]),
      ],
      DEFAULTS,
    );
    const hr = scores.alert_kinds.find((k) => k.kind === 'hr_high')!;
    expect(hr).toMatchObject({ required: 1, detected: 1, sensitivity: 1, alerts: 2, false_alarms: 1 });
    expect(hr.onset_to_alert.max_ms).toBe(60_000);
    expect(hr.after_hold.max_ms).toBe(660_000 - 614_000 - 30_000); // 16 s: over the 10-s limit
    // The Bazett QTc drift during tachycardia is true (allowed), so not a false alarm.
    expect(scores.alert_kinds.find((k) => k.kind === 'qtc_drift')).toMatchObject({ required: 0, allowed_only: 1, false_alarms: 0 });
    expect(scores.conditions).toEqual([expect.objectContaining({ kind: 'tachycardia', detected: 1, sensitivity: 1 })]);
    expect(scores.false_alarm_scenarios).toMatchObject({ bed_hours: 1, false_alarms: 1, per_bed_hour: 1, by_kind: { hr_high: 1 } });
    expect(scores.checks.map((c) => [c.name, c.passed])).toEqual([
      ['every scripted condition alerted', true],
      ['HR alerts within 10 s after the persistence period', false],
      ['false alarms per bed-hour on stable and artefact scenarios', false],
    ]);
  });

  it('reports a missed condition with its bed', () => {
    const scores = scoreEvaluation([bed('bed-01', 'condition', 'tachycardia', 1200, [], tachyTruth('bed-01'), clinical('bed-01'))], DEFAULTS);
    expect(scores.conditions[0]).toMatchObject({ detected: 0, sensitivity: 0, missed: [{ bed_id: 'bed-01', onset_ms: T(600) }] });
    expect(scores.alert_kinds.find((k) => k.kind === 'hr_high')!.missed).toEqual([{ bed_id: 'bed-01', cause: 'tachycardia', criterion_ms: T(614) }]);
    expect(scores.checks[0].passed).toBe(false);
  });
});

describe('poissonUpper95', () => {
  it('is the exact one-sided bound (3.0 for no events, 4.74 for one)', () => {
    expect(poissonUpper95(0)).toBeCloseTo(2.996, 3);
    expect(poissonUpper95(1)).toBeCloseTo(4.744, 3);
  });
});
