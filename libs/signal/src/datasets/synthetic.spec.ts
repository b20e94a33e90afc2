import { resolveSpec } from '../synth/spec';
import { Rng } from '../synth/random';
import { randomSpec } from '../synth/random-spec';
import { syntheticWindows, syntheticWindowSeed } from './synthetic';

describe('randomSpec', () => {
  it('covers the clinical ranges without needing clamps', () => {
    const rng = new Rng(2024);
    const specs = Array.from({ length: 600 }, () => randomSpec(rng));
    const range = (key: 'hrBpm' | 'prMs' | 'qrsMs' | 'qtMs' | 'tAmplitudeMv' | 'rAmplitudeMv') => [Math.min(...specs.map((s) => s[key])), Math.max(...specs.map((s) => s[key]))];
    expect(range('hrBpm')[0]).toBeLessThan(40);
    expect(range('hrBpm')[1]).toBeGreaterThan(175);
    expect(range('prMs')[0]).toBeLessThan(110);
    expect(range('prMs')[1]).toBeGreaterThan(300);
    expect(range('qrsMs')[0]).toBeLessThan(70);
    expect(range('qrsMs')[1]).toBeGreaterThan(190);
    expect(range('qtMs')[0]).toBeLessThan(265);
    expect(range('qtMs')[1]).toBeGreaterThan(580);
    expect(range('tAmplitudeMv')[0]).toBeLessThan(-0.5);
    expect(range('tAmplitudeMv')[1]).toBeGreaterThan(1.2);
    for (const s of specs) expect(resolveSpec(s).adjustments).toEqual([]);
  });
});

describe('syntheticWindows', () => {
  it('is lazy, reproducible and labelled', () => {
    const a = [...syntheticWindows({ seed: 1, count: 4, split: 'train' })];
    const b = [...syntheticWindows({ seed: 1, count: 4, split: 'train' })];
    expect(a.map((w) => w.labels)).toEqual(b.map((w) => w.labels));
    expect(a.map((w) => w.source)).toEqual(['synthetic/train/seed-1/0', 'synthetic/train/seed-1/1', 'synthetic/train/seed-1/2', 'synthetic/train/seed-1/3']);
    for (const w of a) expect(w.labels.qrs_ms).toBeCloseTo(w.spec.qrsMs, 6);
    const it = syntheticWindows({ seed: 1, count: 1e9, split: 'val' });
    expect(it.next().value.source).toBe('synthetic/val/seed-1/0');
  });

  it('never shares a window seed between splits', () => {
    const seeds = (split: 'train' | 'val' | 'test') => new Set(Array.from({ length: 2000 }, (_, i) => syntheticWindowSeed(77, split, i)));
    const train = seeds('train');
    const val = seeds('val');
    const test = seeds('test');
    expect(train.size).toBe(2000);
    for (const s of val) expect(train.has(s) || test.has(s)).toBe(false);
    for (const s of test) expect(train.has(s)).toBe(false);
    expect(() => syntheticWindowSeed(1, 'dev' as never, 0)).toThrow(/options: train, val, test/);
  });
});
