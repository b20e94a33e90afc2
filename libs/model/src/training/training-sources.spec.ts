import { existsSync } from 'node:fs';
import { Rng } from '@aicrn/signal';
import { AicrnConfig, presetConfig } from '../config';
import { UNKNOWN_WAVE } from './wave-labels';
import { augmentWindow, invertLeads, labelledLudbWindow, loadLudbRecords, openTrainingStream, syntheticWindowAt } from './training-sources';

const LUDB = '/work/shared/data/ludb';
const describeWithLudb = existsSync(`${LUDB}/data/1.hea`) ? describe : describe.skip;

describeWithLudb('LUDB training source', () => {
  const config = presetConfig('serving');

  it('keeps interval labels, leaves amplitude labels null and changes the signal when augmenting', () => {
    const [window] = loadLudbRecords(LUDB, [1]).map(labelledLudbWindow);
    expect(window.labels.r_amp_mv).toBeNull();
    expect(window.labels.t_amp_mv).toBeNull();
    const augmented = augmentWindow(window, new Rng(4));
    expect(augmented.labels).toEqual(window.labels);
    expect(augmented.record.leads.map((l) => l.name.toUpperCase())).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    const original = window.record.leads.find((l) => l.name.toUpperCase() === 'V5')!.mv;
    const changed = augmented.record.leads.find((l) => l.name.toUpperCase() === 'V5')!.mv;
    expect(changed.length).toBe(original.length);
    expect(changed.some((v, i) => Math.abs(v - original[i]) > 1e-4)).toBe(true);
  });

  it('slows some augmented draws down, with labels re-derived from the moved annotations', async () => {
    const [base] = loadLudbRecords(LUDB, [1]).map(labelledLudbWindow);
    const stream = openTrainingStream({ kind: 'ludb', dir: LUDB, records: [1], seed: 3, augment: true }, config, 6);
    const draws = [];
    for (let i = 0; i < 20; i++) draws.push(await stream.next());
    const stretched = draws.filter((d) => d.source.includes('/stretch-'));
    expect(stretched.length).toBeGreaterThan(4);
    expect(stretched.length).toBeLessThan(20);
    for (const d of stretched) {
      const factor = Number(/stretch-([\d.]+)/.exec(d.source)![1]);
      expect(d.labels.hr_bpm!).toBeCloseTo(base.labels.hr_bpm! / factor, -0.5);
      expect(Math.abs(d.labels.qt_ms! - base.labels.qt_ms! * factor)).toBeLessThanOrEqual(12);
    }
    const plain = draws.filter((d) => !d.source.includes('/stretch-'));
    for (const d of plain) expect(d.labels.qt_ms).toBe(base.labels.qt_ms);
  });

  it('rebuilds a warpShare of augmented draws from warped beats, labels from the moved annotations; share 0 keeps the old stream', async () => {
    const [base] = loadLudbRecords(LUDB, [2]).map(labelledLudbWindow);
    const draws = async (warpShare?: number) => {
      const stream = openTrainingStream({ kind: 'ludb', dir: LUDB, records: [2], seed: 3, augment: true, ...(warpShare === undefined ? {} : { warpShare }) }, config, 6);
      const out = [];
      for (let i = 0; i < 24; i++) out.push(await stream.next());
      return out;
    };
    const old = await draws();
    expect((await draws(0)).map((d) => [d.source, d.labels])).toEqual(old.map((d) => [d.source, d.labels]));
    const mixed = await draws(0.5);
    const warped = mixed.filter((d) => d.source.includes('/warp-'));
    expect(warped.length).toBeGreaterThan(6);
    expect(warped.length).toBeLessThan(20);
    for (const d of warped) {
      // QRS and PR follow their own factors, named in the source.
      const [, pr, qrs] = /warp-pr([\d.]+)-qrs([\d.]+)/.exec(d.source)!.map(Number);
      expect(Math.abs(d.labels.qrs_ms! - base.labels.qrs_ms! * qrs)).toBeLessThanOrEqual(5);
      expect(Math.abs(d.labels.pr_ms! - base.labels.pr_ms! * pr)).toBeLessThanOrEqual(6);
    }
    const hrs = warped.map((d) => d.labels.hr_bpm!);
    expect(Math.max(...hrs) - Math.min(...hrs)).toBeGreaterThan(15);
  });

  it('turns a fibrillationShare of the warped draws into atrial fibrillation: no PR label, no P-R wave class; share 0 keeps the old stream', async () => {
    const draws = async (fibrillationShare?: number) => {
      const stream = openTrainingStream({ kind: 'ludb', dir: LUDB, records: [2], seed: 5, augment: true, warpShare: 1, ...(fibrillationShare === undefined ? {} : { fibrillationShare }) }, config, 6);
      const out = [];
      for (let i = 0; i < 16; i++) out.push(await stream.next());
      return out;
    };
    const old = await draws();
    expect((await draws(0)).map((d) => [d.source, d.labels])).toEqual(old.map((d) => [d.source, d.labels]));
    const mixed = await draws(0.5);
    const af = mixed.filter((d) => d.source.includes('/af-'));
    expect(af.length).toBeGreaterThan(3);
    expect(af.length).toBeLessThan(14);
    const PR_CLASS = 1;
    for (const d of af) {
      expect(d.labels.pr_ms).toBeNull();
      expect(d.labels.qrs_ms).not.toBeNull();
      expect(d.waves!.some((c) => c === PR_CLASS)).toBe(false);
      expect(d.waves!.some((c) => c === 0)).toBe(true);
    }
    for (const d of mixed.filter((d) => !d.source.includes('/af-'))) expect(d.labels.pr_ms).not.toBeNull();
  });

  it('inverts leads without moving a label: chest leads one by one, I and II only together, at least one lead', () => {
    const [window] = loadLudbRecords(LUDB, [3]).map(labelledLudbWindow);
    const byName = (w: typeof window) => new Map(w.record.leads.map((l) => [l.name.toUpperCase(), l.mv]));
    const original = byName(window);
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const inverted = invertLeads(window, new Rng(seed));
      expect(inverted.labels).toEqual(window.labels);
      expect(inverted.leadBeats).toEqual(window.leadBeats);
      const flipped = [...byName(inverted)].filter(([name, mv]) => mv.some((v, i) => v !== original.get(name)![i])).map(([name]) => name);
      for (const name of flipped) {
        const mv = byName(inverted).get(name)!;
        expect(mv.every((v, i) => v === -original.get(name)![i])).toBe(true);
        seen.add(name);
      }
      expect(flipped.length).toBeGreaterThan(0);
      // Einthoven holds after the flip as before it: I and II never flip alone.
      expect(flipped.includes('I')).toBe(flipped.includes('II'));
      expect(flipped.includes('I')).toBe(flipped.includes('AVF'));
    }
    expect([...seen].sort()).toEqual(['AVF', 'AVL', 'AVR', 'I', 'II', 'III', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  });

  it('inverts a polarityShare of augmented draws; share 0 keeps the old stream', async () => {
    const draws = async (polarityShare?: number) => {
      const stream = openTrainingStream({ kind: 'ludb', dir: LUDB, records: [2, 3], seed: 6, augment: true, ...(polarityShare === undefined ? {} : { polarityShare }) }, config, 6);
      const out = [];
      for (let i = 0; i < 16; i++) out.push(await stream.next());
      return out;
    };
    const old = await draws();
    expect((await draws(0)).map((d) => [d.source, d.labels, Array.from(d.input.subarray(0, 64))])).toEqual(old.map((d) => [d.source, d.labels, Array.from(d.input.subarray(0, 64))]));
    const mixed = await draws(0.5);
    const inverted = mixed.filter((d) => d.source.endsWith('/inverted'));
    expect(inverted.length).toBeGreaterThan(3);
    expect(inverted.length).toBeLessThan(14);
    mixed.forEach((d, i) => expect(d.labels).toEqual(old[i].labels));
  });

  it('mixes synthetic and LUDB windows by weight, reproducibly', async () => {
    const spec = {
      kind: 'mixed' as const,
      seed: 2,
      parts: [
        { weight: 0.5, source: { kind: 'synthetic' as const, seed: 2, split: 'train' as const } },
        { weight: 0.5, source: { kind: 'ludb' as const, dir: LUDB, records: [1, 2, 3], seed: 2, augment: true } },
      ],
    };
    const sources = async () => {
      const stream = openTrainingStream(spec, config, 6);
      const out: string[] = [];
      for (let i = 0; i < 12; i++) out.push((await stream.next()).source);
      return out;
    };
    const first = await sources();
    expect(first.some((s) => s.startsWith('ludb/'))).toBe(true);
    expect(first.some((s) => s.startsWith('synthetic/'))).toBe(true);
    expect(await sources()).toEqual(first);
  });
});

describe('wave classes for the delineation output', () => {
  const config: AicrnConfig = { ...presetConfig('serving'), delineation: true };

  it('come with LUDB and synthetic windows for a delineation model, and can be left out for synthetic ones', async () => {
    const first = async (spec: Parameters<typeof openTrainingStream>[0], cfg = config) => (await openTrainingStream(spec, cfg, 6).next()).waves;
    const known = (w: Uint8Array | null | undefined) => (w ? w.filter((c) => c !== UNKNOWN_WAVE).length : 0);
    const synthetic = await first({ kind: 'synthetic', seed: 5, split: 'train' });
    // 12 leads x 1247 steps; synthetic windows give every lead the generator's global boundaries.
    expect(known(synthetic)).toBeGreaterThan(12 * 800);
    expect(await first({ kind: 'synthetic', seed: 5, split: 'train', waveLabels: false })).toBeNull();
    expect(await first({ kind: 'synthetic', seed: 5, split: 'train' }, { ...presetConfig('serving'), delineation: false })).toBeNull();
    if (existsSync(`${LUDB}/data/1.hea`)) {
      // LUDB annotates about 1-9 s of a record in each lead: most, not all, of the window.
      const ludb = await first({ kind: 'ludb', dir: LUDB, records: [2], seed: 1, augment: false });
      expect(known(ludb)).toBeGreaterThan(12 * 700);
      expect(known(ludb)).toBeLessThan(12 * 1150);
    }
  });
});

describe('synthetic training source', () => {
  it('draws a populationShare of windows with adult intervals; the default stream is unchanged', async () => {
    const config = presetConfig('serving');
    const labels = async (populationShare?: number) => {
      const stream = openTrainingStream({ kind: 'synthetic', seed: 5, split: 'train', ...(populationShare === undefined ? {} : { populationShare }) }, config, 6);
      const out = [];
      for (let i = 0; i < 24; i++) out.push((await stream.next()).labels);
      return out;
    };
    const uniform = await labels();
    expect(await labels(0)).toEqual(uniform);
    expect(uniform[0]).toEqual(syntheticWindowAt(5, 'train', 0).labels);
    const adult = await labels(1);
    expect(adult[0]).toEqual(syntheticWindowAt(5, 'train', 0, 1).labels);
    const wide = (ls: typeof uniform) => ls.filter((l) => l.qrs_ms !== null && l.qrs_ms > 130).length;
    expect(wide(adult)).toBeLessThan(wide(uniform));
    expect(wide(adult)).toBeLessThanOrEqual(1);
  });
});
