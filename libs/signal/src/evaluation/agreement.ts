import { EcgParameters } from '../types';

/** Agreement of a method with the reference for one parameter, over pairs where both are non-null. */
export interface ParameterAgreement {
  parameter: keyof EcgParameters;
  n: number;
  /** Pairs the reference had but the method left null. */
  missed: number;
  mae: number | null;
  rmse: number | null;
  r2: number | null;
  /** Bland-Altman: mean of (method - reference), its SD, and mean +- 1.96 SD. */
  meanDifference: number | null;
  sdDifference: number | null;
  lowerLimit: number | null;
  upperLimit: number | null;
}

/** One measured/reference pair, kept for plots. */
export interface AgreementPair {
  measured: number;
  reference: number;
}

export const EVALUATED_PARAMETERS = ['hr_bpm', 'pr_ms', 'qrs_ms', 'qt_ms', 'qtc_ms', 'r_amp_mv', 't_amp_mv'] as const satisfies readonly (keyof EcgParameters)[];

/** Accumulates measured/reference pairs per parameter and reports agreement statistics. */
export class AgreementTally {
  private readonly pairs = new Map<keyof EcgParameters, AgreementPair[]>();
  private readonly misses = new Map<keyof EcgParameters, number>();

  add(measured: EcgParameters, reference: EcgParameters): void {
    for (const parameter of EVALUATED_PARAMETERS) {
      const m = measured[parameter];
      const r = reference[parameter];
      if (r === null || !Number.isFinite(r)) continue;
      if (m === null || !Number.isFinite(m)) {
        this.misses.set(parameter, (this.misses.get(parameter) ?? 0) + 1);
        continue;
      }
      const list = this.pairs.get(parameter) ?? [];
      list.push({ measured: m, reference: r });
      this.pairs.set(parameter, list);
    }
  }

  pairsOf(parameter: keyof EcgParameters): readonly AgreementPair[] {
    return this.pairs.get(parameter) ?? [];
  }

  summary(): ParameterAgreement[] {
    return EVALUATED_PARAMETERS.map((parameter) => agreementOf(parameter, this.pairsOf(parameter), this.misses.get(parameter) ?? 0));
  }
}

/** MAE, RMSE, R2 (against the reference's own variance) and Bland-Altman statistics of a set of pairs. */
export function agreementOf(parameter: keyof EcgParameters, pairs: readonly AgreementPair[], missed = 0): ParameterAgreement {
  const n = pairs.length;
  if (n === 0) {
    return { parameter, n, missed, mae: null, rmse: null, r2: null, meanDifference: null, sdDifference: null, lowerLimit: null, upperLimit: null };
  }
  let absSum = 0;
  let squareSum = 0;
  let diffSum = 0;
  let referenceSum = 0;
  for (const { measured, reference } of pairs) {
    const diff = measured - reference;
    absSum += Math.abs(diff);
    squareSum += diff * diff;
    diffSum += diff;
    referenceSum += reference;
  }
  const meanDifference = diffSum / n;
  const referenceMean = referenceSum / n;
  let totalSquares = 0;
  let diffVariance = 0;
  for (const { measured, reference } of pairs) {
    totalSquares += (reference - referenceMean) ** 2;
    diffVariance += (measured - reference - meanDifference) ** 2;
  }
  const sdDifference = n > 1 ? Math.sqrt(diffVariance / (n - 1)) : null;
  return {
    parameter,
    n,
    missed,
    mae: absSum / n,
    rmse: Math.sqrt(squareSum / n),
    r2: totalSquares > 0 ? 1 - squareSum / totalSquares : null,
    meanDifference,
    sdDifference,
    lowerLimit: sdDifference === null ? null : meanDifference - 1.96 * sdDifference,
    upperLimit: sdDifference === null ? null : meanDifference + 1.96 * sdDifference,
  };
}
