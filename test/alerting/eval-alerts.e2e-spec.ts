import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Alert, EcgMeasurement } from '@aicrn/contracts';
import { BedAlarms } from '@aicrn/alarms';
import {
  bedWindows,
  EvaluationBed,
  evaluationWard,
  EvaluationReport,
  measurementSetup,
  QUICK_PROFILE,
  runAlertEvaluation,
  runBedWindows,
} from '@aicrn/pipeline';

/**
 * Issue 6, done when: every scripted condition alerted, HR alerts <= 10 s after the persistence
 * period, no false alarms on the stable and motion-artefact beds, on a reduced run of the real
 * pipeline (ingestWindow -> measureWindows(DSP) -> BedAlarms). The full-run figures are in the
 * README (`aicrn eval-alerts`); here 30 min of each false-alarm scenario must give zero alarms.
 */
describe('eval-alerts: scripted scenarios through the pipeline (reduced run)', () => {
  let report: EvaluationReport;
  const abort = new AbortController();
  const dir = mkdtempSync(join(tmpdir(), 'aicrn-eval-alerts-'));

  beforeAll(async () => {
    // The same worker the CLI runs from dist/, bundled from source: DSP inside jest's sandbox is ~3x slower.
    const workerFile = join(dir, 'evaluation-worker.js');
    buildSync({ entryPoints: [join(__dirname, '../../libs/pipeline/src/alert-evaluation/evaluation-worker.ts')], bundle: true, platform: 'node', outfile: workerFile, tsconfig: join(__dirname, '../../tsconfig.json'), logLevel: 'error' });
    report = await runAlertEvaluation({ quick: true, bedsPerCondition: 1, falseAlarmHours: 1, seed: 1, workers: 2, workerFile, signal: abort.signal });
  }, 120_000);

  afterAll(() => {
    abort.abort();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ran every window of every scenario through ingestion, measurement and alarms', () => {
    const names = report.scenarios.map((s) => s.name).sort();
    expect(names).toEqual(['bradycardia', 'lead-off', 'motion-artefact', 'qrs-widening', 'qt-prolongation', 'stable', 't-peaking', 'tachycardia']);
    expect(report.scenarios.reduce((n, s) => n + s.windows, 0)).toBe(report.windows);
    expect(report.scenarios.every((s) => s.rejected_windows === 0)).toBe(true);
  });

  it('alerts every scripted condition (sensitivity 100 %)', () => {
    const kinds = report.conditions.map((c) => c.kind).sort();
    expect(kinds).toEqual(['bradycardia', 'lead_off', 'qrs_widening', 'qt_prolongation', 't_peaking', 'tachycardia']);
    for (const c of report.conditions) expect({ kind: c.kind, missed: c.missed, sensitivity: c.sensitivity }).toEqual({ kind: c.kind, missed: [], sensitivity: 1 });
    expect(report.conditions.find((c) => c.kind === 'lead_off')!.conditions).toBe(QUICK_PROFILE.leadOffEpisodes);
  });

  it('raises HR alerts within 10 s after the persistence period ends', () => {
    const hr = report.alert_kinds.filter((k) => ['hr_high', 'hr_low', 'hr_change'].includes(k.kind) && k.required > 0);
    expect(hr.map((k) => k.kind).sort()).toEqual(['hr_change', 'hr_high', 'hr_low']);
    for (const k of hr) {
      expect({ kind: k.kind, detected: k.detected }).toEqual({ kind: k.kind, detected: k.required });
      expect(k.after_hold.max_ms).toBeLessThanOrEqual(10_000);
    }
  });

  it('raises no false alarm on the stable and motion-artefact beds', () => {
    const fa = report.false_alarm_scenarios;
    expect(fa.scenarios.sort()).toEqual(['motion-artefact', 'stable']);
    expect(fa.bed_hours).toBeCloseTo(1, 5);
    expect({ false_alarms: fa.false_alarms, by_kind: fa.by_kind }).toEqual({ false_alarms: 0, by_kind: {} });
  });

  it('passes the done-when checks it reports', () => {
    expect(report.checks.filter((c) => !c.passed)).toEqual([]);
  });
});

describe('eval-alerts: replaying the same windows', () => {
  // Tachycardia right after the baseline: hr_high and hr_change raised near 370 s, hr_high escalated 2 min later.
  const bed: EvaluationBed = { index: 0, scenario: 'tachycardia', role: 'condition', seed: 7, durationS: 520 };
  const measurement = measurementSetup('dsp', 'bazett');
  const run = (engine?: BedAlarms) => {
    const ward = evaluationWard([bed], QUICK_PROFILE);
    return runBedWindows(ward.beds[0].bedId, bedWindows(ward, ward.beds[0], bed.durationS), { measurement, engine, keepMeasurements: true });
  };
  const ids = (events: Alert[]) => events.map((e) => e.event_id);
  let first: { events: Alert[]; measurements: EcgMeasurement[]; engine: BedAlarms };

  beforeAll(async () => {
    const engine = new BedAlarms('bed-01');
    const result = await run(engine);
    first = { events: result.events, measurements: result.measurements, engine };
  }, 60_000);

  it('the scenario raises alerts to compare (raised and escalated)', () => {
    expect(first.events.map((e) => `${e.kind}:${e.state}`)).toEqual(expect.arrayContaining(['hr_high:raised', 'hr_change:raised', 'hr_high:escalated']));
  });

  it('a second pass through the whole pipeline with a fresh engine gives the same alert and event ids', async () => {
    const second = await run();
    expect(ids(second.events)).toEqual(ids(first.events));
    expect(second.events).toEqual(first.events);
  });

  it('redelivering every window to the same engine adds no alert', async () => {
    const before = first.engine.snapshot();
    const again = await run(first.engine);
    expect(again.events).toEqual([]);
    expect(first.engine.snapshot()).toEqual(before);
  });

  it('at-least-once delivery (every measurement twice) and a restart from a snapshot give the same events', () => {
    const twice = new BedAlarms('bed-01');
    expect(ids(first.measurements.flatMap((m) => [...twice.observe(m), ...twice.observe(m)]))).toEqual(ids(first.events));

    const cut = Math.floor(first.measurements.length * 0.75);
    const before = new BedAlarms('bed-01');
    const head = first.measurements.slice(0, cut).flatMap((m) => before.observe(m));
    // A crash after the snapshot: the restarted engine gets the last 6 windows again, then the rest.
    const restarted = BedAlarms.restore(JSON.parse(JSON.stringify(before.snapshot())));
    const tail = first.measurements.slice(cut - 6).flatMap((m) => restarted.observe(m));
    expect(ids([...head, ...tail])).toEqual(ids(first.events));
  });
});
