import { WfdbAnnotation } from '../wfdb';

/** The three waves LUDB cardiologists delineate. */
export type LudbWaveKind = 'p' | 'qrs' | 't';

/** One delineated wave in one lead, in samples from the record start; a missing boundary is null. */
export interface LudbWave {
  kind: LudbWaveKind;
  onset: number | null;
  peak: number;
  offset: number | null;
}

const KIND_BY_SYMBOL: Readonly<Record<string, LudbWaveKind>> = { p: 'p', N: 'qrs', t: 't' };

/**
 * Groups an LUDB lead's annotation stream "( p ) ( N ) ( t )" into waves: a peak symbol takes the
 * '(' right before it as onset and the ')' right after it as offset.
 */
export function wavesFromAnnotations(annotations: readonly WfdbAnnotation[]): LudbWave[] {
  const waves: LudbWave[] = [];
  annotations.forEach((annotation, index) => {
    const kind = KIND_BY_SYMBOL[annotation.symbol];
    if (kind === undefined) return;
    const before = annotations[index - 1];
    const after = annotations[index + 1];
    waves.push({
      kind,
      onset: before?.symbol === '(' ? before.sample : null,
      peak: annotation.sample,
      offset: after?.symbol === ')' ? after.sample : null,
    });
  });
  return waves.sort((a, b) => a.peak - b.peak);
}
