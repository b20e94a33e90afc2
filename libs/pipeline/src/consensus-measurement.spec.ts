import { correctQt, WindowMeasurement } from '@aicrn/signal';
import { consensusMeasurement } from './consensus-measurement';

function measured(parameters: Partial<WindowMeasurement['parameters']>, unmeasured: WindowMeasurement['unmeasured'] = []): WindowMeasurement {
  return {
    parameters: { hr_bpm: 60, pr_ms: 160, qrs_ms: 90, qt_ms: 400, qtc_ms: 400, r_amp_mv: 1.2, t_amp_mv: 0.3, ...parameters },
    unmeasured,
    beats: [],
  };
}

describe('consensusMeasurement', () => {
  it('reports the mean of the two methods for every parameter both measured', () => {
    const network = measured({ hr_bpm: 72, pr_ms: 150, qrs_ms: 100, qt_ms: 380, r_amp_mv: 1.0, t_amp_mv: 0.2 });
    const classical = measured({ hr_bpm: 74, pr_ms: 170, qrs_ms: 84, qt_ms: 420, r_amp_mv: 1.4, t_amp_mv: 0.4 });
    const { parameters, unmeasured } = consensusMeasurement(network, classical, 'bazett');
    expect(parameters).toMatchObject({ hr_bpm: 73, pr_ms: 160, qrs_ms: 92, qt_ms: 400 });
    expect(parameters.r_amp_mv).toBeCloseTo(1.2, 12);
    expect(parameters.t_amp_mv).toBeCloseTo(0.3, 12);
    expect(unmeasured).toEqual([]);
  });

  it('derives QTc from the consensus QT and heart rate with the formula asked for, not from either QTc', () => {
    const network = measured({ hr_bpm: 50, qt_ms: 440, qtc_ms: 1 });
    const classical = measured({ hr_bpm: 70, qt_ms: 400, qtc_ms: 2 });
    for (const formula of ['bazett', 'fridericia'] as const) {
      expect(consensusMeasurement(network, classical, formula).parameters.qtc_ms).toBeCloseTo(correctQt(420, 1000, formula)!, 9);
    }
  });

  it('leaves a parameter only one method measured null, saying which measured it and why the other did not', () => {
    const network = measured({ pr_ms: null }, [{ parameter: 'pr_ms', reason: 'no beat has a P wave' }]);
    const classical = measured({ t_amp_mv: null }, [{ parameter: 't_amp_mv', reason: 'no T wave found' }]);
    const { parameters, unmeasured } = consensusMeasurement(network, classical, 'bazett');
    expect(parameters.pr_ms).toBeNull();
    expect(parameters.t_amp_mv).toBeNull();
    expect(parameters.qrs_ms).toBe(90);
    expect(unmeasured).toEqual([
      { parameter: 'pr_ms', reason: 'only dsp measured it (network: no beat has a P wave)' },
      { parameter: 't_amp_mv', reason: 'only the network measured it (dsp: no T wave found)' },
    ]);
  });

  it('gives both reasons when neither measured a parameter, and explains a missing QTc', () => {
    const network = measured({ qt_ms: null }, [{ parameter: 'qt_ms', reason: 'no T offset' }]);
    const classical = measured({ qt_ms: null });
    const { parameters, unmeasured } = consensusMeasurement(network, classical, 'bazett');
    expect(parameters.qtc_ms).toBeNull();
    expect(unmeasured).toEqual([
      { parameter: 'qt_ms', reason: 'neither method measured it (network: no T offset; dsp: not measured)' },
      { parameter: 'qtc_ms', reason: 'QTc needs the consensus QT and HR (QT unavailable)' },
    ]);
  });

  it("keeps the network's beats for the strip", () => {
    const beats = [{ r_s: 1, p_on_s: 0.8, qrs_on_s: 0.95, qrs_off_s: 1.05, t_peak_s: null, t_off_s: 1.35 }];
    const classical = { ...measured({}), beats: [{ ...beats[0], r_s: 1.01 }] };
    expect(consensusMeasurement({ ...measured({}), beats }, classical, 'bazett').beats).toBe(beats);
  });
});
