import { presetConfig } from './config';
import { untrainedMetadata, untrainedReason } from './model-metadata';

describe('untrainedReason', () => {
  const config = presetConfig('serving');
  const standardisation = { hr_bpm: { mean: 70, std: 10 } };
  const training = { dataset: 'synthetic', finished_at: '2026-11-25T00:00:00Z' };

  it('serves a model with a training record and an output standardisation', () => {
    expect(untrainedReason({ ...untrainedMetadata(config, 1), standardisation, training })).toBeNull();
  });

  it('names what a random-initialised or half-written model lacks', () => {
    expect(untrainedReason(untrainedMetadata(config, 1))).toMatch(/untrained-seed-1 has no training metadata/);
    expect(untrainedReason({ ...untrainedMetadata(config, 1), training })).toMatch(/has no output standardisation/);
    expect(untrainedReason({ ...untrainedMetadata(config, 1), standardisation })).toMatch(/has no training metadata/);
  });
});
