import type { EcgParameters } from '@aicrn/signal';
import { Standardisation } from '../model-metadata';
import { AicrnTarget } from '../targets';

/**
 * Per-target mean and standard deviation over the labels that exist (nulls are skipped, not imputed).
 * A target without at least two distinct labels cannot be standardised: that is an error naming it.
 */
export function fitStandardisation(labels: readonly EcgParameters[], targets: readonly AicrnTarget[]): Partial<Standardisation> {
  const out: Partial<Standardisation> = {};
  for (const target of targets) {
    const values = labels.map((l) => l[target]).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length < 2) throw new Error(`cannot standardise ${target}: ${values.length} labelled sample(s) in the standardisation sample; need at least 2`);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    if (!(std > 0)) throw new Error(`cannot standardise ${target}: all ${values.length} labels equal ${mean}`);
    out[target] = { mean, std };
  }
  return out;
}

/** Standardised targets and the 0/1 mask of labels present, row-major [samples, targets]. */
export function standardiseLabels(
  labels: readonly EcgParameters[],
  targets: readonly AicrnTarget[],
  standardisation: Partial<Standardisation>,
): { values: Float32Array; mask: Float32Array } {
  const values = new Float32Array(labels.length * targets.length);
  const mask = new Float32Array(labels.length * targets.length);
  labels.forEach((l, i) => {
    targets.forEach((target, k) => {
      const v = l[target];
      const stats = standardisation[target];
      if (!stats) throw new Error(`standardisation has no entry for target ${target}`);
      if (v === null || !Number.isFinite(v)) return;
      values[i * targets.length + k] = (v - stats.mean) / stats.std;
      mask[i * targets.length + k] = 1;
    });
  });
  return { values, mask };
}
