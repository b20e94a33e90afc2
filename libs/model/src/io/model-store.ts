import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { parameterCounts } from '../aicrn-model';
import { AicrnModelMetadata, METADATA_KEY, parseModelMetadata } from '../model-metadata';
import { fileSystemIO } from './fs-io-handler';

export const MODEL_CARD_FILE = 'model-card.json';

/**
 * Saves a model directory: model.json (metadata in userDefinedMetadata.aicrn, so the model alone is
 * enough to serve) + weights.bin + model-card.json (the same metadata for people and tooling).
 */
export async function saveAicrnModel(model: tf.LayersModel, directory: string, metadata: AicrnModelMetadata): Promise<void> {
  parseModelMetadata({ [METADATA_KEY]: metadata });
  model.setUserDefinedMetadata({ [METADATA_KEY]: metadata });
  await model.save(fileSystemIO(directory));
  const card = { ...metadata, parameters: parameterCounts(model), saved_at: new Date().toISOString() };
  await fs.promises.writeFile(path.join(directory, MODEL_CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
}
