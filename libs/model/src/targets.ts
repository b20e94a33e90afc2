/** The regressed targets, in the order of the model's output vector. Units are in the names. */
export const AICRN_TARGETS = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'r_amp_mv', 't_amp_mv'] as const;
export type AicrnTarget = (typeof AICRN_TARGETS)[number];

export function isAicrnTarget(name: string): name is AicrnTarget {
  return (AICRN_TARGETS as readonly string[]).includes(name);
}
