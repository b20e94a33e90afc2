import { BeatFiducials } from '@aicrn/contracts';
import { EcgParameters, EcgRecord } from '../types';
import type { GeneratedBeat } from './generator';

/**
 * Labels of a synthetic window by the project's reference definitions (ludb-reference.md), applied to
 * the generator's own wave boundaries and to its noise-free signal:
 * PR = QRS onset - P onset, QRS = QRS offset - onset, QT = T offset - QRS onset (per beat, median over
 * beats whose waves lie inside the window); HR = 60000 / mean RR of consecutive in-window R peaks;
 * V5 baseline = mean of the samples in the 20 ms before QRS onset, r_amp = max over the QRS span
 * minus baseline, t_amp = value at the T-peak sample minus baseline (median over beats).
 * QTc is Bazett on the labelled QT and the window's mean RR.
 */
export function measureSyntheticLabels(clean: EcgRecord, beats: GeneratedBeat[]): { labels: EcgParameters; fiducials: BeatFiducials[] } {
  const fs = clean.sampleRateHz;
  const n = clean.leads[0].mv.length;
  const durationS = n / fs;
  const inside = (t: number) => t >= 0 && t <= durationS;
  const windowBeats = beats.filter((b) => b.rPeakS >= 0 && b.rPeakS < durationS);
  const v5 = clean.leads.find((l) => l.name === 'V5')?.mv;
  if (!v5) throw new Error('measureSyntheticLabels needs a V5 lead');

  const rr: number[] = [];
  for (let i = 1; i < windowBeats.length; i++) rr.push((windowBeats[i].rPeakS - windowBeats[i - 1].rPeakS) * 1000);
  const meanRrMs = rr.length ? rr.reduce((a, b) => a + b, 0) / rr.length : null;

  const pr: number[] = [];
  const qrs: number[] = [];
  const qt: number[] = [];
  const rAmp: number[] = [];
  const tAmp: number[] = [];
  const baselineSamples = Math.round(0.02 * fs);
  for (const b of windowBeats) {
    if (inside(b.pOnS) && inside(b.qrsOnS)) pr.push((b.qrsOnS - b.pOnS) * 1000);
    if (inside(b.qrsOnS) && inside(b.qrsOffS)) qrs.push((b.qrsOffS - b.qrsOnS) * 1000);
    if (inside(b.qrsOnS) && inside(b.tOffS)) qt.push((b.tOffS - b.qrsOnS) * 1000);

    const onSample = Math.ceil(b.qrsOnS * fs);
    const offSample = Math.floor(b.qrsOffS * fs);
    if (onSample - baselineSamples < 0 || offSample >= n) continue;
    let baseline = 0;
    for (let k = onSample - baselineSamples; k < onSample; k++) baseline += v5[k];
    baseline /= baselineSamples;
    let max = -Infinity;
    for (let k = onSample; k <= offSample; k++) if (v5[k] > max) max = v5[k];
    rAmp.push(max - baseline);
    const tPeakSample = Math.round(b.tPeakS * fs);
    if (tPeakSample < n) tAmp.push(v5[tPeakSample] - baseline);
  }

  const hr = meanRrMs === null ? null : 60000 / meanRrMs;
  const qtMs = median(qt);
  const labels: EcgParameters = {
    hr_bpm: round(hr),
    pr_ms: round(median(pr)),
    qrs_ms: round(median(qrs)),
    qt_ms: round(qtMs),
    qtc_ms: qtMs === null || meanRrMs === null ? null : round(qtMs / Math.sqrt(meanRrMs / 1000)),
    // Amplitudes are left unrounded: they are exactly what the stored samples give.
    r_amp_mv: median(rAmp),
    t_amp_mv: median(tAmp),
  };
  const fiducials = windowBeats.map((b) => ({
    r_s: b.rPeakS,
    p_on_s: inside(b.pOnS) ? b.pOnS : null,
    qrs_on_s: inside(b.qrsOnS) ? b.qrsOnS : null,
    qrs_off_s: inside(b.qrsOffS) ? b.qrsOffS : null,
    t_peak_s: inside(b.tPeakS) ? b.tPeakS : null,
    t_off_s: inside(b.tOffS) ? b.tOffS : null,
  }));
  return { labels, fiducials };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Removes float noise from differences of onset times (159.99999999997 -> 160), nothing more. */
function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e6) / 1e6;
}
