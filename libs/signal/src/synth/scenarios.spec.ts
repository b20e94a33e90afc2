import { generateWindow } from './generator';
import {
  bedScenario,
  leadOffEpisodes,
  motionBursts,
  namedScenario,
  qrsWidening,
  qtProlongation,
  SCENARIO_NAMES,
  scenarioForBed,
  stableScenario,
  tachycardia,
  tPeaking,
} from './scenarios';

const flatSamples = (mv: Float32Array) => {
  let run = 0;
  let best = 0;
  for (let i = 1; i < mv.length; i++) {
    run = mv[i] === mv[i - 1] ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
};

describe('bed scenarios', () => {
  it('stable: the heart stays the same over an hour, with background noise', () => {
    const s = stableScenario(3);
    const a = s.specAt(0);
    const b = s.specAt(3600);
    expect({ hr: b.hrBpm, qt: b.qtMs, qrs: b.qrsMs }).toEqual({ hr: a.hrBpm, qt: a.qtMs, qrs: a.qrsMs });
    expect(a.noise.emg?.rmsMv).toBeGreaterThan(0);
    expect(s.conditions).toEqual([]);
    const w = s.windowAt(120);
    expect(w.labels.qt_ms).toBeCloseTo(a.qtMs, 6);
    expect(s.windowAt(120).record.leads[0].mv).toEqual(w.record.leads[0].mv);
  });

  it('QT prolongation: +80 ms over 30 min by default, measured in the labels', () => {
    const s = bedScenario('qt', 5, [qtProlongation({ startS: 60 })]);
    const start = s.windowAt(0).labels.qt_ms!;
    const end = s.windowAt(1900).labels.qt_ms!;
    expect(end - start).toBeCloseTo(80, 6);
    const half = s.specAt(60 + 900 - 5).qtMs - s.base.qtMs;
    expect(half).toBeCloseTo(40, 6);
    expect(s.conditions).toEqual([expect.objectContaining({ kind: 'qt_prolongation', onsetS: 60, fullS: 1860, endS: null })]);
  });

  it('tachycardia: HR rises and QT shortens with the rate (QTc Fridericia kept)', () => {
    const s = bedScenario('tachy', 6, [tachycardia({ startS: 100, rampS: 20, targetHrBpm: 140, endS: 400 })]);
    const before = s.specAt(0);
    const during = s.specAt(200);
    expect(during.hrBpm).toBeCloseTo(140, 6);
    expect(during.qtMs / Math.cbrt(60 / during.hrBpm)).toBeCloseTo(before.qtMs / Math.cbrt(60 / before.hrBpm), 6);
    expect(s.specAt(500).hrBpm).toBeCloseTo(before.hrBpm, 6);
    expect(Math.abs(s.windowAt(200).labels.hr_bpm! - 140)).toBeLessThan(8);
  });

  it('bradycardia, QRS widening and T peaking change their parameter', () => {
    const brady = namedScenario('bradycardia', 7);
    expect(brady.windowAt(600).labels.hr_bpm!).toBeLessThan(45);
    const wide = bedScenario('wide', 8, [qrsWidening({ startS: 0, durationS: 100, deltaMs: 60 })]);
    const w0 = wide.windowAt(0);
    const w1 = wide.windowAt(200);
    expect(w1.labels.qrs_ms! - w0.labels.qrs_ms!).toBeCloseTo(60 - (60 * 5) / 100, 6);
    expect(w1.labels.qt_ms! - w0.labels.qt_ms!).toBeCloseTo(w1.labels.qrs_ms! - w0.labels.qrs_ms!, 6);
    const peaked = bedScenario('hyperk', 9, [tPeaking({ startS: 0, durationS: 100 })]);
    const ratio = (w: ReturnType<typeof generateWindow>) => w.labels.t_amp_mv! / w.labels.r_amp_mv!;
    expect(ratio(peaked.windowAt(300)) / ratio(peaked.windowAt(0))).toBeGreaterThan(1.5);
  });

  it('lead-off episodes flatten the lead only in the windows they overlap', () => {
    const s = bedScenario('off', 10, [leadOffEpisodes({ lead: 'V2', startS: 45, everyS: 100, durationS: 20 })]);
    const v2 = (t: number) => s.windowAt(t).record.leads.find((l) => l.name === 'V2')!.mv;
    expect(flatSamples(v2(30))).toBeLessThan(20);
    expect(flatSamples(v2(40))).toBeGreaterThanOrEqual(2499);
    expect(flatSamples(v2(50))).toBeGreaterThanOrEqual(4999);
    expect(flatSamples(v2(70))).toBeLessThan(20);
    expect(flatSamples(v2(150))).toBeGreaterThanOrEqual(4999);
    expect(s.specAt(40).noise.leadOff).toEqual([{ lead: 'V2', startS: 5, durationS: 20, mode: 'flat' }]);
  });

  it('motion bursts land in the windows that contain them', () => {
    const s = bedScenario('motion', 11, [motionBursts({ startS: 30, everyS: 60, durationS: 3, amplitudeMv: 1.5, seed: 4 })]);
    const bursts = Array.from({ length: 16 }, (_, k) => s.specAt(k * 10).noise.motion?.length ?? 0);
    expect(bursts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(bursts.slice(0, 3)).toEqual([0, 0, 0]);
    const during = s.windowAt(bursts.indexOf(1) * 10);
    const still = generateWindow({ ...during.spec, noise: { ...during.spec.noise, motion: undefined } }, during.seed);
    expect(during.labels).toEqual(still.labels);
    const ii = during.record.leads[1].mv;
    const stillIi = still.record.leads[1].mv;
    expect(Math.max(...ii.map((v, k) => Math.abs(v - stillIi[k])))).toBeGreaterThan(0.3);
  });

  it('demo bed 0 keeps HR > 120 for 30 s within the first 2 minutes', () => {
    const s = scenarioForBed(0, 1234);
    expect(s.name).toBe('demo-tachycardia');
    const hr = Array.from({ length: 12 }, (_, k) => s.windowAt(k * 10).labels.hr_bpm!);
    const firstHigh = hr.findIndex((x) => x > 120);
    expect(hr[0]).toBeLessThan(100);
    expect(firstHigh).toBeGreaterThan(0);
    expect(firstHigh * 10 + 30).toBeLessThanOrEqual(90);
    expect(hr.slice(firstHigh).every((x) => x > 120)).toBe(true);
  });

  it('demo bed 1 crosses QTc 500 ms within the first 2 minutes', () => {
    const s = scenarioForBed(1, 1234);
    expect(s.name).toBe('demo-qt-prolongation');
    const qtc = Array.from({ length: 12 }, (_, k) => s.windowAt(k * 10).labels.qtc_ms!);
    expect(qtc[0]).toBeLessThan(470);
    expect(qtc.slice(9).every((x) => x > 500)).toBe(true);
  });

  it('scenarioForBed gives a varied, reproducible mix and rejects bad indices', () => {
    const names = Array.from({ length: 10 }, (_, i) => scenarioForBed(i, 1).name);
    expect(new Set(names)).toEqual(new Set(SCENARIO_NAMES));
    expect(scenarioForBed(4, 1).specAt(30)).toEqual(scenarioForBed(4, 1).specAt(30));
    expect(scenarioForBed(2, 1).base.hrBpm).not.toBe(scenarioForBed(10, 1).base.hrBpm);
    expect(() => scenarioForBed(-1, 1)).toThrow(/bed index/);
    expect(() => namedScenario('nope' as never, 1)).toThrow(/options: demo-tachycardia/);
    expect(() => stableScenario(1).specAt(-5)).toThrow(/>= 0/);
  });
});
