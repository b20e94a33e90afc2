import { loadMitdbRecord } from '../datasets/mitdb';
import { generateWindow } from '../synth/generator';
import { detectQrsCentresMultiLead, detectQrsPeaks } from './qrs-detector';

/** Beat-by-beat matching (each annotation to at most one detection within the window). */
function match(reference: Int32Array, detected: Int32Array, windowSamples: number): { tp: number } {
  let tp = 0;
  let j = 0;
  for (const beat of reference) {
    while (j < detected.length && detected[j] < beat - windowSamples) j++;
    if (j < detected.length && detected[j] <= beat + windowSamples) {
      tp++;
      j++;
    }
  }
  return { tp };
}

describe('detectQrsPeaks', () => {
  const mitdb = loadMitdbRecord('/work/shared/data/mitdb', '100');

  it.each(['MLII', 'V5'])('finds the annotated beats of MIT-BIH 100 (%s, 30 min, 360 Hz) with Se and +P >= 99.5 %%', (leadName) => {
    const lead = mitdb.record.leads.find((l) => l.name === leadName)!;
    const detected = detectQrsPeaks(lead.mv, mitdb.record.sampleRateHz);
    const { tp } = match(mitdb.beatSamples, detected, Math.round(0.15 * 360));
    const sensitivity = tp / mitdb.beatSamples.length;
    const positivePredictivity = tp / detected.length;
    expect(mitdb.beatSamples.length).toBe(2273);
    expect(sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(positivePredictivity).toBeGreaterThanOrEqual(0.995);
  });

  it('returns R peaks on the largest deflection, and nothing on a flat line', () => {
    const lead = mitdb.record.leads[0].mv.subarray(0, 3600);
    const peaks = detectQrsPeaks(lead, 360);
    const annotated = Array.from(mitdb.beatSamples).filter((s) => s < 3600);
    expect(peaks.length).toBe(annotated.length);
    peaks.forEach((p, i) => expect(Math.abs(p - annotated[i])).toBeLessThanOrEqual(Math.round(0.02 * 360)));
    expect(detectQrsPeaks(new Float32Array(5000), 500)).toHaveLength(0);
  });

  it('does not count P or T waves that outgrow a small QRS in a few leads (the slope vote, lead by lead)', () => {
    // QRS axis -28 degrees: the QRS is small in II, III and aVF, where a 0.29 mV P wave is steeper than it.
    const window = generateWindow({ hrBpm: 69, prMs: 206, qrsMs: 131, qtMs: 373, rAmplitudeMv: 0.94, tAmplitudeMv: -0.13, pAmplitudeMv: 0.29, qFraction: 0.15, sFraction: 0.13, qrsAxisDeg: -28, tAxisDeg: 12 }, 150);
    const centres = detectQrsCentresMultiLead(window.clean.leads.map((l) => l.mv), 500);
    const truth = window.beats.map((b) => b.r_s * 500);
    expect(centres).toHaveLength(truth.length);
    centres.forEach((c, i) => expect(Math.abs(c - truth[i])).toBeLessThanOrEqual(0.07 * 500));
  });

  it('widens the T-wave window at slow rates, where a long QT puts the T peak beyond 360 ms', () => {
    const window = generateWindow({ hrBpm: 40, qrsMs: 64, qtMs: 480, rAmplitudeMv: 0.6, tAmplitudeMv: 0.55, tPeakedness: 1, hrv: { rrJitterFraction: 0.01, respiratoryDepthFraction: 0.01 } }, 3);
    const tPeakAfterR = (window.generatedBeats[1].tPeakS - window.generatedBeats[1].rPeakS) * 1000;
    expect(tPeakAfterR).toBeGreaterThan(360);
    expect(detectQrsCentresMultiLead(window.clean.leads.map((l) => l.mv), 500)).toHaveLength(window.beats.length);
  });

  it('rejects unusable sample rates', () => {
    expect(() => detectQrsPeaks(new Float32Array(100), 20)).toThrow(/sample rate 20 Hz/);
    expect(() => detectQrsPeaks(new Float32Array(100), Number.NaN)).toThrow(RangeError);
  });
});
