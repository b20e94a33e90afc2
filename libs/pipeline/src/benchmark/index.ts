export * from './pipeline-benchmark';
