import { Provider } from '@nestjs/common';
import { APP_CONFIG, LOGGER, Readiness } from '@aicrn/nest-platform';
import { metadataOfSource, shippedModelDir, startPooledMeasurer, untrainedReason } from '@aicrn/model';
import { AicrnMethod, ConsensusMethod, DspMethod, WindowMeasurementMethod } from '@aicrn/pipeline';
import { AppConfig, Logger, PipelineMetrics } from '@aicrn/platform';
import { MEASUREMENT_METHODS } from './inference.constants';

export interface MeasurementMethods {
  primary: WindowMeasurementMethod | null;
  fallback: WindowMeasurementMethod;
}

/**
 * The classical method always; the AICRN network as primary when the configured method asks for it
 * (AppConfig.measureMethod): aicrn and consensus make a missing model a start-up error, dsp skips the network,
 * auto uses MODEL_DIR, else the shipped weights, when present. consensus wraps the network and DSP together
 * (ConsensusMethod); the windows the network declines still fall back to DSP alone.
 */
export const measurementMethodsProvider: Provider = {
  provide: MEASUREMENT_METHODS,
  inject: [APP_CONFIG, LOGGER, Readiness, PipelineMetrics],
  useFactory: async (config: AppConfig, logger: Logger, readiness: Readiness, metrics: PipelineMetrics): Promise<MeasurementMethods> => {
    const fallback = new DspMethod();
    const wanted = config.measureMethod;
    const required = wanted === 'aicrn' || wanted === 'consensus';
    const modelDir = wanted === 'dsp' ? null : (config.env.MODEL_DIR ?? shippedModelDir());
    let primary: WindowMeasurementMethod | null = null;
    if (modelDir) {
      const source = { kind: 'directory' as const, path: modelDir };
      const metadata = await metadataOfSource(source);
      const untrained = untrainedReason(metadata);
      if (untrained !== null) {
        if (required) throw new Error(`MEASURE_METHOD=${wanted} but the model in ${modelDir} cannot serve: ${untrained}`);
        logger.warn({ model_dir: modelDir, reason: untrained }, 'model cannot serve; measuring with dsp');
      } else {
        const pooled = await startPooledMeasurer(
          { source, size: config.env.INFERENCE_WORKERS, placement: config.env.INFERENCE_PLACEMENT },
          {
            maxBatchSize: config.env.INFERENCE_MAX_BATCH,
            maxQueueDelayMs: config.env.INFERENCE_MAX_DELAY_MS,
            qtcFormula: config.env.QTC_FORMULA,
            metrics: { batchDispatched: (size) => metrics.batchSize.observe(size), queueDepthChanged: (depth) => metrics.queueDepth.set(depth) },
          },
        );
        const network = new AicrnMethod(pooled.measurer, () => pooled.close());
        primary = wanted === 'consensus' ? new ConsensusMethod(network, fallback, config.env.QTC_FORMULA) : network;
        logger.info({ model_dir: modelDir, model_version: primary.version, backend: pooled.pool.backend, workers: pooled.pool.size, placement: pooled.pool.placement }, 'AICRN model loaded');
      }
    } else if (required) {
      throw new Error(`MEASURE_METHOD=${wanted} but no model: set MODEL_DIR or ship weights in libs/model/weights/serving`);
    }
    readiness.register('measurement', async () => true);
    logger.info({ primary: primary?.method ?? null, fallback: fallback.method, fallback_version: fallback.version }, 'measurement methods ready');
    return { primary, fallback };
  },
};
