import { ValidatedWindow } from '@aicrn/contracts';
import type { AicrnMeasurer } from '@aicrn/model';
import { MethodResult, WindowMeasurementMethod } from './measurement-method';

/**
 * The AICRN network as a measurement method. Windows it cannot take (no chest leads, unusable data,
 * a failed batch) are declined with the reason, and the caller measures them with the DSP method.
 */
export class AicrnMethod implements WindowMeasurementMethod {
  readonly method = 'aicrn' as const;

  constructor(
    private readonly measurer: Pick<AicrnMeasurer, 'measureWindows' | 'modelVersion'>,
    private readonly closeModel: () => Promise<void> = async () => undefined,
  ) {}

  get version(): string {
    return this.measurer.modelVersion;
  }

  async measure(windows: ValidatedWindow[]): Promise<MethodResult[]> {
    const results = await this.measurer.measureWindows(windows);
    return results.map((r) =>
      r.status === 'measured'
        ? { ok: true as const, measurement: { parameters: r.parameters, unmeasured: r.unmeasured, beats: r.beats }, attention: r.attention }
        : { ok: false as const, reason: `${r.status} (${r.code}): ${r.reason}` },
    );
  }

  close(): Promise<void> {
    return this.closeModel();
  }
}
