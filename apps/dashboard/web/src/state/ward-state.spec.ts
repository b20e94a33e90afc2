import type { Alert, EcgMeasurement } from '../contracts';
import { AlertBook } from './alert-book';
import { TimeSeries } from './time-series';
import { WardState } from './ward-state';

function measurement(bed: string, seq: number, over: Partial<EcgMeasurement> = {}): EcgMeasurement {
  const start = 1_700_000_000_000 + seq * 10_000;
  return {
    window_id: `${bed}:dev:${seq}`, bed_id: bed, device_id: 'dev', window_start_ms: start, window_end_ms: start + 10_000,
    hr_bpm: 70, pr_ms: 160, qrs_ms: 90, qt_ms: 380, qtc_ms: 420 + seq, qtc_formula: 'bazett', r_amp_mv: 1.2, t_amp_mv: 0.3,
    quality: 1, quality_reasons: [], method: 'dsp', model_version: 'dsp-1', latency_ms: 5, measured_at_ms: start + 10_100,
    unmeasured: [], attention: [], beats: [], ...over,
  };
}

function alert(id: string, bed: string, over: Partial<Alert> = {}): Alert {
  return {
    alert_id: id, event_id: `${id}:0:raised`, bed_id: bed, kind: 'qtc_prolonged', category: 'physiological', priority: 'medium', state: 'raised',
    parameter: 'qtc_ms', value: 510, baseline: 420, threshold: 500, rule: 'QTc > 500 ms for 5 min', message: 'QTc 510 ms', evidence_window_ids: [],
    attention: [], onset_ms: 1, raised_ms: 1, updated_ms: 1, acknowledged_by: null, acknowledged_ms: null, cleared_ms: null, latched: false, ...over,
  };
}

describe('TimeSeries', () => {
  it('keeps only the span before the newest point and at most maxPoints', () => {
    const s = new TimeSeries(100, 5);
    for (let t = 0; t <= 300; t += 10) s.add(t, t);
    expect(s.t).toEqual([260, 270, 280, 290, 300]);
    const wide = new TimeSeries(50, 100);
    for (let t = 0; t <= 300; t += 10) wide.add(t, t);
    expect(wide.t[0]).toBe(250);
  });

  it('inserts late points in order and replaces a repeated time', () => {
    const s = new TimeSeries(1000, 10);
    s.add(10, 1);
    s.add(30, 3);
    s.add(20, 2);
    s.add(30, 33);
    expect(s.t).toEqual([10, 20, 30]);
    expect(s.v).toEqual([1, 2, 33]);
  });
});

describe('AlertBook', () => {
  it('keeps the newest state of an alert and ignores stale or repeated events', () => {
    const book = new AlertBook();
    expect(book.upsert(alert('a', 'bed-1', { updated_ms: 5 }))).toBe(true);
    expect(book.upsert(alert('a', 'bed-1', { updated_ms: 3, event_id: 'a:old', state: 'cleared' }))).toBe(false);
    expect(book.upsert(alert('a', 'bed-1', { updated_ms: 5 }))).toBe(false);
    expect(book.upsert(alert('a', 'bed-1', { updated_ms: 9, event_id: 'a:1:ack', state: 'acknowledged' }))).toBe(true);
    expect(book.get('a')?.state).toBe('acknowledged');
  });

  it('bounds the number of ended alerts it remembers, keeping every active one', () => {
    const book = new AlertBook(3);
    for (let i = 0; i < 10; i++) book.upsert(alert(`c${i}`, 'bed-1', { state: 'cleared', updated_ms: i }));
    book.upsert(alert('live', 'bed-1'));
    expect(book.size).toBe(4);
    expect(book.all().map((a) => a.alert_id).sort()).toEqual(['c7', 'c8', 'c9', 'live']);
  });

  it('forgets active alerts the server no longer lists for a bed', () => {
    const book = new AlertBook();
    book.upsert(alert('a', 'bed-1'));
    book.upsert(alert('b', 'bed-1'));
    book.upsert(alert('c', 'bed-2'));
    expect(book.reconcileBed('bed-1', [alert('b', 'bed-1')])).toEqual(['a']);
    expect(book.active().map((a) => a.alert_id).sort()).toEqual(['b', 'c']);
  });
});

describe('WardState', () => {
  it('tracks the newest measurement per bed, ignoring late windows, and keeps the QTc history', () => {
    const state = new WardState();
    const changes: string[] = [];
    state.subscribe((c) => changes.push(c.kind));
    state.applyMeasurement(measurement('bed-10', 2));
    state.applyMeasurement(measurement('bed-2', 1));
    state.applyMeasurement(measurement('bed-10', 3));
    state.applyMeasurement(measurement('bed-10', 1));
    expect(state.bedIds()).toEqual(['bed-2', 'bed-10']);
    expect(state.beds.get('bed-10')!.latest!.window_id).toBe('bed-10:dev:3');
    expect(state.beds.get('bed-10')!.qtc.v).toEqual([421, 422, 423]);
    expect(changes).toEqual(['beds', 'beds', 'bed']);
  });

  it('shows the newest active alert of a bed', () => {
    const state = new WardState();
    state.applyAlert(alert('old', 'bed-1', { raised_ms: 10, priority: 'high' }));
    state.applyAlert(alert('new', 'bed-1', { raised_ms: 20, priority: 'low' }));
    expect(state.newestAlert('bed-1')?.alert_id).toBe('new');
    state.applyAlert(alert('new', 'bed-1', { raised_ms: 20, state: 'cleared', updated_ms: 30, event_id: 'new:1:cleared' }));
    expect(state.newestAlert('bed-1')?.alert_id).toBe('old');
  });

  it('applies a snapshot and drops alerts that ended while disconnected', () => {
    const state = new WardState();
    state.applyAlert(alert('gone', 'bed-1'));
    state.applySnapshot([{ bed_id: 'bed-1', latest: measurement('bed-1', 5), active_alerts: [alert('kept', 'bed-1')] }]);
    expect(state.alerts.active().map((a) => a.alert_id)).toEqual(['kept']);
    expect(state.beds.get('bed-1')!.latest!.window_id).toBe('bed-1:dev:5');
  });
});
