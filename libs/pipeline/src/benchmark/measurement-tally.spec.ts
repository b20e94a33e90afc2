import { MeasurementTally } from './measurement-tally';

describe('MeasurementTally', () => {
  it('counts measured, lost and duplicated windows from what came back, latency from the publish time', () => {
    const tally = new MeasurementTally();
    tally.sent('bed-01:mon-01:0', 10_000);
    tally.sent('bed-02:mon-02:0', 12_000);
    tally.sent('bed-03:mon-03:0', 14_000);
    tally.measured({ window_id: 'bed-01:mon-01:0', window_end_ms: 10_000 }, 10_300);
    tally.measured({ window_id: 'bed-01:mon-01:0', window_end_ms: 10_000 }, 19_000);
    tally.measured({ window_id: 'bed-02:mon-02:0', window_end_ms: 12_000 }, 12_500);
    expect(tally.counts()).toEqual({ windows_in: 3, windows_measured: 2, lost: 1, duplicates: 1, latency_ms_p50: 500, latency_ms_p99: 500 });
  });

  it('ignores measurements of windows it did not send, and same-id windows of an earlier run (other end time)', () => {
    const tally = new MeasurementTally();
    tally.sent('bed-01:mon-01:0', 50_000);
    tally.measured({ window_id: 'bed-09:mon-09:0', window_end_ms: 50_000 }, 50_100);
    tally.measured({ window_id: 'bed-01:mon-01:0', window_end_ms: 10_000 }, 10_100);
    expect(tally.counts()).toMatchObject({ windows_in: 1, windows_measured: 0, lost: 1, duplicates: 0, latency_ms_p50: null, latency_ms_p99: null });
    tally.measured({ window_id: 'bed-01:mon-01:0', window_end_ms: 50_000 }, 50_250);
    expect(tally.counts()).toMatchObject({ windows_measured: 1, lost: 0, latency_ms_p50: 250 });
  });

  it('takes p50 and p99 from the sorted latencies', () => {
    const tally = new MeasurementTally();
    for (let i = 0; i < 100; i++) {
      tally.sent(`bed-01:mon-01:${i}`, i * 10_000);
      // Latencies 100, 99, ..., 1 ms: arrival order must not matter.
      tally.measured({ window_id: `bed-01:mon-01:${i}`, window_end_ms: i * 10_000 }, i * 10_000 + 100 - i);
    }
    expect(tally.counts()).toMatchObject({ latency_ms_p50: 51, latency_ms_p99: 100 });
  });
});
