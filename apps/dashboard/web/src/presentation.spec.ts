import { baselineValue, referenceLines, setAt, valueAt } from './settings-paths';
import { parseRoute } from './router';
import { alertKindLabel, alertTone, formatNumber, formatValueWithUnit } from './format';
import { spreadLabels } from './draw/trend-chart';
import { millivoltsToY, stripLayout, timeToX } from './draw/ecg-layout';
import { niceTicks } from './draw/canvas';

const settings = {
  rules: {
    hr_high: { enabled: true, threshold_bpm: 120 },
    hr_low: { enabled: false, threshold_bpm: 50 },
    hr_change: { enabled: true, change_pct: 30 },
    qtc_prolonged: { enabled: true, threshold_ms: 500 },
    qtc_increase: { enabled: true, increase_ms: 60 },
  },
};

describe('settings paths', () => {
  it('reads and writes dotted paths', () => {
    expect(valueAt(settings, 'rules.hr_high.threshold_bpm')).toBe(120);
    expect(valueAt(settings, 'rules.nope.x')).toBeUndefined();
    const partial: Record<string, unknown> = {};
    setAt(partial, 'rules.hr_high.hold_ms', 0);
    setAt(partial, 'rules.hr_high.threshold_bpm', 40);
    expect(partial).toEqual({ rules: { hr_high: { hold_ms: 0, threshold_bpm: 40 } } });
  });

  it('reads the baseline flat or under values', () => {
    expect(baselineValue({ values: { qtc_ms: 430 } }, 'qtc_ms')).toBe(430);
    expect(baselineValue({ qtc_ms: 431 }, 'qtc_ms')).toBe(431);
    expect(baselineValue({ values: { qtc_ms: null } }, 'qtc_ms')).toBeNull();
    expect(baselineValue(null, 'qtc_ms')).toBeNull();
  });

  it('draws the baseline and the enabled thresholds, relative ones from the baseline', () => {
    const hr = referenceLines('hr_bpm', { values: { hr_bpm: 100 } }, settings);
    expect(hr).toEqual([
      { value: 100, label: 'baseline', kind: 'baseline' },
      { value: 120, label: 'high', kind: 'threshold' },
      { value: 130, label: '+change', kind: 'threshold' },
      { value: 70, label: '−change', kind: 'threshold' },
    ]);
    const qtc = referenceLines('qtc_ms', { values: { qtc_ms: 430 } }, settings).map((l) => l.value);
    expect(qtc).toEqual([430, 500, 490]);
    expect(referenceLines('qtc_ms', null, settings).map((l) => l.value)).toEqual([500]);
  });
});

describe('routes and formatting', () => {
  it('parses hash routes', () => {
    expect(parseRoute('#/bed/bed-01')).toEqual({ name: 'bed', bedId: 'bed-01' });
    expect(parseRoute('#/bed/a%20b')).toEqual({ name: 'bed', bedId: 'a b' });
    expect(parseRoute('#/alarms')).toEqual({ name: 'alarms' });
    expect(parseRoute('')).toEqual({ name: 'ward' });
    expect(parseRoute('#/bed/%E0%A4%A')).toEqual({ name: 'ward' });
  });

  it('formats values with units and labels alarms', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatValueWithUnit(0.456, 't_amp_mv')).toBe('0.46 mV');
    expect(formatValueWithUnit(512.4, 'qtc_ms')).toBe('512 ms');
    expect(alertKindLabel('qtc_prolonged')).toBe('QTc prolonged');
    expect(alertKindLabel('lead_off')).toBe('Lead off');
    expect(alertTone({ category: 'technical', priority: 'high' })).toBe('technical');
    expect(alertTone({ category: 'physiological', priority: 'low' })).toBe('low');
  });
});

describe('drawing geometry', () => {
  it('chooses readable axis ticks', () => {
    expect(niceTicks(14.4, 95.6, 4)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(0.27, 0.85, 4)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(niceTicks(400, 420, 4)).toEqual([400, 405, 410, 415, 420]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('spreads overlapping labels apart within the plot', () => {
    expect(spreadLabels([50, 51, 10], 12, 0, 100)).toEqual([50, 62, 10]);
    const [a, b] = spreadLabels([99, 100], 12, 0, 100);
    expect(b).toBe(100);
    expect(a).toBe(88);
  });

  it('puts the ECG on 25 mm/s and 10 mm/mV paper', () => {
    const layout = stripLayout(1320, 12, 10, 1);
    expect(layout.pxPerMm).toBeCloseTo(5, 5);
    expect(timeToX(layout, 1) - timeToX(layout, 0)).toBeCloseTo(25 * 5, 5);
    expect(millivoltsToY(layout, 0, 0) - millivoltsToY(layout, 0, 1)).toBeCloseTo(10 * 5, 5);
    expect(layout.rowPitchPx).toBeCloseTo(20 * 5, 5);
    expect(stripLayout(1320, 3, 10, 0).rowPitchPx).toBeCloseTo(25 * 5, 5);
    // Baselines sit on 5-mm lines of the paper, counted from the top of the lead area.
    for (const y of layout.rowBaselinePx) expect(((y - layout.leadsTopPx) / layout.pxPerMm) % 5).toBeCloseTo(0, 5);
    // Narrow screens keep a legible grid (>= 3 px per mm) and scroll.
    expect(stripLayout(300, 12, 10, 0).pxPerMm).toBe(3);
  });
});
