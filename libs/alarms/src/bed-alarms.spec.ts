import { Alert } from '@aicrn/contracts';
import { alertIdFor } from './alert-identity';
import { BedAlarms } from './bed-alarms';
import { BedProfileError } from './bed-profile';
import { UnknownAlertError } from './errors';
import { gaussian, MINUTE_WINDOWS, observeAll, T0_MS, WINDOW_MS, windowAt, windows, WindowValues } from './test-support/measurement-factory';

const BASELINE_WINDOWS = 5 * MINUTE_WINDOWS; // windows 0..29

/** An engine whose baseline was established from 5 min of normal windows (0..29). */
function withBaseline(profile = {}): BedAlarms {
  const e = new BedAlarms('bed-1', { profile });
  expect(observeAll(e, windows(0, BASELINE_WINDOWS))).toEqual([]);
  return e;
}

const ofKind = (events: Alert[], kind: string) => events.filter((a) => a.kind === kind);
const endOf = (index: number) => T0_MS + (index + 1) * WINDOW_MS;

describe('BedAlarms: raise and persistence', () => {
  it('raises hr_high after 30 s above 120 bpm, with the explanation', () => {
    const e = withBaseline();
    const tachy = (i: number): WindowValues => ({ hr_bpm: 130, attention: [{ target: 'all', start_s: i % 10, end_s: (i % 10) + 0.3, weight: 0.9 }] });
    expect(ofKind(observeAll(e, windows(30, 2, tachy)), 'hr_high')).toEqual([]);
    const [raised] = ofKind(e.observe(windowAt(32, tachy(32))), 'hr_high');
    expect(raised).toMatchObject({
      alert_id: alertIdFor('bed-1', 'hr_high', 'bed-1-w30'),
      event_id: `${alertIdFor('bed-1', 'hr_high', 'bed-1-w30')}:0:raised`,
      bed_id: 'bed-1',
      category: 'physiological',
      priority: 'medium',
      state: 'raised',
      parameter: 'hr_bpm',
      value: 130,
      baseline: 70,
      threshold: 120,
      rule: 'HR > 120 bpm for 30 s',
      evidence_window_ids: ['bed-1-w30', 'bed-1-w31', 'bed-1-w32'],
      attention: tachy(32).attention,
      onset_ms: windowAt(30).window_start_ms,
      raised_ms: endOf(32),
      latched: false,
    });
    expect(raised.message).toContain('HR 130 bpm');
    expect(e.activeAlerts().map((a) => a.kind).sort()).toEqual(['hr_change', 'hr_high']);
  });

  it('never alarms on isolated noisy windows (one in ten, for an hour, some in pairs)', () => {
    const e = withBaseline();
    const spike = { hr_bpm: 180, qtc_ms: 560, qrs_ms: 160, pr_ms: 260, t_amp_mv: 1.2 };
    const spikes = windows(30, 6 * 60, (i) => (i % 10 === 0 || i % 50 === 1 ? spike : {}));
    expect(observeAll(e, spikes)).toEqual([]);
  });

  it('tolerates an occasional low-quality window inside the hold', () => {
    const e = withBaseline();
    const events = observeAll(e, [
      windowAt(30, { hr_bpm: 130 }),
      windowAt(31, { hr_bpm: 130, quality: 0.2, quality_reasons: ['noise:emg'] }),
      windowAt(32, { hr_bpm: 130 }),
    ]);
    expect(ofKind(events, 'hr_high')).toEqual([]);
    const [raised] = ofKind(e.observe(windowAt(33, { hr_bpm: 130 })), 'hr_high');
    expect(raised.onset_ms).toBe(windowAt(30).window_start_ms);
    expect(raised.evidence_window_ids).toEqual(['bed-1-w30', 'bed-1-w32', 'bed-1-w33']);
  });

  it('tolerates an unmeasured parameter like a missing window', () => {
    const e = withBaseline();
    const events = observeAll(e, [windowAt(30, { hr_bpm: 130 }), windowAt(31, { hr_bpm: null }), windowAt(32, { hr_bpm: 130 }), windowAt(33, { hr_bpm: 130 })]);
    expect(ofKind(events, 'hr_high')).toHaveLength(1);
  });

  it('restarts the hold after a gap longer than the tolerance (3 low-quality windows)', () => {
    const e = withBaseline();
    const low = { quality: 0.2, quality_reasons: ['noise:motion'] };
    const events = observeAll(e, [
      windowAt(30, { hr_bpm: 130 }),
      windowAt(31, { hr_bpm: 130 }),
      ...windows(32, 3, () => ({ hr_bpm: 130, ...low })),
      windowAt(35, { hr_bpm: 130 }),
      windowAt(36, { hr_bpm: 130 }),
    ]);
    expect(ofKind(events, 'hr_high')).toEqual([]);
    const [raised] = ofKind(e.observe(windowAt(37, { hr_bpm: 130 })), 'hr_high');
    expect(raised.onset_ms).toBe(windowAt(35).window_start_ms);
  });

  it('a good window below the limit restarts the hold', () => {
    const e = withBaseline();
    const pattern = [130, 130, 100, 130, 130];
    expect(ofKind(observeAll(e, windows(30, 5, (i) => ({ hr_bpm: pattern[i - 30] }))), 'hr_high')).toEqual([]);
  });

  it('QTc > 500 ms needs the full 5 minutes', () => {
    const e = withBaseline();
    const events = observeAll(e, windows(30, 30, () => ({ qtc_ms: 520 })));
    const raised = ofKind(events, 'qtc_prolonged');
    expect(raised).toHaveLength(1);
    expect(raised[0].raised_ms).toBe(endOf(59));
    expect(raised[0]).toMatchObject({ rule: 'QTc > 500 ms for 5 min', value: 520, threshold: 500, baseline: 420 });
    expect(raised[0].evidence_window_ids).toHaveLength(30);
    expect(ofKind(events, 'qtc_increase')[0]).toMatchObject({ threshold: 480, baseline: 420, rule: 'QTc increase > 60 ms over baseline for 5 min' });
  });

  it('raises qrs_wide and pr_prolonged after 2 minutes; bounds evidence to the last 30 windows', () => {
    const e = withBaseline();
    const events = observeAll(e, windows(30, 12, () => ({ qrs_ms: 130, pr_ms: 230 })));
    expect(ofKind(events, 'qrs_wide')[0]).toMatchObject({ raised_ms: endOf(41), priority: 'low', threshold: 120 });
    expect(ofKind(events, 'pr_prolonged')[0]).toMatchObject({ raised_ms: endOf(41), rule: 'PR > 200 ms for 2 min' });
    const long = withBaseline();
    const [q] = ofKind(observeAll(long, windows(30, 40, () => ({ qtc_ms: 520 }))), 'qtc_prolonged');
    expect(q.evidence_window_ids).toHaveLength(30);
    expect(q.evidence_window_ids[29]).toBe('bed-1-w59');
  });

  it('hr_low after 30 s below 50 bpm', () => {
    const e = withBaseline();
    expect(ofKind(observeAll(e, windows(30, 3, () => ({ hr_bpm: 45 }))), 'hr_low')).toHaveLength(1);
  });
});

describe('BedAlarms: change from baseline', () => {
  it('QRS widening > 25 % raises qrs_widening but not the absolute qrs_wide', () => {
    const e = withBaseline();
    const events = observeAll(e, windows(30, 12, () => ({ qrs_ms: 115 }))); // +27.8 %
    expect(ofKind(events, 'qrs_widening')[0]).toMatchObject({ baseline: 90, threshold: 112.5, value: 115 });
    expect(ofKind(events, 'qrs_wide')).toEqual([]);
  });

  it('T peaking needs the T/R ratio to rise: a gain change (R and T both up) is not peaking', () => {
    const peaked = withBaseline();
    expect(ofKind(observeAll(peaked, windows(30, 12, () => ({ t_amp_mv: 0.7 }))), 't_peaking')[0]).toMatchObject({
      parameter: 't_amp_mv',
      baseline: 0.4,
      value: 0.7,
    });
    const gain = withBaseline();
    expect(ofKind(observeAll(gain, windows(30, 12, () => ({ t_amp_mv: 0.7, r_amp_mv: 2.6 }))), 't_peaking')).toEqual([]);
  });

  it('T peaking is not evaluated on a flat baseline T wave', () => {
    const e = new BedAlarms('bed-1');
    observeAll(e, windows(0, 30, () => ({ t_amp_mv: 0.02 })));
    expect(ofKind(observeAll(e, windows(30, 20, () => ({ t_amp_mv: 0.3 }))), 't_peaking')).toEqual([]);
  });

  it('HR change > 30 % either way from the baseline', () => {
    const e = withBaseline();
    const [up] = ofKind(observeAll(e, windows(30, 3, () => ({ hr_bpm: 95 }))), 'hr_change'); // +36 %
    expect(up).toMatchObject({ baseline: 70, value: 95 });
    expect(up.threshold).toBeCloseTo(91);
    const down = withBaseline();
    expect(ofKind(observeAll(down, windows(30, 3, () => ({ hr_bpm: 46 }))), 'hr_change')[0].threshold).toBeCloseTo(49);
  });

  it('change rules wait for the baseline', () => {
    const e = new BedAlarms('bed-1');
    const events = observeAll(e, windows(0, 10, () => ({ hr_bpm: 100 })));
    expect(ofKind(events, 'hr_change')).toEqual([]);
  });
});

describe('BedAlarms: lifecycle', () => {
  /** Engine with an active hr_high alert raised at window 32. */
  function withTachycardia() {
    const e = withBaseline({ rules: { hr_change: { enabled: false } } });
    const [raised] = observeAll(e, windows(30, 3, () => ({ hr_bpm: 130 })));
    expect(raised.kind).toBe('hr_high');
    return { e, raised };
  }

  it('escalates an unacknowledged medium alert after 2 min (observe)', () => {
    const { e, raised } = withTachycardia();
    expect(observeAll(e, windows(33, 11, () => ({ hr_bpm: 130 })))).toEqual([]);
    const [escalated] = e.observe(windowAt(44, { hr_bpm: 130 }));
    expect(escalated).toMatchObject({ alert_id: raised.alert_id, state: 'escalated', priority: 'high', updated_ms: raised.raised_ms + 120_000, event_id: `${raised.alert_id}:1:escalated` });
  });

  it('escalates by tick when no measurement arrives, at the due time', () => {
    const { e, raised } = withTachycardia();
    expect(e.tick(raised.raised_ms + 119_999)).toEqual([]);
    const [escalated] = e.tick(raised.raised_ms + 200_000);
    expect(escalated).toMatchObject({ state: 'escalated', priority: 'high', updated_ms: raised.raised_ms + 120_000 });
    expect(e.tick(raised.raised_ms + 300_000)).toEqual([]);
    expect(() => e.tick(Number.NaN)).toThrow(/finite/);
  });

  it('acknowledge -> acknowledged (no escalation) -> cleared when the condition ends', () => {
    const { e, raised } = withTachycardia();
    const ack = e.acknowledge(raised.alert_id, 'nurse.kim', raised.raised_ms + 5000)!;
    expect(ack).toMatchObject({ state: 'acknowledged', acknowledged_by: 'nurse.kim', acknowledged_ms: raised.raised_ms + 5000, priority: 'medium' });
    expect(e.acknowledge(raised.alert_id, 'nurse.kim', raised.raised_ms + 6000)).toBeNull();
    expect(observeAll(e, windows(33, 20, () => ({ hr_bpm: 130 })))).toEqual([]);
    const [cleared] = e.observe(windowAt(53, { hr_bpm: 80 }));
    expect(cleared).toMatchObject({ state: 'cleared', cleared_ms: endOf(53), value: 80, acknowledged_by: 'nurse.kim', latched: false });
    expect(e.activeAlerts()).toEqual([]);
    expect(e.acknowledge(raised.alert_id, 'late', endOf(60))).toBeNull();
  });

  it('throws for an unknown alert id and for a missing user', () => {
    const { e, raised } = withTachycardia();
    expect(() => e.acknowledge('nope', 'nurse.kim', 0)).toThrow(UnknownAlertError);
    expect(() => e.acknowledge(raised.alert_id, '  ', 0)).toThrow(/user/);
  });

  it('latches when the condition ends unacknowledged; acknowledging then clears it', () => {
    const { e, raised } = withTachycardia();
    const [latched] = e.observe(windowAt(33, { hr_bpm: 80 }));
    expect(latched).toMatchObject({ alert_id: raised.alert_id, state: 'raised', latched: true, event_id: `${raised.alert_id}:1:latched` });
    expect(e.activeAlerts()).toHaveLength(1);
    expect(observeAll(e, windows(34, 5))).toEqual([]);
    const cleared = e.acknowledge(raised.alert_id, 'dr.lee', endOf(38))!;
    expect(cleared).toMatchObject({ state: 'cleared', latched: true, acknowledged_by: 'dr.lee', cleared_ms: endOf(38) });
    expect(e.activeAlerts()).toEqual([]);
  });

  it('a latched alert still escalates if nobody acknowledges it', () => {
    const { e, raised } = withTachycardia();
    e.observe(windowAt(33, { hr_bpm: 80 }));
    const events = observeAll(e, windows(34, 15));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ alert_id: raised.alert_id, state: 'escalated', latched: true });
  });

  it('hysteresis: values between threshold-margin and threshold keep the episode; no flapping', () => {
    const { e } = withTachycardia();
    // 118/122 around the 120 limit: above 115 (limit - 5 margin), so the episode simply continues.
    expect(observeAll(e, windows(33, 10, (i) => ({ hr_bpm: i % 2 ? 118 : 122 }))).filter((a) => a.state !== 'escalated')).toEqual([]);
    const [latched] = e.observe(windowAt(43, { hr_bpm: 114 }));
    expect(latched.latched).toBe(true);
  });

  it('re-arm: after an episode ends, a new alert of that kind waits at least 2 min', () => {
    const { e, raised } = withTachycardia();
    e.acknowledge(raised.alert_id, 'nurse.kim', endOf(32));
    expect(e.observe(windowAt(33, { hr_bpm: 80 }))[0].state).toBe('cleared'); // ended at endOf(33)
    const again = observeAll(e, windows(34, 12, () => ({ hr_bpm: 130 })));
    const raisedAgain = ofKind(again, 'hr_high');
    expect(raisedAgain).toHaveLength(1);
    expect(raisedAgain[0].raised_ms).toBe(endOf(33) + 120_000);
    expect(raisedAgain[0].alert_id).not.toBe(raised.alert_id);
    expect(raisedAgain[0].onset_ms).toBe(windowAt(34).window_start_ms);
  });

  it('a latched alert whose condition returns is unlatched, not duplicated', () => {
    const { e, raised } = withTachycardia();
    e.observe(windowAt(33, { hr_bpm: 80 }));
    const events = observeAll(e, windows(34, 12, () => ({ hr_bpm: 130 })));
    const hr = ofKind(events, 'hr_high');
    expect(hr.map((a) => a.event_id)).toEqual([`${raised.alert_id}:2:escalated`, `${raised.alert_id}:3:unlatched`]);
    expect(e.activeAlerts()).toHaveLength(1);
  });
});

describe('BedAlarms: quality gate', () => {
  const leadOff = { quality: 0.1, quality_reasons: ['lead_off:V5'] };

  it('low-quality windows never feed detectors or the baseline', () => {
    const e = withBaseline();
    expect(ofKind(observeAll(e, windows(30, 30, () => ({ ...leadOff, hr_bpm: 200, qtc_ms: 600 }))), 'hr_high')).toEqual([]);
    const fresh = new BedAlarms('bed-1');
    observeAll(fresh, windows(0, 30, () => ({ ...leadOff, hr_bpm: 200 })));
    expect(fresh.baselineState().status).toBe('collecting');
    expect(fresh.baselineState().collected_ms).toBe(0);
  });

  it('raises lead_off (technical) after 30 s of low quality and clears it, unlatched, when quality returns', () => {
    const e = withBaseline();
    expect(observeAll(e, windows(30, 2, () => leadOff))).toEqual([]);
    const [raised] = e.observe(windowAt(32, leadOff));
    expect(raised).toMatchObject({ kind: 'lead_off', category: 'technical', priority: 'medium', parameter: null, value: 0.1, threshold: 0.5, rule: 'Signal quality < 0.5 for 30 s' });
    expect(raised.message).toContain('lead_off:V5');
    expect(e.observe(windowAt(33, { quality: 0.55 }))).toEqual([]); // hysteresis: needs 0.6
    const [cleared] = e.observe(windowAt(34, { quality: 0.9 }));
    expect(cleared).toMatchObject({ alert_id: raised.alert_id, state: 'cleared', latched: false });
  });

  it('one electrode off (window quality still good) raises lead_off after 30 s and clears when it is back', () => {
    const e = withBaseline();
    const v2Off = { quality: 0.917, quality_reasons: ['lead_off: V2 flat for 10.0 s'] };
    expect(observeAll(e, windows(30, 2, () => v2Off))).toEqual([]);
    const [raised] = e.observe(windowAt(32, v2Off));
    expect(raised).toMatchObject({ kind: 'lead_off', category: 'technical', priority: 'medium', rule: 'Lead off (electrode disconnected) for 30 s' });
    expect(raised.message).toContain('V2 flat');
    const [cleared] = e.observe(windowAt(33, { quality: 1 }));
    expect(cleared).toMatchObject({ alert_id: raised.alert_id, state: 'cleared', latched: false });
  });

  it('a transient electrode dropout shorter than 30 s raises nothing', () => {
    const e = withBaseline();
    const v4Off = { quality: 0.917, quality_reasons: ['lead_off: V4 flat at the rail for 10.0 s'] };
    expect(observeAll(e, [windowAt(30, v4Off), windowAt(31, v4Off), windowAt(32), windowAt(33, v4Off)])).toEqual([]);
  });

  it('noise reasons give noisy_signal at low priority', () => {
    const e = withBaseline();
    const [raised] = observeAll(e, windows(30, 3, () => ({ quality: 0.3, quality_reasons: ['noise:emg'] })));
    expect(raised).toMatchObject({ kind: 'noisy_signal', priority: 'low', category: 'technical' });
  });

  it('a NaN quality counts as low quality', () => {
    const e = withBaseline();
    expect(observeAll(e, windows(30, 3, () => ({ quality: Number.NaN })))[0].kind).toBe('noisy_signal');
  });
});

describe('BedAlarms: drift (CUSUM)', () => {
  it('flags a slow QT prolongation (+80 ms over 30 min from 420 ms) before QTc crosses 500 ms', () => {
    const noise = gaussian(42);
    const e = new BedAlarms('bed-1');
    const qtc = (i: number) => {
      const ramp = i < BASELINE_WINDOWS ? 0 : (80 * (i - BASELINE_WINDOWS)) / (30 * MINUTE_WINDOWS);
      return 420 + ramp + 4 * noise();
    };
    const values = new Map<number, number>();
    const events = observeAll(e, windows(0, BASELINE_WINDOWS + 30 * MINUTE_WINDOWS, (i) => {
      const v = qtc(i);
      values.set(i, v);
      return { qtc_ms: v };
    }));
    const drift = ofKind(events, 'qtc_drift');
    expect(drift).toHaveLength(1);
    const minutesIntoRamp = (drift[0].raised_ms - endOf(BASELINE_WINDOWS - 1)) / 60_000;
    const trueQtc = 420 + (80 * minutesIntoRamp) / 30;
    expect(trueQtc).toBeLessThan(460);
    expect(drift[0].value!).toBeLessThan(500);
    expect(drift[0].rule).toBe('QTc upward drift: CUSUM (k = 1 SD) > 8 SD over baseline for 1 min');
    const firstAbsolute = ofKind(events, 'qtc_prolonged')[0];
    if (firstAbsolute) expect(drift[0].raised_ms).toBeLessThan(firstAbsolute.raised_ms);
    const increase = ofKind(events, 'qtc_increase')[0];
    expect(increase).toBeDefined();
    expect(drift[0].raised_ms).toBeLessThan(increase.raised_ms);
  });

  it('does not drift-alarm on 12 h of stationary noise (robust SD from the baseline)', () => {
    const noise = gaussian(7);
    const e = new BedAlarms('bed-1');
    const events = observeAll(e, windows(0, 12 * 60 * MINUTE_WINDOWS, () => ({ qtc_ms: 420 + 8 * noise(), qrs_ms: 90 + 4 * noise(), pr_ms: 160 + 6 * noise() })));
    expect(events.filter((a) => a.kind.endsWith('_drift'))).toEqual([]);
  });
});

describe('BedAlarms: baseline reset and profile', () => {
  it('reset ends baseline-relative episodes (latched) and re-collects the baseline', () => {
    const e = withBaseline();
    const events = observeAll(e, windows(30, 3, () => ({ hr_bpm: 46 })));
    const change = ofKind(events, 'hr_change')[0];
    const ended = e.resetBaseline(endOf(32));
    expect(ended).toEqual([expect.objectContaining({ alert_id: change.alert_id, latched: true, updated_ms: endOf(32) })]);
    expect(e.baselineState()).toMatchObject({ status: 'collecting', collect_from_ms: endOf(32) });
    observeAll(e, windows(33, 30, () => ({ hr_bpm: 55 })));
    expect(e.baselineState().values.hr_bpm).toBe(55);
    // The absolute hr_low rule is unaffected by the reset.
    expect(e.activeAlerts().map((a) => a.kind).sort()).toEqual(['hr_change', 'hr_low']);
  });

  it('a bed profile overrides the defaults from the next window', () => {
    const e = withBaseline();
    e.setProfile({ rules: { hr_high: { threshold_bpm: 140 }, hr_change: { enabled: false } } });
    expect(observeAll(e, windows(30, 6, () => ({ hr_bpm: 130 })))).toEqual([]);
    expect(() => e.setProfile({ rules: { hr_high: { threshold_bpm: -1 } } })).toThrow(BedProfileError);
    expect(e.snapshot().profile).toEqual({ rules: { hr_high: { threshold_bpm: 140 }, hr_change: { enabled: false } } });
  });

  it('disabling a rule ends its active episode', () => {
    const e = withBaseline({ rules: { hr_change: { enabled: false } } });
    observeAll(e, windows(30, 3, () => ({ hr_bpm: 130 })));
    e.setProfile({ rules: { hr_change: { enabled: false }, hr_high: { enabled: false } } });
    const [ended] = e.observe(windowAt(33, { hr_bpm: 130 }));
    expect(ended).toMatchObject({ kind: 'hr_high', latched: true });
  });
});

describe('BedAlarms: determinism, redelivery, restore', () => {
  /** A scripted 25-minute stay: baseline, tachycardia, lead-off, QTc prolongation, an acknowledgement. */
  function scenario() {
    const noise = gaussian(3);
    return windows(0, 150, (i) => {
      const v: WindowValues = { hr_bpm: 70 + 2 * noise(), qtc_ms: 420 + 5 * noise() };
      if (i >= 35 && i < 50) v.hr_bpm = 130 + noise();
      if (i >= 60 && i < 66) Object.assign(v, { quality: 0.1, quality_reasons: ['lead_off:V5'] });
      if (i >= 80) v.qtc_ms = 515 + 5 * noise();
      return v;
    });
  }
  function run(ms = scenario(), split?: number) {
    let e = new BedAlarms('bed-1');
    const events: Alert[] = [];
    ms.forEach((m, i) => {
      if (split === i) e = BedAlarms.restore(JSON.parse(JSON.stringify(e.snapshot())));
      events.push(...e.observe(m));
      if (i === 40) {
        const hr = e.activeAlerts().find((a) => a.kind === 'hr_high');
        if (hr) events.push(e.acknowledge(hr.alert_id, 'nurse.kim', m.window_end_ms + 1000)!);
      }
    });
    return { e, events };
  }

  it('the scenario produces the expected kinds of events', () => {
    const { events } = run();
    const kinds = new Set(events.map((a) => `${a.kind}:${a.event_id.split(':')[2]}`));
    for (const k of ['hr_high:raised', 'hr_high:acknowledged', 'hr_high:cleared', 'lead_off:raised', 'lead_off:cleared', 'qtc_prolonged:raised', 'qtc_prolonged:escalated']) {
      expect(kinds).toContain(k);
    }
  });

  it('replaying the same measurements gives identical events', () => {
    const a = run().events;
    const b = run().events;
    expect(b).toEqual(a);
    expect(new Set(a.map((x) => x.event_id)).size).toBe(a.length);
  });

  it('redelivered windows (same id, or ending at/before the last processed) are no-ops', () => {
    const ms = scenario();
    const { e } = run(ms);
    const before = e.snapshot();
    expect(observeAll(e, ms)).toEqual([]);
    expect(e.observe({ ...ms[149], window_id: 'other-id' })).toEqual([]);
    expect(e.snapshot()).toEqual(before);
  });

  it('snapshot/restore mid-stream (through JSON) continues exactly like the uninterrupted run', () => {
    const ms = scenario();
    const whole = run(ms);
    for (const split of [20, 45, 62, 100]) {
      const resumed = run(ms, split);
      expect(resumed.events).toEqual(whole.events);
      expect(resumed.e.snapshot()).toEqual(whole.e.snapshot());
    }
  });

  it('rejects measurements of another bed, bad windows and foreign state', () => {
    const e = new BedAlarms('bed-1');
    expect(() => e.observe(windowAt(0, {}, 'bed-2'))).toThrow(/bed "bed-2", not "bed-1"/);
    expect(() => e.observe({ ...windowAt(0), window_end_ms: Number.NaN })).toThrow(/invalid window/);
    const state = e.snapshot();
    expect(() => new BedAlarms('bed-9', { state })).toThrow(/for bed "bed-1"/);
    expect(() => BedAlarms.restore({ ...state, version: 2 as 1 })).toThrow(/version 2/);
    expect(() => BedAlarms.restore({ ...state, conditions: undefined as never })).toThrow(/missing "conditions"/);
  });

  it('uses the measurement clock only (values are independent of the wall clock)', () => {
    const realNow = Date.now;
    Date.now = () => 0;
    try {
      expect(run().events).toEqual(run().events);
    } finally {
      Date.now = realNow;
    }
  });
});
