/** "5 min", "30 s", "1 min 30 s", "0 s". */
export function formatDuration(ms: number): string {
  const totalS = Math.round(ms / 100) / 10;
  const min = Math.floor(totalS / 60);
  const s = Math.round((totalS - min * 60) * 10) / 10;
  if (min === 0) return `${s} s`;
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}

/** Rounds for display: integers for ms/bpm/%, two decimals for mV. */
export function fmt(value: number, decimals = 0): string {
  return value.toFixed(decimals);
}
