import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The weights shipped with the product (libs/model/weights/serving), found from src/ and dist/ alike; null when none ship. */
export function shippedModelDir(from = __dirname): string | null {
  for (let dir = from; dir !== join(dir, '..'); dir = join(dir, '..')) {
    if (existsSync(join(dir, 'package.json'))) {
      const candidate = join(dir, 'libs', 'model', 'weights', 'serving');
      return existsSync(join(candidate, 'model.json')) ? candidate : null;
    }
  }
  return null;
}
