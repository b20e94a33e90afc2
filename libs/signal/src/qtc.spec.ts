import { bazett, correctQt, framingham, fridericia } from './qtc';

describe('QTc', () => {
  it('applies Bazett, Fridericia and Framingham to QT in ms and RR in ms', () => {
    expect(bazett(400, 1000)).toBe(400);
    expect(bazett(360, 640)).toBeCloseTo(450, 9);
    expect(fridericia(400, 512)).toBeCloseTo(500, 9);
    expect(framingham(400, 800)).toBeCloseTo(430.8, 9);
    expect(correctQt(400, 810)).toBeCloseTo(400 / 0.9, 9);
  });

  it('is null without QT or a positive RR, and rejects unknown formulas listing the options', () => {
    expect(bazett(null, 1000)).toBeNull();
    expect(bazett(400, null)).toBeNull();
    expect(bazett(400, 0)).toBeNull();
    expect(() => correctQt(400, 1000, 'hodges')).toThrow('unknown QTc formula "hodges" (options: bazett, fridericia, framingham)');
  });
});
