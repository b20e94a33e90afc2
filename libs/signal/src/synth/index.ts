export * from './random';
export * from './spec';
export * from './beat-model';
export * from './generator';
export { measureSyntheticLabels } from './labels';
export * from './random-spec';
export * from './scenarios';
export * from './wave-slopes';
