import { bridgeStuckLeads, findStuckRuns } from './stuck-segments';

const fs = 500;
/** A 10-s lead: a 1-Hz wave plus a deterministic dither, never repeating a value. */
function moving(seed: number): Float32Array {
  return Float32Array.from({ length: 5000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * i) / fs + seed) + 1e-3 * Math.sin(i * 12.9898 + seed));
}

describe('findStuckRuns', () => {
  it('finds runs of one repeated value lasting at least 0.1 s', () => {
    const mv = moving(1);
    mv.fill(0.2, 1000, 1049); // 49 samples: too short
    mv.fill(0.3, 2000, 2100);
    expect(findStuckRuns(mv, fs)).toEqual([{ from: 2000, to: 2099 }]);
  });
});

describe('bridgeStuckLeads', () => {
  it("bridges a railed stretch (far outside the lead's range) and leaves the other leads alone", () => {
    const leads = [moving(1), moving(2), moving(3)];
    leads[1].fill(163.835, 1500, 5000);
    const [first, railed, third] = bridgeStuckLeads(leads, fs);
    expect(first.runs).toEqual([]);
    expect(third.signal).toBe(leads[2]);
    expect(railed.runs).toEqual([{ from: 1500, to: 4999 }]);
    expect(Math.max(...railed.signal)).toBeLessThan(1);
  });

  it('takes a long flat stretch for a lost electrode only while the other leads record', () => {
    const leads = [moving(1), moving(2), moving(3)];
    leads[0].fill(0, 500, 1200);
    expect(bridgeStuckLeads(leads, fs)[0].runs).toEqual([{ from: 500, to: 1199 }]);
    // Every lead silent at once (a noise-free synthetic TP segment) is the heart, not an electrode.
    for (const lead of leads) lead.fill(0, 500, 1200);
    expect(bridgeStuckLeads(leads, fs).map((lead) => lead.runs)).toEqual([[], [], []]);
  });

  it("keeps short quantised flats inside the lead's range (real TP segments)", () => {
    const leads = [moving(1), moving(2)];
    leads[0].fill(leads[0][300], 300, 500);
    const [quantised] = bridgeStuckLeads(leads, fs);
    expect(quantised.runs).toEqual([]);
    expect(quantised.signal).toBe(leads[0]);
  });
});
