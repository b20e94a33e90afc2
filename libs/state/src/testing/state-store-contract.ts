import { Alert, EcgMeasurement } from '@aicrn/contracts';
import { StateStore, TREND_RETENTION_MS } from '../state-store';
import { alertEvent, measurementAt, waitFor } from '@aicrn/contracts/testing';

export interface StateStoreContractOptions {
  /** Longest wait for a Pub/Sub delivery. */
  deliveryTimeoutMs?: number;
}

/** The behaviour every StateStore adapter must show. `factory` must return an empty store each time. */
export function describeStateStoreContract(name: string, factory: () => Promise<StateStore> | StateStore, options: StateStoreContractOptions = {}): void {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 2_000;

  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('is ready and starts empty', async () => {
      expect(await store.isReady()).toBe(true);
      expect(await store.listBeds()).toEqual([]);
      expect(await store.getBed('bed-x')).toBeNull();
      expect(await store.getAlert('nope')).toBeNull();
      expect(await store.trend('bed-x', 0)).toEqual([]);
    });

    it('keeps the latest measurement per bed and lists beds in natural order', async () => {
      for (const bed of ['bed-10', 'bed-2', 'bed-1']) await store.recordMeasurement(measurementAt(bed, 1));
      await store.recordMeasurement(measurementAt('bed-2', 3));
      // An older window arriving late does not replace the latest.
      await store.recordMeasurement(measurementAt('bed-2', 2));
      const beds = await store.listBeds();
      expect(beds.map((b) => b.bed_id)).toEqual(['bed-1', 'bed-2', 'bed-10']);
      expect(beds[1].latest).toEqual(measurementAt('bed-2', 3));
      expect(await store.getBed('bed-1')).toEqual({ bed_id: 'bed-1', latest: measurementAt('bed-1', 1), active_alerts: [] });
    });

    it('returns the trend oldest first, from sinceMs, limited to the newest points, one per window', async () => {
      for (const i of [4, 0, 2, 1, 3]) await store.recordMeasurement(measurementAt('bed-1', i));
      await store.recordMeasurement(measurementAt('bed-1', 2, { hr_bpm: 99 }));
      const all = await store.trend('bed-1', 0);
      expect(all.map((m) => m.window_id)).toEqual([0, 1, 2, 3, 4].map((i) => `bed-1:dev:${i}`));
      expect(all[2].hr_bpm).toBe(99);
      const since = measurementAt('bed-1', 2).window_start_ms;
      expect((await store.trend('bed-1', since)).map((m) => m.window_id)).toEqual([2, 3, 4].map((i) => `bed-1:dev:${i}`));
      expect((await store.trend('bed-1', 0, 2)).map((m) => m.window_id)).toEqual(['bed-1:dev:3', 'bed-1:dev:4']);
      expect(await store.trend('bed-2', 0)).toEqual([]);
    });

    it('keeps the latest measurement whole and trend points compact (no beats or attention)', async () => {
      const beats = [{ r_s: 0.5, p_on_s: 0.3, qrs_on_s: 0.45, qrs_off_s: 0.54, t_peak_s: 0.8, t_off_s: 0.9 }];
      const attention = [{ target: 'qt_ms', start_s: 1, end_s: 1.5, weight: 0.9 }];
      await store.recordMeasurement(measurementAt('bed-1', 0, { beats, attention }));
      expect((await store.getBed('bed-1'))!.latest).toMatchObject({ beats, attention });
      expect(await store.trend('bed-1', 0)).toEqual([measurementAt('bed-1', 0, { beats: [], attention: [] })]);
    });

    it('drops trend points older than the retention behind the newest window', async () => {
      await store.recordMeasurement(measurementAt('bed-1', 0));
      await store.recordMeasurement(measurementAt('bed-1', 1));
      const later = measurementAt('bed-1', 0, { window_id: 'bed-1:dev:late', window_start_ms: measurementAt('bed-1', 0).window_start_ms + TREND_RETENTION_MS + 5_000 });
      await store.recordMeasurement(later);
      expect((await store.trend('bed-1', 0)).map((m) => m.window_id)).toEqual(['bed-1:dev:1', 'bed-1:dev:late']);
    });

    it('stores alert events once per event_id and keeps the newest state', async () => {
      const raised = alertEvent('bed-1', 'qtc_prolonged', 'raised', 0);
      expect(await store.saveAlertEvent(raised)).toBe(true);
      expect(await store.saveAlertEvent(raised)).toBe(false);
      expect(await store.getAlert(raised.alert_id)).toEqual(raised);
      const acknowledged = alertEvent('bed-1', 'qtc_prolonged', 'acknowledged', 2);
      const escalatedLate = alertEvent('bed-1', 'qtc_prolonged', 'escalated', 1);
      expect(await store.saveAlertEvent(acknowledged)).toBe(true);
      expect(await store.saveAlertEvent(escalatedLate)).toBe(true);
      expect(await store.getAlert(raised.alert_id)).toEqual(acknowledged);
      expect((await store.getBed('bed-1'))?.active_alerts).toEqual([acknowledged]);
      const cleared = alertEvent('bed-1', 'qtc_prolonged', 'cleared', 3);
      expect(await store.saveAlertEvent(cleared)).toBe(true);
      expect((await store.getBed('bed-1'))?.active_alerts).toEqual([]);
      expect(await store.getAlert(raised.alert_id)).toEqual(cleared);
      // A bed that only has alerts is still a bed.
      expect((await store.listBeds()).map((b) => b.bed_id)).toEqual(['bed-1']);
    });

    it('lists alerts by state, bed, time and limit, newest raised first', async () => {
      const a = alertEvent('bed-1', 'qtc_prolonged', 'raised', 0);
      const b = alertEvent('bed-2', 'hr_high', 'raised', 0, { raised_ms: a.raised_ms + 60_000, updated_ms: a.raised_ms + 60_000 });
      const c = alertEvent('bed-2', 'qrs_wide', 'cleared', 5, { raised_ms: a.raised_ms + 120_000, updated_ms: a.raised_ms + 180_000 });
      for (const alert of [a, b, c]) await store.saveAlertEvent(alert);
      const ids = (alerts: Alert[]) => alerts.map((x) => x.alert_id);
      expect(ids(await store.listAlerts({}))).toEqual([c, b, a].map((x) => x.alert_id));
      expect(ids(await store.listAlerts({ state: 'active' }))).toEqual([b, a].map((x) => x.alert_id));
      expect(ids(await store.listAlerts({ state: 'cleared' }))).toEqual([c.alert_id]);
      expect(ids(await store.listAlerts({ bed_id: 'bed-2' }))).toEqual([c, b].map((x) => x.alert_id));
      expect(ids(await store.listAlerts({ since_ms: b.updated_ms }))).toEqual([c, b].map((x) => x.alert_id));
      expect(ids(await store.listAlerts({ limit: 1 }))).toEqual([c.alert_id]);
      expect(ids(await store.listAlerts({ bed_id: 'bed-3' }))).toEqual([]);
    });

    it('fans out new alert events, not replays, until unsubscribed', async () => {
      const received: Alert[] = [];
      const unsubscribe = await store.onAlert((alert) => received.push(alert));
      const raised = alertEvent('bed-1', 'hr_high', 'raised', 0);
      await store.saveAlertEvent(raised);
      await store.saveAlertEvent(raised);
      const cleared = alertEvent('bed-1', 'hr_high', 'cleared', 1);
      await store.saveAlertEvent(cleared);
      await waitFor('two alert events', () => received.length >= 2, deliveryTimeoutMs);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([raised, cleared]);
      await unsubscribe();
      await store.saveAlertEvent(alertEvent('bed-1', 'hr_high', 'raised', 2, { alert_id: 'other' }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toHaveLength(2);
    });

    it('fans out measurements to every listener', async () => {
      const first: EcgMeasurement[] = [];
      const second: EcgMeasurement[] = [];
      const stopFirst = await store.onMeasurement((m) => first.push(m));
      await store.onMeasurement((m) => second.push(m));
      await store.recordMeasurement(measurementAt('bed-5', 1));
      await waitFor('the measurement on both listeners', () => first.length === 1 && second.length === 1, deliveryTimeoutMs);
      expect(first[0]).toEqual(measurementAt('bed-5', 1));
      await stopFirst();
      await store.recordMeasurement(measurementAt('bed-5', 2));
      await waitFor('the second measurement', () => second.length === 2, deliveryTimeoutMs);
      expect(first).toHaveLength(1);
    });

    it('keeps per-bed state by namespace', async () => {
      const baseline = { qtc_ms: { mean: 431.5, n: 30 }, history: [1, 2, 3], since: null };
      expect(await store.loadBedState('bed-1', 'baseline')).toBeNull();
      await store.saveBedState('bed-1', 'baseline', baseline);
      await store.saveBedState('bed-1', 'alarms', { open: ['a'] });
      expect(await store.loadBedState('bed-1', 'baseline')).toEqual(baseline);
      expect(await store.loadBedState('bed-1', 'alarms')).toEqual({ open: ['a'] });
      expect(await store.loadBedState('bed-2', 'baseline')).toBeNull();
      await store.saveBedState('bed-1', 'baseline', { replaced: true });
      expect(await store.loadBedState('bed-1', 'baseline')).toEqual({ replaced: true });
    });

    it('marks an id once per namespace until the mark expires', async () => {
      expect(await store.markOnce('window', 'w1', 60_000)).toBe(true);
      expect(await store.markOnce('window', 'w1', 60_000)).toBe(false);
      expect(await store.markOnce('other', 'w1', 60_000)).toBe(true);
      expect(await store.markOnce('window', 'short', 40)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await store.markOnce('window', 'short', 40)).toBe(true);
    });
  });
}
