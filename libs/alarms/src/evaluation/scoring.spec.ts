import { Alert } from '@aicrn/contracts';
import { BedAlarms } from '../bed-alarms';
import { observeAll, T0_MS, windows } from '../test-support/measurement-factory';
import { scoreAlerts, ScriptedCondition } from './scoring';

const MIN = 60_000;
const HOUR = 60 * MIN;

function alert(id: string, bed: string, kind: string, raisedMs: number, state: Alert['state'] = 'raised'): Alert {
  return {
    alert_id: id,
    event_id: `${id}:0:${state}`,
    bed_id: bed,
    kind,
    category: 'physiological',
    priority: 'medium',
    state,
    parameter: null,
    value: null,
    baseline: null,
    threshold: null,
    rule: '',
    message: '',
    evidence_window_ids: [],
    attention: [],
    onset_ms: raisedMs,
    raised_ms: raisedMs,
    updated_ms: raisedMs,
    acknowledged_by: null,
    acknowledged_ms: null,
    cleared_ms: null,
    latched: false,
  };
}

describe('scoreAlerts', () => {
  const conditions: ScriptedCondition[] = [
    { bed_id: 'b1', kind: 'qtc_prolonged', onset_ms: 10 * MIN, end_ms: 40 * MIN },
    { bed_id: 'b2', kind: 'qtc_prolonged', onset_ms: 0, end_ms: 20 * MIN },
    { bed_id: 'b1', kind: 'hr_high', onset_ms: 50 * MIN, end_ms: 51 * MIN },
  ];
  const monitored = [
    { bed_id: 'b1', start_ms: 0, end_ms: HOUR },
    { bed_id: 'b1', start_ms: 30 * MIN, end_ms: 2 * HOUR }, // overlaps: b1 counts 2 h
    { bed_id: 'b2', start_ms: 0, end_ms: 2 * HOUR },
  ];

  it('computes sensitivity, false alarms per bed-hour and delays per kind', () => {
    const alerts = [
      alert('a1', 'b1', 'qtc_prolonged', 16 * MIN),
      alert('a1', 'b1', 'qtc_prolonged', 16 * MIN, 'acknowledged'), // a later event of the same alert
      alert('a2', 'b1', 'qtc_prolonged', 30 * MIN), // re-raise inside the same condition
      alert('a3', 'b2', 'qtc_prolonged', 90 * MIN), // no condition then: false alarm
      alert('a4', 'b2', 'hr_high', 50.5 * MIN), // condition is on b1, not b2: false alarm
    ];
    const score = scoreAlerts({ conditions, alerts, monitored });
    expect(score.bed_hours).toBe(4);
    const qtc = score.kinds.find((k) => k.kind === 'qtc_prolonged')!;
    expect(qtc).toMatchObject({ conditions: 2, detected: 1, sensitivity: 0.5, alerts: 3, false_alarms: 1, false_alarms_per_bed_hour: 0.25, duplicate_alerts: 1 });
    expect(qtc.onset_to_alert).toMatchObject({ count: 1, median_ms: 6 * MIN, max_ms: 6 * MIN });
    expect(qtc.after_hold.median_ms).toBe(MIN); // default hold 5 min
    expect(qtc.missed).toEqual([conditions[1]]);
    const hr = score.kinds.find((k) => k.kind === 'hr_high')!;
    expect(hr).toMatchObject({ conditions: 1, detected: 0, sensitivity: 0, false_alarms: 1 });
    expect(hr.onset_to_alert.median_ms).toBeNull();
  });

  it('accepts an alert shortly after the condition end (late tolerance), not later', () => {
    const c = [{ bed_id: 'b1', kind: 'hr_high', onset_ms: 0, end_ms: MIN }];
    expect(scoreAlerts({ conditions: c, alerts: [alert('x', 'b1', 'hr_high', 1.5 * MIN)], monitored }).kinds[0].detected).toBe(1);
    expect(scoreAlerts({ conditions: c, alerts: [alert('x', 'b1', 'hr_high', 3 * MIN)], monitored }).kinds[0].false_alarms).toBe(1);
    expect(scoreAlerts({ conditions: c, alerts: [alert('x', 'b1', 'hr_high', -1)], monitored }).kinds[0].false_alarms).toBe(1);
  });

  it('lets an alert kind detect related conditions when told (drift for a prolongation)', () => {
    const alerts = [alert('d', 'b1', 'qtc_drift', 12 * MIN)];
    const plain = scoreAlerts({ conditions, alerts, monitored });
    expect(plain.kinds.find((k) => k.kind === 'qtc_drift')!.false_alarms).toBe(1);
    const related = scoreAlerts({ conditions, alerts, monitored, options: { also_detects: { qtc_drift: ['qtc_prolonged'] } } });
    expect(related.kinds.find((k) => k.kind === 'qtc_drift')!.false_alarms).toBe(0);
    expect(related.kinds.find((k) => k.kind === 'qtc_prolonged')!.detected).toBe(1);
    expect(related.kinds.find((k) => k.kind === 'qtc_drift')!.sensitivity).toBeNull();
    expect(related.kinds.find((k) => k.kind === 'qtc_drift')!.notes[0]).toMatch(/no scripted condition/);
  });

  it('nulls rates it cannot compute, with the reason', () => {
    const score = scoreAlerts({ conditions: [], alerts: [alert('x', 'b1', 'custom', 0)], monitored: [] });
    expect(score.kinds[0]).toMatchObject({ sensitivity: null, false_alarms_per_bed_hour: null, false_alarms: 1 });
    expect(score.kinds[0].notes.join(' ')).toMatch(/no monitored time/);
  });

  it('rejects malformed conditions and spans, naming them', () => {
    expect(() => scoreAlerts({ conditions: [{ bed_id: 'b', kind: 'x', onset_ms: 5, end_ms: 1 }], alerts: [], monitored: [] })).toThrow(/conditions\[0\]/);
    expect(() => scoreAlerts({ conditions: [], alerts: [], monitored: [{ bed_id: '', start_ms: 0, end_ms: 1 }] })).toThrow(/monitored\[0\]: bed_id/);
  });

  it('scores real engine output: a scripted tachycardia is detected 30 s after onset', () => {
    const e = new BedAlarms('b1');
    const onsetIndex = 40;
    const events = observeAll(e, windows(0, 90, (i) => (i >= onsetIndex && i < 60 ? { hr_bpm: 135 } : {}), 'b1'));
    const onset = T0_MS + onsetIndex * 10_000;
    const score = scoreAlerts({
      conditions: [{ bed_id: 'b1', kind: 'hr_high', onset_ms: onset, end_ms: T0_MS + 60 * 10_000 }, { bed_id: 'b1', kind: 'hr_change', onset_ms: onset, end_ms: T0_MS + 60 * 10_000 }],
      alerts: events,
      monitored: [{ bed_id: 'b1', start_ms: T0_MS, end_ms: T0_MS + 90 * 10_000 }],
    });
    const hr = score.kinds.find((k) => k.kind === 'hr_high')!;
    expect(hr).toMatchObject({ sensitivity: 1, false_alarms: 0 });
    expect(hr.onset_to_alert.median_ms).toBe(30_000);
    expect(hr.after_hold.median_ms).toBe(0);
  });
});
