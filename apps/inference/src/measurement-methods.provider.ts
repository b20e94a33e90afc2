import { Provider } from '@nestjs/common';
import { APP_CONFIG, LOGGER, Readiness } from '@aicrn/nest-platform';
import { DspMethod, WindowMeasurementMethod } from '@aicrn/pipeline';
import { AppConfig, Logger } from '@aicrn/platform';
import { MEASUREMENT_METHODS } from './inference.constants';

export interface MeasurementMethods {
  primary: WindowMeasurementMethod | null;
  fallback: WindowMeasurementMethod;
}

/** The classical method always; the AICRN network as primary when configured and loadable. */
export const measurementMethodsProvider: Provider = {
  provide: MEASUREMENT_METHODS,
  inject: [APP_CONFIG, LOGGER, Readiness],
  useFactory: async (config: AppConfig, logger: Logger, readiness: Readiness): Promise<MeasurementMethods> => {
    const fallback = new DspMethod();
    const primary: WindowMeasurementMethod | null = null;
    if (config.env.MEASURE_METHOD === 'aicrn') {
      throw new Error('MEASURE_METHOD=aicrn: the AICRN model runtime is not available in this build');
    }
    readiness.register('measurement', async () => true);
    logger.info({ primary: null, fallback: fallback.method, fallback_version: fallback.version }, 'measurement methods ready');
    return { primary, fallback };
  },
};
