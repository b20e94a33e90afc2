import { AicrnConfig } from './config';

/** A network small enough for unit tests (100 samples, 2 modules) with the same block structure. */
export const TINY_CONFIG: AicrnConfig = {
  name: 'aicrn-tiny',
  sampleRateHz: 50,
  windowSeconds: 2,
  stem: { filters: 8, kernel: 4, outFilters: 4, outKernel: 3, poolSize: 2 },
  modules: 2,
  moduleWidth: 8,
  moduleKernel: 5,
  camReduction: 2,
  samKernel: 3,
  dropout: 0.5,
  leakyAlpha: 0.1,
  targets: ['hr_bpm', 'qt_ms'],
};
