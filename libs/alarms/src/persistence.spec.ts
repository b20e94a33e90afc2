import { emptyHold, heldMs, holdOff, holdOn, isHeld, PersistenceState } from './persistence';

const S = { hold_ms: 30_000, gap_tolerance_ms: 20_000, min_coverage: 0.7, evidence_limit: 3 };
const w = (i: number) => ({ window_id: `w${i}`, window_start_ms: i * 10_000, window_end_ms: (i + 1) * 10_000 });

function run(pattern: string): PersistenceState {
  // '1' = condition met, '0' = judged and not met, '.' = missing (low quality / unmeasured)
  let s = emptyHold();
  [...pattern].forEach((c, i) => {
    if (c === '1') s = holdOn(s, w(i), S);
    if (c === '0') s = holdOff();
  });
  return s;
}

describe('persistence', () => {
  it('is held once the condition spans hold_ms', () => {
    expect(isHeld(run('11'), S)).toBe(false);
    expect(isHeld(run('111'), S)).toBe(true);
    expect(heldMs(run('111'))).toBe(30_000);
  });

  it('a judged window without the condition restarts the hold', () => {
    expect(isHeld(run('1101'), S)).toBe(false);
    expect(run('1101').onset_window_id).toBe('w3');
  });

  it('tolerates a missing window inside the hold, counting its time', () => {
    const s = run('1.11');
    expect(s.onset_window_id).toBe('w0');
    expect(heldMs(s)).toBe(40_000);
    expect(isHeld(s, S)).toBe(true);
  });

  it('restarts after a gap longer than the tolerance', () => {
    const s = run('1...11');
    expect(s.onset_window_id).toBe('w4');
    expect(isHeld(s, S)).toBe(false);
  });

  it('requires coverage: mostly missing time is not a hold', () => {
    expect(isHeld(run('1..1'), S)).toBe(false); // 20 s covered of 40 s
    expect(isHeld(run('1..1..1'), S)).toBe(false); // 30 of 70
  });

  it('keeps a bounded list of evidence windows, newest last', () => {
    expect(run('11111').evidence).toEqual(['w2', 'w3', 'w4']);
  });
});
