export * from './measurement-tally';
export * from './pipeline-benchmark';
