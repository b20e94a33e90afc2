import { BedProfileError, bedProfileSchema, parseBedProfile, resolveAlarmSettings } from './bed-profile';
import { DEFAULT_SOURCES, DEFAULTS, DEFAULTS_TABLE, renderDefaultsTable, settingAt, sourceKeys } from './defaults';

describe('bed profile', () => {
  it('merges a partial override onto the defaults without touching the rest', () => {
    const settings = resolveAlarmSettings({ rules: { hr_high: { threshold_bpm: 130 } } });
    expect(settings.rules.hr_high).toEqual({ ...DEFAULTS.rules.hr_high, threshold_bpm: 130 });
    expect(settings.rules.qtc_prolonged).toEqual(DEFAULTS.rules.qtc_prolonged);
    expect(settings.quality).toEqual(DEFAULTS.quality);
  });

  it('resolves the empty profile to the defaults, as a copy', () => {
    const settings = resolveAlarmSettings({});
    expect(settings).toEqual(DEFAULTS);
    settings.rules.hr_high.threshold_bpm = 1;
    expect(DEFAULTS.rules.hr_high.threshold_bpm).toBe(120);
  });

  it('names the field and the problem for a wrong type', () => {
    expect(() => parseBedProfile({ rules: { hr_high: { threshold_bpm: 'fast' } } })).toThrow(/rules\.hr_high\.threshold_bpm: /);
  });

  it('rejects unknown keys so a typo cannot leave a default in force', () => {
    const result = bedProfileSchema.safeParse({ rules: { hr_hgh: { threshold_bpm: 130 } } });
    expect(result.success).toBe(false);
    expect(() => parseBedProfile({ rules: { hr_hgh: {} } })).toThrow(/hr_hgh/);
  });

  it('rejects out-of-range values with every issue listed', () => {
    try {
      parseBedProfile({ quality: { min_quality: 2 }, rules: { qtc_prolonged: { hold_ms: -1 } } });
      throw new Error('expected a BedProfileError');
    } catch (e) {
      expect(e).toBeInstanceOf(BedProfileError);
      const issues = (e as BedProfileError).issues;
      expect(issues.some((i) => i.startsWith('quality.min_quality:'))).toBe(true);
      expect(issues.some((i) => i.startsWith('rules.qtc_prolonged.hold_ms:'))).toBe(true);
    }
  });

  it('checks consistency of the merged result (hr_low against the default hr_high)', () => {
    expect(() => parseBedProfile({ rules: { hr_low: { threshold_bpm: 118 } } })).toThrow(/hr_low 118 bpm .* must stay below hr_high 120 bpm/);
    expect(() => parseBedProfile({ rules: { hr_low: { threshold_bpm: 118 }, hr_high: { threshold_bpm: 140 } } })).not.toThrow();
  });

  it('rejects a body that is not an object', () => {
    expect(() => parseBedProfile(null)).toThrow(BedProfileError);
    expect(() => parseBedProfile([1])).toThrow(BedProfileError);
  });

  it('accepts the defaults themselves as a profile', () => {
    expect(() => parseBedProfile(structuredClone(DEFAULTS))).not.toThrow();
  });
});

describe('defaults table', () => {
  it('has the clinical defaults of the issue with a source on every row', () => {
    const value = (s: string) => DEFAULTS_TABLE.find((r) => r.setting === s)?.value;
    expect(value('rules.qtc_prolonged.threshold_ms')).toBe(500);
    expect(value('rules.qtc_increase.increase_ms')).toBe(60);
    expect(value('rules.hr_high.threshold_bpm')).toBe(120);
    expect(value('rules.hr_low.threshold_bpm')).toBe(50);
    expect(value('rules.qrs_wide.threshold_ms')).toBe(120);
    expect(value('rules.pr_prolonged.threshold_ms')).toBe(200);
    expect(value('rules.qrs_widening.change_pct')).toBe(25);
    expect(value('rules.t_peaking.t_increase_pct')).toBe(50);
    expect(value('rules.hr_change.change_pct')).toBe(30);
    expect(DEFAULTS.rules.qtc_prolonged.hold_ms).toBe(300_000);
    expect(DEFAULTS.rules.qtc_increase.hold_ms).toBe(300_000);
    expect(DEFAULTS.rules.hr_high.hold_ms).toBe(30_000);
    expect(DEFAULTS.rules.qrs_wide.hold_ms).toBe(120_000);
    expect(DEFAULTS.rules.pr_prolonged.hold_ms).toBe(120_000);
    expect(DEFAULTS.rules.t_peaking.hold_ms).toBe(120_000);
    for (const r of DEFAULTS_TABLE) {
      expect(sourceKeys(r.source).length).toBeGreaterThan(0);
      for (const k of sourceKeys(r.source)) expect(DEFAULT_SOURCES[k]).toBeDefined();
    }
  });

  it('renders as Markdown and rejects unknown setting paths', () => {
    expect(renderDefaultsTable()).toContain('| `rules.qtc_prolonged.threshold_ms` | 500 |');
    expect(renderDefaultsTable()).toContain('- **AHA-TdP**: Drew BJ et al.');
    expect(() => settingAt(DEFAULTS, 'rules.nope')).toThrow(/unknown alarm setting "rules.nope"/);
    expect(() => settingAt(DEFAULTS, 'rules')).toThrow(/is a group/);
  });

  it('is frozen', () => {
    expect(() => {
      (DEFAULTS.rules.hr_high as { threshold_bpm: number }).threshold_bpm = 1;
    }).toThrow();
  });
});
