import * as lifecycle from './alarm-lifecycle';

const base: lifecycle.NewAlert = {
  alert_id: 'a1',
  bed_id: 'bed-1',
  kind: 'qtc_prolonged',
  category: 'physiological',
  priority: 'medium',
  parameter: 'qtc_ms',
  value: 520,
  baseline: 420,
  threshold: 500,
  rule: 'QTc > 500 ms for 5 min',
  message: 'm',
  evidence_window_ids: ['w1'],
  attention: [],
  onset_ms: 0,
  raised_ms: 300_000,
};
const update = (at_ms: number) => ({ at_ms, value: 480, message: 'ended' });

describe('alarm lifecycle', () => {
  it('raise -> escalate (medium only, at the due time) -> acknowledge -> clear', () => {
    const r = lifecycle.raiseAlert(base);
    expect(r.alert).toMatchObject({ state: 'raised', event_id: 'a1:0:raised', latched: false, updated_ms: 300_000 });
    expect(lifecycle.escalationDueMs(r, 120_000)).toBe(420_000);
    const e = lifecycle.escalate(r, 420_000, 'esc');
    expect(e.alert).toMatchObject({ state: 'escalated', priority: 'high', event_id: 'a1:1:escalated', updated_ms: 420_000 });
    expect(lifecycle.escalationDueMs(e, 120_000)).toBeNull();
    const a = lifecycle.acknowledge(e, 'nurse.kim', 450_000, 'ack')!;
    expect(a.alert).toMatchObject({ state: 'acknowledged', acknowledged_by: 'nurse.kim', acknowledged_ms: 450_000, event_id: 'a1:2:acknowledged' });
    expect(lifecycle.acknowledge(a, 'x', 1, 'again')).toBeNull();
    const c = lifecycle.conditionEnded(a, update(500_000), true)!;
    expect(c.alert).toMatchObject({ state: 'cleared', cleared_ms: 500_000, value: 480, latched: false, event_id: 'a1:3:cleared' });
  });

  it('does not escalate low or high priority alerts', () => {
    expect(lifecycle.escalationDueMs(lifecycle.raiseAlert({ ...base, priority: 'low' }), 1)).toBeNull();
    expect(lifecycle.escalationDueMs(lifecycle.raiseAlert({ ...base, priority: 'high' }), 1)).toBeNull();
  });

  it('latches when the condition ends unacknowledged; acknowledging a latched alert clears it', () => {
    const l = lifecycle.conditionEnded(lifecycle.raiseAlert(base), update(400_000), true)!;
    expect(l.alert).toMatchObject({ state: 'raised', latched: true, event_id: 'a1:1:latched' });
    expect(lifecycle.conditionEnded(l, update(410_000), true)).toBeNull();
    const c = lifecycle.acknowledge(l, 'dr.lee', 600_000, 'ack')!;
    expect(c.alert).toMatchObject({ state: 'cleared', acknowledged_by: 'dr.lee', cleared_ms: 600_000, latched: true });
  });

  it('a latched alert whose condition returns is live again under the same id', () => {
    const l = lifecycle.conditionEnded(lifecycle.raiseAlert(base), update(400_000), true)!;
    const u = lifecycle.conditionReturned(l, { at_ms: 700_000, value: 530, message: 'back' })!;
    expect(u.alert).toMatchObject({ alert_id: 'a1', latched: false, value: 530, event_id: 'a1:2:unlatched' });
    expect(lifecycle.conditionReturned(u, { at_ms: 1, value: 1, message: '' })).toBeNull();
  });

  it('non-latching (technical) alerts clear as soon as the condition ends', () => {
    const c = lifecycle.conditionEnded(lifecycle.raiseAlert({ ...base, category: 'technical' }), update(400_000), false)!;
    expect(c.alert.state).toBe('cleared');
  });
});
