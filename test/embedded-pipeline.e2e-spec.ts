import { Alert, BedSnapshot, DeadLetter, EcgMeasurement, TOPICS } from '@aicrn/contracts';
import { sampleWindow } from '@aicrn/contracts/testing';
import { EmbeddedUnderTest, startEmbedded } from './support/embedded-app';
import { eventually } from './support/eventually';

jest.setTimeout(120_000);

describe('embedded pipeline (npm start) through the HTTP API', () => {
  let app: EmbeddedUnderTest;

  // Three minutes of simulated history are published at start, so the demo drift has had time to alarm.
  beforeAll(async () => {
    app = await startEmbedded({ SIM_BEDS: '8', SIM_BACKFILL_S: '180' });
  });
  afterAll(() => app?.close());

  it('serves 8 beds with real measurements', async () => {
    const beds = await eventually(
      '8 measured beds',
      async () => {
        const { body } = await app.get<{ beds: BedSnapshot[] }>('/api/beds');
        return body.beds.length === 8 && body.beds.every((b) => b.latest) && body.beds;
      },
      { timeoutMs: 60_000 },
    );
    for (const bed of beds) {
      const m = bed.latest as EcgMeasurement;
      expect(m.method).toBe('dsp');
      expect(m.quality).toBeGreaterThanOrEqual(0);
    }
    // The stable bed is clean: every parameter measured and physiological.
    const stable = beds.find((b) => b.bed_id === 'bed-03')!.latest!;
    expect(stable.hr_bpm).toBeGreaterThan(40);
    expect(stable.hr_bpm).toBeLessThan(120);
    expect(stable.qrs_ms).toBeGreaterThan(60);
    expect(stable.qt_ms).toBeGreaterThan(300);
    expect(stable.qtc_ms).toBeGreaterThan(stable.qt_ms! * 0.8);
  });

  it('shows trends whose values change over time', async () => {
    const { status, body } = await app.get<{ measurements: EcgMeasurement[] }>(`/api/beds/bed-01/measurements?since=0`);
    expect(status).toBe(200);
    expect(body.measurements.length).toBeGreaterThanOrEqual(10);
    const hr = body.measurements.map((m) => m.hr_bpm).filter((v): v is number => v !== null);
    expect(Math.max(...hr) - Math.min(...hr)).toBeGreaterThan(20);
  });

  it('raises an alert from a simulated drift, and acknowledging it changes its state', async () => {
    const alert = await eventually(
      'an active physiological alert',
      async () => {
        const { body } = await app.get<{ alerts: Alert[] }>('/api/alerts?state=active');
        return body.alerts.find((a) => a.category === 'physiological' && a.state !== 'acknowledged');
      },
      { timeoutMs: 60_000 },
    );
    expect(alert.evidence_window_ids.length).toBeGreaterThan(0);
    expect(alert.rule).toBeTruthy();
    const ack = await app.post<Alert>(`/api/alerts/${alert.alert_id}/ack`, { user: 'station-2' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ alert_id: alert.alert_id, acknowledged_by: 'station-2' });
    const { body } = await app.get<{ alerts: Alert[] }>(`/api/alerts?bed_id=${alert.bed_id}`);
    const after = body.alerts.find((a) => a.alert_id === alert.alert_id)!;
    expect(['acknowledged', 'cleared']).toContain(after.state);
  });

  it('sends a malformed window to the dead-letter topic with its reason, and keeps processing valid ones', async () => {
    const bad = sampleWindow({ bed_id: 'bed-99', device_id: 'probe', seq: 1, start_ms: Date.now() - 10_000 });
    bad.leads[0] = { ...bad.leads[0], samples: bad.leads[0].samples.subarray(0, 100) };
    const good = sampleWindow({ bed_id: 'bed-98', device_id: 'probe', seq: 1, start_ms: Date.now() - 10_000 });
    await app.bus.publish(TOPICS.raw, [
      { key: 'bed-99', value: bad },
      { key: 'bed-98', value: good },
    ]);
    const dead = await eventually('the dead letter', () => app.bus.peek(TOPICS.dlq).find((m) => (m.value as DeadLetter).bed_id === 'bed-99')?.value as DeadLetter | undefined, {
      timeoutMs: 10_000,
    });
    expect(dead).toMatchObject({ code: 'wrong_sample_count', source_topic: TOPICS.raw, reason: 'lead I has 50 samples; a 10-s window at 500 Hz needs 5000' });
    await eventually('the valid window to be measured', async () => (await app.get(`/api/beds/bed-98`)).status === 200, { timeoutMs: 10_000 });
  });

  it.each([
    ['an unknown bed', 'GET', '/api/beds/bed-404', undefined, 404],
    ['a bed id with spaces', 'GET', '/api/beds/John%20Smith', undefined, 400],
    ['an unknown alert state', 'GET', '/api/alerts?state=loud', undefined, 400],
    ['a bad since', 'GET', '/api/beds/bed-01/measurements?since=yesterday', undefined, 400],
    ['a bad limit', 'GET', '/api/alerts?limit=-4', undefined, 400],
    ['an unknown alert', 'GET', '/api/alerts/0123456789abcdef0123', undefined, 404],
    ['acknowledging an unknown alert', 'POST', '/api/alerts/0123456789abcdef0123/ack', '{}', 404],
    ['malformed JSON', 'POST', '/api/alerts/0123456789abcdef0123/ack', '{"user":', 400],
    ['a user with a newline', 'POST', '/api/alerts/0123456789abcdef0123/ack', '{"user":"a\\nb"}', 400],
    ['an invalid profile', 'PUT', '/api/beds/bed-01/profile', '{"rules":{"hr_high":{"threshold_bpm":"fast"}}}', 400],
  ])('answers %s (%s %s) with a %i JSON error, never a 500', async (_label, method, path, raw, status) => {
    const res = await fetch(`${app.url}${path}`, { method: method as string, headers: { 'content-type': 'application/json' }, body: raw as string | undefined });
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: status, message: expect.any(String) });
  });

  it('rejects an oversized request body with 413', async () => {
    const res = await fetch(`${app.url}/api/beds/bed-01/profile`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(200_000) }) });
    expect(res.status).toBe(413);
  });

  it('exposes Prometheus metrics of the pipeline', async () => {
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/aicrn_windows_in_total\{app="embedded"\} \d+/);
    expect(text).toMatch(/aicrn_windows_rejected_total\{code="wrong_sample_count",app="embedded"\} 1/);
    expect(text).toMatch(/aicrn_windows_measured_total\{method="dsp",app="embedded"\} \d+/);
    expect(text).toContain('aicrn_inference_batch_size_bucket');
    expect(text).toContain('aicrn_measurement_latency_ms_bucket');
  });
});
