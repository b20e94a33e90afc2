export const MEASUREMENT_METHODS = Symbol('MEASUREMENT_METHODS');
export const INFERENCE_GROUP = 'aicrn-inference';
