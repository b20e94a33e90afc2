export * from './types';
// synthetic ECG generator, bed scenarios and the synthetic dataset
export * from './synth';
export * from './datasets/synthetic';
// WFDB readers, LUDB and MIT-BIH loaders, DSP measurement, QTc, evaluation
export * from './wfdb';
export * from './datasets/ludb';
export * from './datasets/ludb-waves';
export * from './datasets/ludb-reference';
export * from './datasets/ludb-stretch';
export * from './datasets/ludb-warp';
export * from './datasets/ludb-fibrillation';
export * from './datasets/mitdb';
export * from './dsp';
export * from './qtc';
export * from './evaluation';
// signal quality index
export * from './quality';
// PTB-XL / PTB-XL+ loader
export * from './datasets/ptbxl';
export * from './datasets/ptbxl-csv';
