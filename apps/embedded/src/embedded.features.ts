import { AppConfig } from '@aicrn/platform';
import { FeatureModules } from '@aicrn/nest-platform';
import { AlertingModule } from '../../alerting/src/alerting.module';
import { InferenceModule } from '../../inference/src/inference.module';
import { IngestionModule } from '../../ingestion/src/ingestion.module';
import { SimulatorModule } from './simulator/simulator.module';

/** The three apps' modules in one process over the in-memory transport and state, plus the bed simulator. */
export function embeddedFeatures(config: AppConfig): FeatureModules {
  const features: FeatureModules = [IngestionModule, InferenceModule, AlertingModule];
  if (config.simulator.beds > 0) features.push(SimulatorModule);
  return features;
}
