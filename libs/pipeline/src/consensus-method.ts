import { ValidatedWindow } from '@aicrn/contracts';
import type { QtcFormula } from '@aicrn/signal';
import { consensusMeasurement, consensusVersion } from './consensus-measurement';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';

/**
 * The network and the classical delineator on every window, reported as their consensus (consensusMeasurement).
 * A window the network declines (e.g. no chest leads) is declined here too, with the network's reason, so the
 * caller measures it with the fallback method as it would under `aicrn`.
 */
export class ConsensusMethod implements WindowMeasurementMethod {
  readonly method = 'consensus' as const;

  constructor(
    private readonly network: WindowMeasurementMethod,
    private readonly classical: WindowMeasurementMethod,
    private readonly qtcFormula: QtcFormula,
  ) {}

  get version(): string {
    return consensusVersion(this.network.version, this.classical.version);
  }

  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    const networkResults = await this.network.measure(windows);
    const accepted = windows.filter((_, i) => networkResults[i].ok);
    const classicalResults = accepted.length ? await this.classical.measure(accepted) : [];
    let next = 0;
    return networkResults.map((result) => {
      if (!result.ok) return result;
      const classical = classicalResults[next++];
      if (!classical.ok) return { ok: false as const, reason: `dsp declined the window: ${classical.reason}` };
      return { ok: true as const, measurement: consensusMeasurement(result.measurement, classical.measurement, this.qtcFormula), attention: result.attention };
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.network.close?.(), this.classical.close?.()]);
  }
}
