/** QT correction formulas: Bazett (default), Fridericia, Framingham. */
export const QTC_FORMULAS = ['bazett', 'fridericia', 'framingham'] as const;
export type QtcFormula = (typeof QTC_FORMULAS)[number];

/** QTc in ms from QT (ms) and the RR interval (ms); null when either is missing or RR is not positive. */
export function correctQt(qtMs: number | null, rrMs: number | null, formula: QtcFormula | string = 'bazett'): number | null {
  if (!(QTC_FORMULAS as readonly string[]).includes(formula)) {
    throw new RangeError(`unknown QTc formula "${formula}" (options: ${QTC_FORMULAS.join(', ')})`);
  }
  if (qtMs === null || rrMs === null || !Number.isFinite(qtMs) || !Number.isFinite(rrMs) || rrMs <= 0) return null;
  const rrS = rrMs / 1000;
  switch (formula as QtcFormula) {
    case 'bazett':
      return qtMs / Math.sqrt(rrS);
    case 'fridericia':
      return qtMs / Math.cbrt(rrS);
    case 'framingham':
      return qtMs + 154 * (1 - rrS);
  }
}

export const bazett = (qtMs: number | null, rrMs: number | null): number | null => correctQt(qtMs, rrMs, 'bazett');
export const fridericia = (qtMs: number | null, rrMs: number | null): number | null => correctQt(qtMs, rrMs, 'fridericia');
export const framingham = (qtMs: number | null, rrMs: number | null): number | null => correctQt(qtMs, rrMs, 'framingham');
