import { join } from 'node:path';
import { Readiness } from '@aicrn/nest-platform';
import { shippedModelDir } from '@aicrn/model';
import { createLogger, loadConfig, PipelineMetrics } from '@aicrn/platform';
import { MeasurementMethods, measurementMethodsProvider } from './measurement-methods.provider';

type Factory = (...args: unknown[]) => Promise<MeasurementMethods>;

async function methodsFor(env: Record<string, string>): Promise<MeasurementMethods> {
  const factory = (measurementMethodsProvider as { useFactory: Factory }).useFactory;
  return factory(loadConfig('inference', { AUTH_MODE: 'open', ...env }), createLogger('inference', 'silent'), new Readiness(), new PipelineMetrics('inference', false));
}

describe('measurementMethodsProvider', () => {
  it('ships weights, and measures with DSP unless asked for the network', async () => {
    expect(shippedModelDir()).not.toBeNull();
    const methods = await methodsFor({});
    expect(methods.primary).toBeNull();
    expect(methods.fallback.method).toBe('dsp');
  });

  it('serves the shipped weights with MEASURE_METHOD=auto', async () => {
    const methods = await methodsFor({ MEASURE_METHOD: 'auto', INFERENCE_WORKERS: '1' });
    try {
      expect(methods.primary?.method).toBe('aicrn');
      expect(methods.primary?.version).toMatch(/^aicrn-serving\//);
    } finally {
      await methods.primary?.close?.();
    }
  }, 60_000);

  it('serves the consensus of the shipped weights and DSP with MEASURE_METHOD=consensus', async () => {
    const methods = await methodsFor({ MEASURE_METHOD: 'consensus', INFERENCE_WORKERS: '1' });
    try {
      expect(methods.primary?.method).toBe('consensus');
      expect(methods.primary?.version).toMatch(/^aicrn-serving\/\S+ \+ dsp-/);
      expect(methods.fallback.method).toBe('dsp');
    } finally {
      await methods.primary?.close?.();
    }
  }, 60_000);

  it('refuses an unknown INFERENCE_PLACEMENT before starting any worker', async () => {
    await expect(methodsFor({ MEASURE_METHOD: 'auto', INFERENCE_PLACEMENT: 'spread' })).rejects.toThrow(/INFERENCE_PLACEMENT.*split.*whole/s);
  });

  it('takes a MODEL_DIR alone as a request for the network: a missing model stops start-up', async () => {
    const missing = join(__dirname, 'no-such-model');
    await expect(methodsFor({ MODEL_DIR: missing })).rejects.toThrow(/no-such-model/);
    await expect(methodsFor({ MODEL_DIR: missing, MEASURE_METHOD: 'consensus' })).rejects.toThrow(/no-such-model/);
    await expect(methodsFor({ MODEL_DIR: missing, MEASURE_METHOD: 'dsp' })).resolves.toMatchObject({ primary: null });
  });
});
